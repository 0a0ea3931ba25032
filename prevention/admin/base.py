"""What every admin page of the domain shares: the access rules, the history, refusing stale edits.

The administrator (a superuser) sees and changes everything. A staff user who is not a superuser gets
the admin pages of the models an administrator granted them (Django's model permissions, usually
through a group), and on those pages only what ``accounts.access`` lets them see and change:

- lists and object pages read through ``visible(queryset, user)``; another district's object does not
  exist for them (the admin redirects to its index saying so, as the pages answer 404);
- an object they may read but not change opens read-only, and cannot be deleted;
- choices of foreign keys offer only what they can see, and a save that would leave them an object
  outside what they may change is refused as a whole (403, nothing saved).

Catalogues without a district (countries, regions, organisations, issues, risks, safety contacts) are
reference data: the model permission alone decides. Districts narrow to the user's own districts.

Plan objects carry a version (``Tracked``): the admin's forms are ``VersionedModelForm``s, so a save
made on a page after the admin form was opened refuses the admin's save with a message, and the
admin's saves bump the version that the pages check in turn.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME

from accounts import access
from prevention.editing import StaleEdit, VersionedModelForm
from prevention.models import (
    ActivityLog,
    Attachment,
    CrimeStatistic,
    District,
    FundingLine,
    Indicator,
    Measurement,
    PlanPriority,
    ProgressUpdate,
)
from prevention.models.base import Tracked
from prevention.templatetags.prevention_tags import money

# Who did it, filled in from the signed-in administrator when the form leaves it empty.
RECORDED_USER_FIELD = {
    ProgressUpdate: "author",
    ActivityLog: "author",
    Measurement: "entered_by",
    CrimeStatistic: "entered_by",
    Attachment: "uploaded_by",
}


def is_administrator(user) -> bool:
    return access.scope_for(user).is_admin


def is_scoped(model: type[models.Model]) -> bool:
    """A plan object: the access module decides who sees it, from where its district is."""
    return hasattr(model, "district_path")


def district_choices(user) -> models.QuerySet[District]:
    if is_administrator(user):
        return District.objects.all()
    return District.objects.filter(pk__in=access.scope_for(user).district_ids())


def _cached(request: HttpRequest, kind: str, obj: models.Model, decide: Callable[[], bool]) -> bool:
    # The admin asks the same question several times while rendering one page: ask the database once.
    cache = request.__dict__.setdefault("_admin_access_cache", {})
    key = (kind, obj._meta.label, obj.pk)
    if key not in cache:
        cache[key] = decide()
    return cache[key]


def can_view(request: HttpRequest, obj: models.Model) -> bool:
    if is_administrator(request.user) or not is_scoped(type(obj)):
        return True
    if obj.pk is None:
        return False
    manager = type(obj)._default_manager
    return _cached(
        request, "view", obj, lambda: access.visible(manager.filter(pk=obj.pk), request.user).exists()
    )


def can_change(request: HttpRequest, obj: models.Model) -> bool:
    if is_administrator(request.user) or not is_scoped(type(obj)):
        return True
    if obj.pk is None:
        return False
    return _cached(request, "change", obj, lambda: access.can_change(request.user, obj))


def refuse_outside_scope(request: HttpRequest, objects: Iterable[models.Model]) -> None:
    """Raise PermissionDenied unless the user may change every one of ``objects`` (saved rows).

    Raised inside the admin's transaction, so whatever the request saved is rolled back.
    """
    objects = [obj for obj in objects if obj.pk is not None]
    if not objects or is_administrator(request.user) or not is_scoped(type(objects[0])):
        return
    model = type(objects[0])
    pks = {obj.pk for obj in objects}
    allowed = access.editable(model._default_manager.filter(pk__in=pks), request.user).count()
    if allowed != len(pks):
        raise PermissionDenied


def limit_choices(db_field: models.Field, request: HttpRequest, kwargs: dict) -> None:
    """Offer in a foreign key or many-to-many field only the rows the user can see."""
    if "queryset" in kwargs or is_administrator(request.user):
        return
    related = db_field.related_model
    if is_scoped(related):
        kwargs["queryset"] = access.visible(related._default_manager.all(), request.user)
    elif related is District:
        kwargs["queryset"] = district_choices(request.user)


@dataclass(frozen=True)
class ChoiceLabel:
    """How to name a row in a choice list where its own ``__str__`` is ambiguous ("1. Burglary")."""

    select_related: tuple[str, ...]
    text: Callable[[models.Model], str]


CHOICE_LABELS: dict[type[models.Model], ChoiceLabel] = {
    PlanPriority: ChoiceLabel(("plan__district", "issue"), lambda p: f"{p.plan.district} · {p.plan} · {p}"),
    FundingLine: ChoiceLabel(("initiative", "funder"), lambda line: f"{line.initiative} · {line}"),
    Indicator: ChoiceLabel(("plan",), lambda i: f"{i.plan} · {i}"),
}


def label_choices(formfield: forms.Field | None, db_field: models.Field) -> None:
    label = CHOICE_LABELS.get(db_field.related_model)
    if label is None or formfield is None:
        return
    formfield.queryset = formfield.queryset.select_related(*label.select_related)
    formfield.label_from_instance = label.text


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    """The admin's autocomplete, naming ambiguous rows as ``CHOICE_LABELS`` says."""

    def get_queryset(self) -> models.QuerySet:
        queryset = super().get_queryset()
        label = CHOICE_LABELS.get(queryset.model)
        return queryset.select_related(*label.select_related) if label else queryset

    def serialize_result(self, obj: models.Model, to_field_name: str) -> dict:
        result = super().serialize_result(obj, to_field_name)
        label = CHOICE_LABELS.get(type(obj))
        if label is not None:
            result["text"] = label.text(obj)
        return result


