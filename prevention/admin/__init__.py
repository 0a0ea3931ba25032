"""The Django admin at /admin/, one module per area of the domain (users and organisations are in
``accounts.admin``). Every admin asks ``accounts.access`` through ``prevention.admin.base``."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from prevention.admin import (  # noqa: F401  (each module registers its models)
    activities,
    assessments,
    funding,
    indicators,
    meetings,
    places,
    plans,
    statistics,
    territory,
)
from prevention.admin.base import LabelledAutocompleteJsonView

admin.site.site_header = _("Safer Districts administration")
admin.site.site_title = _("Safer Districts administration")
admin.site.index_title = _("Districts, plans and people")


def _autocomplete_view(request):
    return LabelledAutocompleteJsonView.as_view(admin_site=admin.site)(request)


# The default site's URLs pick this up: choices such as "1. Burglary" then name their plan.
admin.site.autocomplete_view = _autocomplete_view
