"""The "history" box of the plan and initiative pages: who changed what, and when.

Each source is a queryset of simple_history records (e.g. ``Initiative.history.filter(...)``). For each
source, two queries: its latest records with the id of each one's previous record (a subquery), then those
previous records, so that every change can be shown with its changed fields (``diff_against``) whatever
the number of records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import models
from django.db.models import OuterRef, Subquery
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


def _latest(source: Source, limit: int) -> list[Change]:
    history_model = source.records.model
    previous_id = (
        history_model.objects.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    latest = (
        source.records.select_related("history_user", *source.related)
        .annotate(previous_history_id=Subquery(previous_id))
        .order_by("-history_date", "-history_id")[:limit]
    )
    records = list(latest)
    previous = {
        record.history_id: record
        for record in history_model.objects.filter(
            history_id__in=latest.values("previous_history_id")
        ).select_related(*source.related)
    }
    kind = str(history_model.instance_type._meta.verbose_name)
    changes = []
    for record in records:
        before = previous.get(record.previous_history_id)
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
    """The latest changes across the sources, newest first (two queries per source)."""
    changes = [change for source in sources for change in _latest(source, limit)]
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes[:limit]
