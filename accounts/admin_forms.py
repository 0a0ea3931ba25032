"""The administrator creates accounts without passwords: the new user chooses one from an e-mailed link."""

from __future__ import annotations

import logging

from django import forms
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from accounts.models import User

logger = logging.getLogger("accounts.auth")


class UserInviteForm(forms.ModelForm):
    """Who the new user is; no password: they get a link to choose it (``send_set_password_link``)."""

    class Meta:
        model = User
        fields = ["username", "email", "first_name", "last_name", "preferred_language"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.required = True
        email.help_text = _("The link to choose a password is sent to this address.")

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        # Sign-in ignores letter case, so "Aigul" and "aigul" would be the same account.
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("A user with this username already exists."), code="unique")
        return username

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
            self._save_m2m()
        return user


def send_set_password_link(user: User, *, request: HttpRequest) -> bool:
    """E-mail ``user`` a one-time link to choose a password, in their preferred language.

    The link is Django's password-reset link (``accounts:password_reset_confirm``): it stops working
    once a password is set, and after ``PASSWORD_RESET_TIMEOUT``. Returns whether the mail server took
    the message, so that the administrator can be told when it did not.
    """
    context = {
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "protocol": request.scheme,
        "domain": request.get_host(),
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 3600)),
    }
    with translation.override(user.preferred_language or translation.get_language()):
        subject = "".join(
            render_to_string("accounts/email/account_created_subject.txt", context).splitlines()
        )
        body = render_to_string("accounts/email/account_created.txt", context)
    try:
        EmailMessage(subject, body, to=[user.email]).send()
    except OSError:  # SMTP errors are OSErrors too
        logger.exception("set-password link not sent user=%s", user.get_username())
        return False
    logger.info("set-password link sent user=%s", user.get_username())
    return True
