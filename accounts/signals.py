"""Sign-ins are logged with the username and address, never the password (axes logs failures)."""

from __future__ import annotations

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

logger = logging.getLogger("accounts.auth")


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "-") if request is not None else "-"


@receiver(user_logged_in)
def log_sign_in(sender, request, user, **kwargs) -> None:
    logger.info("sign-in user=%s address=%s", user.get_username(), _client_address(request))


@receiver(user_logged_out)
def log_sign_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        logger.info("sign-out user=%s address=%s", user.get_username(), _client_address(request))
