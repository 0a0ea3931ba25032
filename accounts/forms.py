from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class SignInForm(AuthenticationForm):
    """Django's sign-in form, saying what accounts.backends accepts: a username or an e-mail address."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "That username or e-mail address and password do not match an active account. "
            "The password is case-sensitive."
        ),
    }

    def __init__(self, request=None, *args, **kwargs) -> None:
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.label = _("Username or e-mail address")
        # An e-mail address may be longer than a username.
        username.max_length = User._meta.get_field("email").max_length
        username.widget.attrs["maxlength"] = username.max_length
        username.widget.attrs["autocomplete"] = "username"


class ResetByEmailForm(PasswordResetForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address")


class PreferredLanguageForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["preferred_language"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["preferred_language"]
        field.choices = [("", _("The language my browser asks for")), *field.choices[1:]]