def record_user(request: HttpRequest, obj: models.Model) -> None:
    field = RECORDED_USER_FIELD.get(type(obj))
    if field and getattr(obj, f"{field}_id") is None:
        setattr(obj, field, request.user)


def amount(value, currency: str) -> str:
    return "–" if value is None else f"{money(value)} {currency}"


class AnnotatedChangeList(ChangeList):
    """A change list whose rows carry what their columns compute (progress, latest value, totals).

    The list is sorted after the annotations are added, so that a computed column sorts by its value
    (``ordering="spent_total"``): Django sorts before the admin could annotate, and such a header
    answered 500.
    """

    _sort_later = False

    def get_ordering(self, request: HttpRequest, queryset: models.QuerySet) -> list:
        return [] if self._sort_later else super().get_ordering(request, queryset)

    def get_queryset(self, request: HttpRequest, exclude_parameters=None) -> models.QuerySet:
        self._sort_later = True
        try:
            queryset = super().get_queryset(request, exclude_parameters)
        finally:
            self._sort_later = False
        queryset = self.model_admin.annotate_changelist(request, queryset)
        return queryset.order_by(*self.get_ordering(request, queryset))


class _VersionedFormMixin:
    """Give plan objects' forms the version field, and make sure the page renders it."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if issubclass(self.model, Tracked) and self.form is forms.ModelForm:
            self.form = VersionedModelForm

    @property
    def is_versioned(self) -> bool:
        return issubclass(self.form, VersionedModelForm)

    def get_fieldsets(self, request: HttpRequest, obj=None) -> list:
        fieldsets = list(super().get_fieldsets(request, obj))
        if self.is_versioned and "edit_version" not in flatten_fieldsets(fieldsets):
            name, options = fieldsets[-1]
            fieldsets[-1] = (name, {**options, "fields": [*options["fields"], "edit_version"]})
        return fieldsets


class _PrefetchedOptions:
    """An autocomplete widget that takes its selected options from ``prefetched`` when it is given.

    Django's widget looks its selected options up with one query per widget, so a page with an inline
    of fifty rows would make fifty; ``PrefetchedChoicesFormSet`` makes one per field instead.
    """

    prefetched: dict[str, models.Model] | None = None

    def optgroups(self, name: str, value: list[str], attr=None) -> list:
        if self.prefetched is None:
            return super().optgroups(name, value, attr)
        options: list = []
        selected = [v for v in value if v not in self.choices.field.empty_values]
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        for pk in selected:
            obj = self.prefetched.get(pk)
            if obj is not None:
                label = self.choices.field.label_from_instance(obj)
                options.append(self.create_option(name, obj.pk, label, set(selected), len(options)))
        return [(None, options, 0)]


class PrefetchedAutocompleteSelect(_PrefetchedOptions, AutocompleteSelect):
    pass


class PrefetchedAutocompleteSelectMultiple(_PrefetchedOptions, AutocompleteSelectMultiple):
    pass


class PrefetchedChoicesFormSet(BaseInlineFormSet):
    """Name the selected options of every row's autocomplete fields with one query per field."""

    @cached_property
    def forms(self) -> list[forms.Form]:
        rows = super().forms
        for name, field in rows[0].fields.items() if rows else ():
            if not isinstance(_unwrapped(field.widget), _PrefetchedOptions):
                continue
            selected = set()
            for row in rows:
                value = row[name].value()
                values = value if isinstance(value, list | tuple) else [value]
                selected.update(str(v) for v in values if v not in field.empty_values)
            # Through the field's own queryset: a row never names what the user may not see.
            found = {str(obj.pk): obj for obj in field.queryset.filter(pk__in=selected)} if selected else {}
            for row in rows:
                _unwrapped(row.fields[name].widget).prefetched = found
        return rows


