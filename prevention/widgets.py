"""Form widgets the standard ones are too slow for."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Iterator

from django import forms
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy


class QuickSelect(forms.Select):
    """A ``<select>`` whose options are written in Python rather than by a template each.

    Django renders every option through its own template; a filter offering a thousand initiatives
    spent most of its page's time there. The markup is the same as ``forms.Select``'s, groups
    (``(label, [(value, label), ...])`` choices) included; the attributes still come from the form and
    crispy-forms (``form-select``, ``is-invalid``, ``id``).
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        selected = set(self.format_value(value))
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(final_attrs),
            self._options(self.choices, selected),
        )

    @classmethod
    def _options(cls, choices: Iterable, selected: set[str]) -> SafeString:
        parts = []
        for value, label in choices:
            if isinstance(label, list | tuple):
                parts.append(f'<optgroup label="{_escape(value)}">')
                parts.extend(_option(value, text, selected) for value, text in label)
                parts.append("</optgroup>")
            else:
                parts.append(_option(value, label, selected))
        return SafeString("".join(parts))


def _escape(text) -> str:
    """``conditional_escape`` without making a safe string of every piece (a thousand options)."""
    if hasattr(text, "__html__"):
        return text.__html__()
    return html.escape(str(text))


def _option(value, label, selected: set[str]) -> str:
    text = "" if value is None else str(value)
    mark = " selected" if text in selected else ""
    return f'<option value="{_escape(text)}"{mark}>{_escape(label)}</option>'


class ChecksPeriod:
    """For a form with ``date_from`` and ``date_to``: a period that ends before it starts is pointed out
    at its end, rather than giving an empty list or report that would read as "nothing happened"."""

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", gettext_lazy("The end of the period cannot be before its start."))
        return cleaned


class MarksInvalidFields:
    """For a form whose widgets carry Bootstrap's classes themselves, its template writing the fields
    without crispy-forms: once cleaned, a field in error is marked ``is-invalid`` as crispy-forms would."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"


def labelled_rows(queryset: QuerySet, label_fields: tuple[str, ...]) -> list[tuple[int, str]]:
    """(id, label) rows without model instances, the label being the first non-empty of
    ``label_fields``, as the model's ``__str__`` would say (``("short_name", "name")`` for an
    organisation)."""
    rows = queryset.values_list("pk", *label_fields)
    return [(pk, next((label for label in labels if label), "")) for pk, *labels in rows]


class LazyChoices(BaseChoiceIterator):
    """Choices read from the database the first time they are needed, then kept for the request.

    For a widget showing cheap rows (``values_list``) in place of its field's model instances; the
    field still checks a submitted value against its own queryset. A select reads its first choice
    before rendering (for the ``required`` attribute), so the rows are read once, not twice. Being a
    ``BaseChoiceIterator`` keeps Django from reading them when they are given to the widget. ``read``
    returns the choices in their final form, ``(value, label)`` or ``(group, [(value, label), ...])``:
    Django's normalising of a thousand of them again took longer than reading them.
    """

    def __init__(self, read: Callable[[], Iterable]) -> None:
        self._read = read
        self._choices: list | None = None

    def __iter__(self) -> Iterator:
        if self._choices is None:
            self._choices = list(self._read())
        return iter(self._choices)


class QuickCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes written in Python, with the markup crispy-forms' Bootstrap 5 pack gives each.

    crispy-forms renders a ``CheckboxSelectMultiple`` through a template per option, which for a
    hotspot's thousand initiatives was most of the form's time. Rendered as ``{{ field }}`` inside the
    field's own wrapper (``prevention/includes/_checkbox_list_field.html``), this writes the same
    ``<div class="form-check">`` per choice, with the same ids, names, labels and checked state. A field
    with errors is left to ``as_crispy_field``, which writes each error next to the last checkbox; as a
    ``CheckboxSelectMultiple`` this widget still gives it its options. Choices are flat
    ``(value, label)`` pairs.
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        id_ = final_attrs.pop("id", None)
        shared = flatatt(final_attrs)
        checked = set(self.format_value(value))
        name = _escape(name)
        parts = ["<div >"]
        for index, (choice, label) in enumerate(self.choices):
            text = "" if choice is None else str(choice)
            option_id = f"{_escape(id_)}_{index}" if id_ else ""
            id_attr = f' id="{option_id}"' if id_ else ""
            mark = " checked" if text in checked else ""
            parts.append(
                '<div class="form-check">'
                f'<input type="checkbox" class="form-check-input" name="{name}" value="{_escape(text)}"'
                f"{shared}{id_attr}{mark}>"
                f'<label for="{option_id}" class="form-check-label">{_escape(label)}</label>'
                "</div>"
            )
        parts.append("</div>")
        return SafeString("".join(parts))
