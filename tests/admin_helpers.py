"""Helpers for driving the Django admin in tests as a browser would."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files import File
from django.db.models import Model
from django.test import Client
from django.urls import reverse


def admin_url(model: type[Model] | Model, view: str, *args) -> str:
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def _as_post_value(value) -> str | list[str] | None:
    if value is None or isinstance(value, File):
        return None  # a browser sends nothing for a file input left alone
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    if isinstance(value, dt.date | Decimal | int):
        return str(value)
    return value


def form_data(response) -> dict:
    """What the admin page's form would post untouched: the main form, every inline, management forms."""
    data: dict = {}
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = str(value)
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = _as_post_value(form[name].value())
            if value is not None:
                data[form.add_prefix(name)] = value
    return data


def open_and_post(client: Client, url: str, changes: dict | None = None):
    """GET an admin form, then POST it back with ``changes`` applied."""
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page)
    data.update(changes or {})
    return client.post(url, data)
