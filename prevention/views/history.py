"""The "history" box of the plan and initiative pages: who changed what, and when.

Each source is a queryset of simple_history records (e.g. ``records(Initiative).filter(...)``). One query
finds the latest records of every source with the id of each one's previous record (a subquery); then one
query per source that has any loads those records and the previous ones, so that every change can be shown
with its changed fields (``diff_against``) whatever the number of records.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache

from django.db import models
from django.db.models import OuterRef, Subquery, Value
from django.utils import formats
from django.utils.text import Truncator
from django.utils.translation import gettext as _

# How many changes the box lists.
HISTORY_LIMIT = 15
VALUE_LENGTH = 60


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    # Related rows are stored as ids; saying which field changed is clearer than printing two ids.
    show_values: bool = True


@dataclass
class Change:
    when: dt.datetime
    who: str
    action: str  # "created", "changed", "deleted"
    kind: str  # the object's kind, e.g. "milestone"
    name: str
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return {"created": _("created"), "changed": _("changed"), "deleted": _("deleted")}[self.action]


@cache
def _history_model(model: type[models.Model]) -> type[models.Model]:
    return model.history.model


def records(model: type[models.Model]) -> models.QuerySet:
    """Every history record of ``model``. Not ``model.history``: simple_history builds a new manager
    class at each ``model.history``, and that took longer than the query it served."""
    return _history_model(model).objects.all()


@dataclass
class Source:
    records: models.QuerySet
    name: Callable[[models.Model], str] = str
    related: Sequence[str] = ()


def _display(model_field: models.Field, value) -> str:
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    return Truncator(str(value)).chars(VALUE_LENGTH)


def _field_changes(record, previous) -> list[FieldChange]:
    delta = record.diff_against(previous)
    changes = []
    for change in delta.changes:
        model_field = record._meta.get_field(change.field)
        changes.append(
            FieldChange(
                label=str(model_field.verbose_name),
                old=_display(model_field, change.old),
                new=_display(model_field, change.new),
                show_values=not model_field.is_relation,
            )
        )
    return changes


def _latest_rows(index: int, source: Source, limit: int) -> models.QuerySet:
    """Light rows of the source's latest records: the source's index, each record's id and the id of
    the record before it (what ``diff_against`` compares with)."""
    history_model = source.records.model
    previous_id = (
        history_model.objects.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    latest = source.records.order_by("-history_date", "-history_id").values("history_id")[:limit]
    return (
        history_model.objects.filter(history_id__in=latest)
        .annotate(source_index=Value(index), previous_history_id=Subquery(previous_id))
        .order_by()
        .values_list("source_index", "history_id", "previous_history_id")
    )


def _changes(source: Source, previous_of: dict[int, int | None]) -> list[Change]:
    """The source's records named by ``previous_of`` (history id: the id of the record before it), as
    changes."""
    history_model = source.records.model
    wanted = set(previous_of) | {previous for previous in previous_of.values() if previous is not None}
    loaded = {
        record.history_id: record
        for record in history_model.objects.filter(history_id__in=wanted).select_related(
            "history_user", *source.related
        )
    }
    records = sorted(
        (loaded[history_id] for history_id in previous_of),
        key=lambda record: (record.history_date, record.history_id),
        reverse=True,
    )
    kind = str(history_model.instance_type._meta.verbose_name)
    changes = []
    for record in records:
        before = loaded.get(previous_of[record.history_id])
        action = {"+": "created", "-": "deleted"}.get(record.history_type, "changed")
        fields = _field_changes(record, before) if action == "changed" and before is not None else []
        if action == "changed" and not fields:
            continue  # a save that changed nothing a person would see (e.g. only the version)
        changes.append(
            Change(
                when=record.history_date,
                who=str(record.history_user) if record.history_user else _("system"),
                action=action,
                kind=kind,
                name=source.name(record),
                fields=fields,
            )
        )
    return changes


def recent_changes(sources: Sequence[Source], limit: int = HISTORY_LIMIT) -> list[Change]:
    """The latest changes across the sources, newest first (one query, then one per source that has any)."""
    parts = [_latest_rows(index, source, limit) for index, source in enumerate(sources)]
    previous_of: dict[int, dict[int, int | None]] = defaultdict(dict)
    for index, history_id, previous_id in parts[0].union(*parts[1:], all=True):
        previous_of[index][history_id] = previous_id
    changes = [
        change for index in sorted(previous_of) for change in _changes(sources[index], previous_of[index])
    ]
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes[:limit]
