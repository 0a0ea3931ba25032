from __future__ import annotations

from django import template

from accounts import access
from accounts.models import Membership

register = template.Library()


@register.filter
def sees_donor_site(user) -> bool:
    """Whether the donor site at /donor/ lets this user in (a donor membership, or an administrator).

    The scope is read once per request and cached on the user, so the navigation costs no query more.
    """
    if not user.is_authenticated:
        return False
    scope = access.scope_for(user)
    return scope.is_admin or scope.has_role(Membership.Role.DONOR)
