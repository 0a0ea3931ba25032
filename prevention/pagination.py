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
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet


@dataclass(frozen=True)
class KeysetPage:
    items: list
    newer: str | None  # cursor for the page of newer rows, None on the newest page
    older: str | None  # cursor for the page of older rows, None on the oldest page
    is_newest: bool


def _parse(cursor: str | None) -> tuple[dt.date, int] | None:
    if not cursor:
        return None
    date_text, _, pk_text = cursor.partition(".")
    try:
        return dt.date.fromisoformat(date_text), int(pk_text)
    except ValueError:
        return None


def _cursor(key: tuple[int, dt.date]) -> str:
    pk, date = key
    return f"{date.isoformat()}.{pk}"


def keyset_page(
    queryset: QuerySet,
    *,
    date_field: str,
    older: str | None = None,
    newer: str | None = None,
    per_page: int = 25,
    load: Callable[[list[int]], Iterable] | None = None,
) -> KeysetPage:
    """One page of ``queryset`` ordered newest first by ``date_field`` then id.

    The page is found with a lean query of ids and dates only; ``load(ids)`` then reads the rows to
    show (with their joins and annotations), default ``queryset.filter(pk__in=ids)``. Two small
    queries beat one: with joins in the select list a database may sort every matching wide row
    before the LIMIT, where ids and dates come straight from the index.
    """
    keys = queryset.values_list("pk", date_field)
    after, before = _parse(older), _parse(newer)
    if before and not after:
        date, pk = before
        # Rows just newer than the cursor, read upwards from it, then put back newest first.
        found = list(
            keys.filter(
                Q(**{f"{date_field}__gte": date})
                & (Q(**{f"{date_field}__gt": date}) | Q(**{date_field: date, "pk__gt": pk}))
            ).order_by(date_field, "pk")[: per_page + 1]
        )
        more_newer = len(found) > per_page
        found = found[:per_page][::-1]
        if not found:
            return keyset_page(queryset, date_field=date_field, per_page=per_page, load=load)
        newer_cursor = _cursor(found[0]) if more_newer else None
        older_cursor = _cursor(found[-1])
        is_newest = not more_newer
    else:
        ordered = keys.order_by(f"-{date_field}", "-pk")
        if after:
            date, pk = after
            # The redundant "date <= cursor date" gives the database a range to start the index scan at.
            ordered = ordered.filter(
                Q(**{f"{date_field}__lte": date})
                & (Q(**{f"{date_field}__lt": date}) | Q(**{date_field: date, "pk__lt": pk}))
            )
        found = list(ordered[: per_page + 1])
        more_older = len(found) > per_page
        found = found[:per_page]
        newer_cursor = _cursor(found[0]) if after and found else None
        older_cursor = _cursor(found[-1]) if more_older else None
        is_newest = not after
    ids = [pk for pk, _date in found]
    rows = load(ids) if load is not None else queryset.filter(pk__in=ids)
    by_pk = {row.pk: row for row in rows} if ids else {}
    return KeysetPage(
        items=[by_pk[pk] for pk in ids if pk in by_pk],
        newer=newer_cursor,
        older=older_cursor,
        is_newest=is_newest,
    )