def _unwrapped(widget: forms.Widget) -> forms.Widget:
    # The admin wraps a relation's widget in RelatedFieldWidgetWrapper (the add and change icons).
    return getattr(widget, "widget", widget)


class ScopedInlineMixin(_VersionedFormMixin):
    """An inline that shows only the visible children, and edits them only where the parent may be.

    ``row_select_related`` and ``row_prefetch_related`` fetch what each row shows (its ``__str__``,
    read-only relations, many-to-many choices) with the rows, so that the page's query count does not
    grow with the number of rows.
    """

    extra = 0
    formset = PrefetchedChoicesFormSet
    row_select_related: tuple[str, ...] = ()
    row_prefetch_related: tuple[str, ...] = ()

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        queryset = super().get_queryset(request)
        if is_scoped(self.model) and not is_administrator(request.user):
            queryset = access.visible(queryset, request.user)
        if self.row_select_related:
            queryset = queryset.select_related(*self.row_select_related)
        return queryset.prefetch_related(*self.row_prefetch_related)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_add_permission(request, obj) and (obj is None or can_change(request, obj))

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or can_change(request, obj))

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or can_change(request, obj))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        limit_choices(db_field, request, kwargs)
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault("widget", PrefetchedAutocompleteSelect(db_field, self.admin_site))
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        label_choices(formfield, db_field)
        return formfield

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        limit_choices(db_field, request, kwargs)
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault("widget", PrefetchedAutocompleteSelectMultiple(db_field, self.admin_site))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedAdminMixin(_VersionedFormMixin):
    """Ask ``accounts.access`` what the user sees and changes (see the module docstring)."""

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        queryset = super().get_queryset(request)
        if is_scoped(self.model) and not is_administrator(request.user):
            queryset = access.visible(queryset, request.user)
        return queryset

    def annotate_changelist(self, request: HttpRequest, queryset: models.QuerySet) -> models.QuerySet:
        """Hook: annotations only the change list's columns need."""
        return queryset

    def get_changelist(self, request: HttpRequest, **kwargs) -> type[ChangeList]:
        return AnnotatedChangeList

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_view_permission(request, obj) and (obj is None or can_view(request, obj))

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or can_change(request, obj))

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or can_change(request, obj))

    def get_deleted_objects(self, objs, request: HttpRequest):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        try:
            refuse_outside_scope(request, list(objs))
        except PermissionDenied:
            # Django then refuses the deletion and names what the user may not delete.
            perms_needed.add(self.model._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        limit_choices(db_field, request, kwargs)
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        label_choices(formfield, db_field)
        return formfield

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        limit_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        if obj is not None and self.is_versioned and hasattr(obj, SIMPLE_HISTORY_REVERSE_ATTR_NAME):
            # Reverting to an old version from the history: it is stale only if the record changed
            # after the revert page was opened, not because the old version has an old number.
            current = type(obj)._default_manager.filter(pk=obj.pk).values_list("version", flat=True)
            if current:
                obj.version = current[0]
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        record_user(request, obj)
        obj._history_user = request.user
        restoring_deleted = change and not type(obj)._default_manager.filter(pk=obj.pk).exists()
        if isinstance(form, VersionedModelForm) and not restoring_deleted:
            form.save()  # checks and bumps the version in one transaction
        else:
            super().save_model(request, obj, form, change)
        refuse_outside_scope(request, [obj])

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        refuse_outside_scope(request, [f.instance for f in formset.deleted_forms])
        for child in formset.forms:
            if child.has_changed():
                record_user(request, child.instance)
        formset.save()
        changed = [obj for obj, _fields in formset.changed_objects]
        refuse_outside_scope(request, [*formset.new_objects, *changed])

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleEdit:
            return self._stale_edit_response(request)

    def history_form_view(self, request, object_id, version_id, extra_context=None) -> HttpResponse:
        if request.method == "POST":
            # Reverting is a change: simple-history itself only asks for the view permission.
            current = self.get_object(request, unquote(object_id))
            if current is None and not is_administrator(request.user):
                raise PermissionDenied
            if current is not None and not self.has_change_permission(request, current):
                raise PermissionDenied
        try:
            with transaction.atomic():
                return super().history_form_view(request, object_id, version_id, extra_context)
        except StaleEdit:
            return self._stale_edit_response(request)

    def _stale_edit_response(self, request: HttpRequest) -> HttpResponse:
        # Someone saved between the check of the form and the save itself; nothing of this save
        # was kept (the transaction rolled back), so show the current record again.
        self.message_user(
            request,
            _(
                "Someone else saved this record at the same moment; your changes were not saved. "
                "The current version is shown below: make your changes again."
            ),
            messages.ERROR,
        )
        return HttpResponseRedirect(request.get_full_path())


class DomainAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """The base of every admin of this project's models: access rules and the history page."""

    list_per_page = 50


class DomainInline(ScopedInlineMixin, admin.TabularInline):
    pass
