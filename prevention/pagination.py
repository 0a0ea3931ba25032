"""Keyset ("older / newer") pagination for long, date-ordered lists such as activity logs.

Why not Django's ``Paginator``: it counts every matching row for the page numbers and jumps with
OFFSET. With a million activity logs both grow with the table: ``COUNT(*)`` reads every visible row on
every page, and ``OFFSET 500000`` reads and throws away half a million rows. A keyset page instead
continues from the last row seen, ``WHERE (date, id) < (last date, last id) ORDER BY date DESC, id DESC
LIMIT n+1``, which an index on ``(date DESC, id DESC)`` answers by reading n+1 rows, whatever the page.
What it gives up: page numbers and a total. People scan logs by date and narrow them with filters,
so "newer" and "older" are what they use anyway.

A cursor is ``<ISO date>.<id>`` of the row the page continues from; an unreadable cursor shows the
newest page rather than an error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet


@dataclass(frozen=True)
class KeysetPage:
    items: list
    newer: str | None  # cursor for the page of newer rows, None on the newest page
    older: str | None  # cursor for the page of older rows, None on the oldest page
    is_newest: bool

    @property
    def has_other_pages(self) -> bool:
        return not self.is_newest or self.older is not None


def _parse(cursor: str | None) -> tuple[dt.date, int] | None:
    if not cursor:
        return None
    date_text, _, pk_text = cursor.partition(".")
    try:
        return dt.date.fromisoformat(date_text), int(pk_text)
    except ValueError:
        return None


def _cursor(row, date_field: str) -> str:
    return f"{getattr(row, date_field).isoformat()}.{row.pk}"


def keyset_page(
    queryset: QuerySet,
    *,
    date_field: str,
    older: str | None = None,
    newer: str | None = None,
    per_page: int = 25,
) -> KeysetPage:
    """One page of ``queryset`` ordered newest first by ``date_field`` then id."""
    after, before = _parse(older), _parse(newer)
    if before and not after:
        date, pk = before
        # Rows just newer than the cursor, read upwards from it, then put back newest first.
        rows = list(
            queryset.filter(
                Q(**{f"{date_field}__gte": date})
                & (Q(**{f"{date_field}__gt": date}) | Q(**{date_field: date, "pk__gt": pk}))
            ).order_by(date_field, "pk")[: per_page + 1]
        )
        more_newer = len(rows) > per_page
        rows = rows[:per_page][::-1]
        if not rows:
            return keyset_page(queryset, date_field=date_field, per_page=per_page)
        return KeysetPage(
            items=rows,
            newer=_cursor(rows[0], date_field) if more_newer else None,
            older=_cursor(rows[-1], date_field),
            is_newest=not more_newer,
        )
    ordered = queryset.order_by(f"-{date_field}", "-pk")
    if after:
        date, pk = after
        # The redundant "date <= cursor date" gives the database a range to start the index scan at.
        ordered = ordered.filter(
            Q(**{f"{date_field}__lte": date})
            & (Q(**{f"{date_field}__lt": date}) | Q(**{date_field: date, "pk__lt": pk}))
        )
    rows = list(ordered[: per_page + 1])
    more_older = len(rows) > per_page
    rows = rows[:per_page]
    return KeysetPage(
        items=rows,
        newer=_cursor(rows[0], date_field) if after and rows else None,
        older=_cursor(rows[-1], date_field) if more_older else None,
        is_newest=not after,
    )
