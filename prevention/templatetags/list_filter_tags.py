"""Writing the admin's list filters (templates/admin/prevention/list_filter.html)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.encoding import iri_to_uri
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_SELECTED = mark_safe(' class="selected"')


@register.filter
def choice_links(choices: Iterable[dict]) -> SafeString:
    """A list filter's choices as the ``<li>`` links Django's ``admin/filter.html`` writes, in one go."""
    return format_html_join(
        "\n",
        '<li{}><a href="{}">{}</a></li>',
        (
            (_SELECTED if choice["selected"] else "", iri_to_uri(choice["query_string"]), choice["display"])
            for choice in choices
        ),
    )
