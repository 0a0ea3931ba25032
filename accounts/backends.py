from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


class UsernameOrEmailBackend(ModelBackend):
    """Sign in with the username or the e-mail address, either in any letter case."""

    def authenticate(self, request, username: str | None = None, password: str | None = None, **kwargs):
        if username is None or password is None:
            return None
        User = get_user_model()
        candidates = list(
            User._default_manager.filter(Q(username__iexact=username) | Q(email__iexact=username))[:2]
        )
        if len(candidates) != 1:
            # Run the hasher anyway so that a missing account takes as long as a wrong password.
            User().set_password(password)
            return None
        user = candidates[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
