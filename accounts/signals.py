"""Sign-ins and sign-outs are logged with the username and address, never the password.

Failed sign-ins and lock-outs are logged by django-axes (logger "axes"), which masks every field named in
settings.AXES_SENSITIVE_PARAMETERS.
"""

from __future__ import annotations

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from accounts.backends import client_address
from config.sessions import mark_renewed

logger = logging.getLogger("accounts.auth")


def _address(request) -> str:
    return (client_address(request) if request is not None else None) or "-"


@receiver(user_logged_in)
def log_sign_in(sender, request, user, **kwargs) -> None:
    logger.info("sign-in user=%s address=%s", user.get_username(), _address(request))


@receiver(user_logged_in)
def start_the_idle_clock(sender, request, user, **kwargs) -> None:
    # Signing in saves the session anyway; the pages right after need not renew it again.
    if request is not None and hasattr(request, "session"):
        mark_renewed(request.session)


@receiver(user_logged_out)
def log_sign_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        logger.info("sign-out user=%s address=%s", user.get_username(), _address(request))
