"""Template helpers for activity logs: questions answered by the access module, labels; no query per row."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template

from accounts import access
from prevention.models import ActivityLog

if TYPE_CHECKING:
    from accounts.models import User

register = template.Library()


@register.filter
def reviewable_by(log: ActivityLog, user: User) -> bool:
    """``{% if log|reviewable_by:request.user %}``: may this user verify or return the log?"""
    return access.can_review_log(user, log)


@register.filter
def kind_label(log: ActivityLog) -> str:
    """``{{ log|kind_label }}``: what ``log.get_kind_display`` says, in a list's every row.

    Django's ``get_FOO_display`` hashes every choice's label to find one, and hashing a translated label
    translates it: eight translations per row where one will do.
    """
    try:
        return ActivityLog.Kind(log.kind).label
    except ValueError:
        return log.kind
