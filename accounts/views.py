from __future__ import annotations

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.forms import PreferredLanguageForm
from prevention.models import District


@require_http_methods(["GET", "POST"])
def sign_out(request: HttpRequest) -> HttpResponse:
    """Signing out changes state, so only a POST (with its CSRF token) does it; a GET asks to confirm.

    A link or an image elsewhere must not be able to sign a user out.
    """
    if request.method == "POST":
        auth.logout(request)
        return redirect(settings.LOGOUT_REDIRECT_URL)
    if not request.user.is_authenticated:
        return redirect(settings.LOGOUT_REDIRECT_URL)
    return render(request, "registration/logout_confirm.html")


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = PreferredLanguageForm(request.POST or None, instance=request.user)
    if form.is_valid():
        form.save()
        # Said in the language just chosen, which the next page will be in.
        with translation.override(request.user.preferred_language or translation.get_language()):
            messages.success(request, _("Your language setting is saved."))
        return redirect("accounts:profile")
    memberships = request.user.memberships.select_related("organisation").prefetch_related(
        Prefetch("districts", queryset=District.objects.order_by("name"))
    )
    return render(request, "accounts/profile.html", {"memberships": memberships, "form": form})
