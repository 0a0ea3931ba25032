"""Template questions about activity logs, answered by the access module (no query per row)."""

from __future__ import annotations

from django import template

from accounts import access

register = template.Library()


@register.filter
def reviewable_by(log, user) -> bool:
    """``{% if log|reviewable_by:request.user %}``: may this user verify or return the log?"""
    return access.can_review_log(user, log)
