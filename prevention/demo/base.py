"""The machinery of the demo: rows found by natural key, saved only when a demo value differs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models
from django.utils import timezone

from prevention.models.base import Tracked

DEMO_PASSWORD = "safer-districts-demo"  # noqa: S105 - published on purpose; only set with DEBUG on
ASSUMED = "Demo figure (assumed)"
PRESS_RELEASE = "UNODC press release, Bishkek, 19 December 2017"

M = TypeVar("M", bound=models.Model)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def at(text: str) -> dt.datetime:
    """An aware time in the project's zone (Bishkek), fixed so that a second run finds it unchanged."""
    return timezone.make_aware(dt.datetime.fromisoformat(text))


@dataclass
class DemoAccount:
    username: str
    role: str
    organisation: str
    password_set: bool


@dataclass
class DemoResult:
    created: int = 0
    changed: int = 0
    accounts: list[DemoAccount] = field(default_factory=list)
    kept_passwords: list[str] = field(default_factory=list)


class Demo:
    """What the sections of the demo share: the writes, and the objects built so far.

    Each section reads what earlier ones set (``demo.sverdlovsk``, ``demo.police``) and sets its own.
    """

    def __init__(self) -> None:
        self.result = DemoResult()

    def put(
        self,
        model: type[M],
        lookup: dict[str, Any],
        values: dict[str, Any] | None = None,
        *,
        initial: dict[str, Any] | None = None,
    ) -> M:
        """The row of ``model`` found by ``lookup`` (its natural key), with ``values``.

        Created when missing; when present, saved only if a value differs (which resets it to the
        demo's state), so that a second run writes no row and no history. ``initial`` values are set on
        creation only, for what people may rearrange without the demo fighting them (a priority's rank).
        """
        values = values or {}
        # The oldest match: a copy someone made under the same name must not stop the demo loading.
        obj = model._default_manager.filter(**lookup).order_by("pk").first()
        if obj is None:
            obj = model(**lookup, **values, **(initial or {}))
            obj.full_clean()
            obj.save()
            self.result.created += 1
            return obj
        changed = [name for name, value in values.items() if not _same(obj, name, value)]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            if isinstance(obj, Tracked):
                # A form opened before the reset must not overwrite it silently (see editing.py).
                obj.version += 1
            obj.full_clean()
            obj.save()
            self.result.changed += 1
        return obj

    def link(self, manager: Any, objects: list[models.Model]) -> None:
        """Add what a many-to-many relation lacks; adding nothing sends no signal and writes no history."""
        present = set(manager.values_list("pk", flat=True))
        missing = [obj for obj in objects if obj.pk not in present]
        if missing:
            manager.add(*missing)
            self.result.created += len(missing)


def _same(obj: models.Model, name: str, value: Any) -> bool:
    model_field = obj._meta.get_field(name)
    if model_field.many_to_one or model_field.one_to_one:
        return getattr(obj, model_field.attname) == (value.pk if value is not None else None)
    return getattr(obj, name) == value
