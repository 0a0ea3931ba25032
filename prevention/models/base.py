from __future__ import annotations

import re

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

CURRENCY_PATTERN = r"^[A-Z]{3}$"
currency_validator = RegexValidator(
    re.compile(CURRENCY_PATTERN), _("Use a three-letter ISO 4217 code in capitals, such as KGS or USD.")
)


def currency_field(verbose_name: str | None = None, **kwargs) -> models.CharField:
    return models.CharField(
        verbose_name or _("currency"), max_length=3, validators=[currency_validator], **kwargs
    )


def currency_check(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__regex": CURRENCY_PATTERN}),
        name=name,
        violation_error_message=_("Use a three-letter ISO 4217 code in capitals, such as KGS or USD."),
    )


def date_order_check(start: str, end: str, name: str) -> models.CheckConstraint:
    """The end may be empty or equal to the start, never before it."""
    return models.CheckConstraint(
        condition=Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__isnull": True})
        | Q(**{f"{end}__gte": models.F(start)}),
        name=name,
        violation_error_message=_("The end date cannot be before the start date."),
    )


def percent_check(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 0, f"{field}__lte": 100}),
        name=name,
        violation_error_message=_("A percentage lies between 0 and 100."),
    )


def coordinates_check(prefix: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(latitude__isnull=True, longitude__isnull=True)
            | Q(
                latitude__isnull=False,
                longitude__isnull=False,
                latitude__gte=-90,
                latitude__lte=90,
                longitude__gte=-180,
                longitude__lte=180,
            ),
            name=f"{prefix}_coordinates_valid",
            violation_error_message=_(
                "Give both latitude (-90 to 90) and longitude (-180 to 180), or neither."
            ),
        )
    ]


class Tracked(models.Model):
    """A plan object: when it was made and changed, and a version that refuses a stale edit."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class RemembersLoaded(models.Model):
    """Remembers what some columns held when the row was read or last saved, so that ``save()`` can tell
    a move (another initiative, plan, district) from an edit: ``loaded("initiative_id")``. None for a
    row not saved yet."""

    class Meta:
        abstract = True

    @classmethod
    def remembered_fields(cls) -> tuple[str, ...]:
        return ()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance.remember_loaded()
        return instance

    def remember_loaded(self) -> None:
        """Call after a save: what is in the row now is what the next save compares with."""
        # A column left out of the read (``only()``) is not remembered: it cannot have been changed.
        self._loaded = {name: self.__dict__.get(name) for name in self.remembered_fields()}

    def loaded(self, name: str):
        return getattr(self, "_loaded", {}).get(name)


class ScopedQuerySet(models.QuerySet):
    """Reads through the access rules: ``Model.objects.visible_to(user)``, ``.editable_by(user)``.

    The rules themselves live in ``accounts.access``; a model says where its district is with
    ``district_path`` (e.g. ``"priority__plan__district"``).
    """

    def visible_to(self, user) -> ScopedQuerySet:
        from accounts import access

        return access.visible(self, user)

    def editable_by(self, user) -> ScopedQuerySet:
        from accounts import access

        return access.editable(self, user)
