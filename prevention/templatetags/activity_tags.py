"""Template questions about activity logs, answered by the access module (no query per row)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template

from accounts import access

if TYPE_CHECKING:
    from accounts.models import User
    from prevention.models import ActivityLog

register = template.Library()


@register.filter
def reviewable_by(log: ActivityLog, user: User) -> bool:
    """``{% if log|reviewable_by:request.user %}``: may this user verify or return the log?"""
    return access.can_review_log(user, log)
