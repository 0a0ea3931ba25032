from __future__ import annotations

from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from prevention.admin.base import DomainAdmin, DomainInline
from prevention.admin.plans import COMPACT_TEXT
from prevention.models import Assessment, PerceptionSurvey, RiskFactor, SurveyResult


class RiskFactorInline(DomainInline):
    model = RiskFactor
    fields = ["issue", "description"]
    autocomplete_fields = ["issue"]
    row_select_related = ("issue",)
    formfield_overrides = COMPACT_TEXT


@admin.register(Assessment)
class AssessmentAdmin(DomainAdmin):
    list_display = ["title", "district", "plan", "conducted_from", "conducted_to", "facilitated_by"]
    list_filter = [("district", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["district", "plan", "facilitated_by"]
    search_fields = ["title", "methods", "findings", "district__name"]
    date_hierarchy = "conducted_from"
    autocomplete_fields = ["district", "plan", "facilitated_by"]
    inlines = [RiskFactorInline]


@admin.register(RiskFactor)
class RiskFactorAdmin(DomainAdmin):
    list_display = ["issue", "summary", "assessment"]
    list_filter = ["issue", ("assessment__district", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["issue", "assessment"]
    search_fields = ["description", "issue__name", "assessment__title"]
    autocomplete_fields = ["assessment", "issue"]

    @admin.display(description=_("risk factor"), ordering="description")
    def summary(self, obj: RiskFactor) -> str:
        return Truncator(obj.description).chars(80)


class SurveyResultInline(DomainInline):
    model = SurveyResult
    fields = ["question", "group", "percent"]


@admin.register(PerceptionSurvey)
class PerceptionSurveyAdmin(DomainAdmin):
    list_display = ["title", "district", "fieldwork_start", "fieldwork_end", "sample_size", "margin_of_error"]
    list_filter = [("district", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["district"]
    search_fields = ["title", "district__name"]
    date_hierarchy = "fieldwork_start"
    autocomplete_fields = ["district", "assessment"]
    inlines = [SurveyResultInline]


@admin.register(SurveyResult)
class SurveyResultAdmin(DomainAdmin):
    list_display = ["question", "group", "percent", "survey"]
    list_filter = ["group", ("survey", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["survey"]
    search_fields = ["question", "survey__title"]
    autocomplete_fields = ["survey"]
