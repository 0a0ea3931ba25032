"""Every rule the data must obey that the database can hold is refused by the database itself.

Each case arranges valid rows first (outside the transaction that is expected to fail), then makes one
change that breaks exactly one rule through ``create`` or ``update`` so model validation never runs.
``test_every_constraint_has_a_breaking_case`` fails when a constraint is added without a case here.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from prevention import models as m
from tests import factories as f

PROJECT_APPS = ("accounts", "prevention")
POSITIVE_FIELDS = (models.PositiveIntegerField, models.PositiveSmallIntegerField)


def project_models() -> list[type[models.Model]]:
    """The project's own models, without the history tables django-simple-history generates."""
    return [
        model
        for app in PROJECT_APPS
        for model in apps.get_app_config(app).get_models()
        if not hasattr(model, "instance_type")
    ]


def constraint_named(name: str) -> tuple[type[models.Model], models.BaseConstraint]:
    for model in project_models():
        for constraint in model._meta.constraints:
            if constraint.name == name:
                return model, constraint
    raise LookupError(name)


def assert_refused(act: Callable[[], object], rule: str) -> None:
    """The database refuses ``act`` and the refusal points at ``rule``.

    ``rule`` is a constraint name, or ``Model.field`` for a field declared unique. PostgreSQL names the
    constraint; SQLite names a check constraint but a unique one by its columns.
    """
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        act()
    message = str(refused.value)
    if "." in rule:
        model_name, field_name = rule.split(".")
        model = next(model for model in project_models() if model.__name__ == model_name)
        # SQLite: "UNIQUE constraint failed: table.column"; PostgreSQL: "table_column_key".
        assert model._meta.get_field(field_name).column in message, message
        return
    model, constraint = constraint_named(rule)
    if rule in message:
        return
    assert isinstance(constraint, models.UniqueConstraint) and constraint.fields, message
    columns = [model._meta.get_field(name).column for name in constraint.fields]
    assert all(f"{model._meta.db_table}.{column}" in message for column in columns), message


# Arrangements: each builds valid rows and returns the one change that breaks a rule.


def _iso_code_in_lower_case():
    country = f.CountryFactory()
    return lambda: m.Country.objects.filter(pk=country.pk).update(iso_code="kg")


def _country_currency_in_lower_case():
    country = f.CountryFactory()
    return lambda: m.Country.objects.filter(pk=country.pk).update(currency="kgs")


def _country_iso_code_twice():
    f.CountryFactory(iso_code="KG")
    return lambda: m.Country.objects.create(iso_code="KG", name="Kyrgyz Republic", currency="KGS")


def _region_name_twice():
    region = f.RegionFactory(name="Chuy")
    return lambda: m.Region.objects.create(country=region.country, name="Chuy")


def _district_name_twice():
    district = f.DistrictFactory(name="Sverdlovsk")
    return lambda: m.District.objects.create(region=district.region, name="Sverdlovsk")


def _zero_population():
    district = f.DistrictFactory()
    return lambda: m.District.objects.filter(pk=district.pk).update(population=0)


def _population_without_year():
    district = f.DistrictFactory()
    return lambda: m.District.objects.filter(pk=district.pk).update(population_year=None)


def _population_year_out_of_range():
    district = f.DistrictFactory()
    return lambda: m.District.objects.filter(pk=district.pk).update(population_year=1850)


def _year_without_population():
    district = f.DistrictFactory()
    return lambda: m.District.objects.filter(pk=district.pk).update(population=None)


def _plan_ending_before_it_starts():
    plan = f.ActionPlanFactory()
    return lambda: m.ActionPlan.objects.filter(pk=plan.pk).update(period_end=dt.date(2017, 12, 31))


def _plan_replacing_itself():
    plan = f.ActionPlanFactory()
    return lambda: m.ActionPlan.objects.filter(pk=plan.pk).update(replaces=F("pk"))


def _approved_plan_without_approval_date():
    plan = f.ActionPlanFactory(status=m.ActionPlan.Status.DRAFT, approved_on=None)
    return lambda: m.ActionPlan.objects.filter(pk=plan.pk).update(status=m.ActionPlan.Status.APPROVED)


def _priority_rank_twice():
    priority = f.PlanPriorityFactory(rank=1)
    return lambda: m.PlanPriority.objects.create(plan=priority.plan, issue=f.PriorityIssueFactory(), rank=1)


def _priority_issue_twice():
    priority = f.PlanPriorityFactory(rank=1)
    return lambda: m.PlanPriority.objects.create(plan=priority.plan, issue=priority.issue, rank=2)


def _priority_rank_zero():
    priority = f.PlanPriorityFactory()
    return lambda: m.PlanPriority.objects.filter(pk=priority.pk).update(rank=0)


def _priority_rank_hundred():
    priority = f.PlanPriorityFactory()
    return lambda: m.PlanPriority.objects.filter(pk=priority.pk).update(rank=100)


def _priority_issue_name_twice():
    f.PriorityIssueFactory(name="Burglary")
    return lambda: m.PriorityIssue.objects.create(name="Burglary")


def _initiative_ending_before_it_starts():
    initiative = f.InitiativeFactory()
    return lambda: m.Initiative.objects.filter(pk=initiative.pk).update(ends_on=dt.date(2017, 1, 1))


def _initiative_latitude_out_of_range():
    initiative = f.InitiativeFactory(latitude=Decimal("42.87"), longitude=Decimal("74.59"))
    return lambda: m.Initiative.objects.filter(pk=initiative.pk).update(latitude=Decimal("91"))


def _initiative_latitude_without_longitude():
    initiative = f.InitiativeFactory()
    return lambda: m.Initiative.objects.filter(pk=initiative.pk).update(latitude=Decimal("42.87"))


def _negative_budget():
    initiative = f.InitiativeFactory(budget=Decimal("1000"), budget_currency="KGS")
    return lambda: m.Initiative.objects.filter(pk=initiative.pk).update(budget=Decimal("-1"))


def _budget_without_currency():
    initiative = f.InitiativeFactory()
    return lambda: m.Initiative.objects.filter(pk=initiative.pk).update(budget=Decimal("1000"))


def _partner_twice():
    partner = f.InitiativePartnerFactory()
    return lambda: m.InitiativePartner.objects.create(
        initiative=partner.initiative, organisation=partner.organisation, role="supporting"
    )


def _done_milestone_without_date():
    milestone = f.MilestoneFactory()
    return lambda: m.Milestone.objects.filter(pk=milestone.pk).update(status=m.Milestone.Status.DONE)


def _pending_milestone_with_completion_date():
    milestone = f.MilestoneFactory()
    return lambda: m.Milestone.objects.filter(pk=milestone.pk).update(completed_on=dt.date(2019, 1, 1))


def _milestone_weight_above_hundred():
    milestone = f.MilestoneFactory()
    return lambda: m.Milestone.objects.filter(pk=milestone.pk).update(weight=101)


def _update_above_hundred_percent():
    update = f.ProgressUpdateFactory()
    return lambda: m.ProgressUpdate.objects.filter(pk=update.pk).update(percent_complete=101)


def _negative_spending_in_update():
    update = f.ProgressUpdateFactory(spent_to_date=Decimal("100"), spent_currency="KGS")
    return lambda: m.ProgressUpdate.objects.filter(pk=update.pk).update(spent_to_date=Decimal("-1"))


def _spending_in_update_without_currency():
    update = f.ProgressUpdateFactory()
    return lambda: m.ProgressUpdate.objects.filter(pk=update.pk).update(spent_to_date=Decimal("100"))


def _youth_beyond_participants():
    log = f.ActivityLogFactory(participants_total=30, participants_women=12, participants_men=18)
    return lambda: m.ActivityLog.objects.filter(pk=log.pk).update(participants_youth=31)


def _women_and_men_beyond_participants():
    log = f.ActivityLogFactory(participants_total=30, participants_women=12, participants_men=18)
    return lambda: m.ActivityLog.objects.filter(pk=log.pk).update(participants_women=13)


def _returned_log_without_note():
    log = f.ActivityLogFactory()
    return lambda: m.ActivityLog.objects.filter(pk=log.pk).update(
        review_state=m.ActivityLog.ReviewState.RETURNED, reviewed_at=timezone.now()
    )


def _verified_log_without_review_time():
    log = f.ActivityLogFactory()
    return lambda: m.ActivityLog.objects.filter(pk=log.pk).update(
        review_state=m.ActivityLog.ReviewState.VERIFIED
    )


def _assessment(**kwargs) -> m.Assessment:
    return m.Assessment.objects.create(
        district=kwargs.pop("district", None) or f.DistrictFactory(), title="UNODC assessment", **kwargs
    )


def _assessment_ending_before_it_starts():
    assessment = _assessment(conducted_from=dt.date(2017, 3, 1), conducted_to=dt.date(2017, 4, 1))
    return lambda: m.Assessment.objects.filter(pk=assessment.pk).update(conducted_to=dt.date(2017, 2, 1))


def _survey(**kwargs) -> m.PerceptionSurvey:
    values = {
        "district": f.DistrictFactory(),
        "title": "Safety perception 2017",
        "fieldwork_start": dt.date(2017, 3, 1),
        "fieldwork_end": dt.date(2017, 3, 20),
        "sample_size": 400,
        **kwargs,
    }
    return m.PerceptionSurvey.objects.create(**values)


def _survey_fieldwork_ending_before_it_starts():
    survey = _survey()
    return lambda: m.PerceptionSurvey.objects.filter(pk=survey.pk).update(fieldwork_end=dt.date(2017, 2, 28))


def _survey_without_respondents():
    survey = _survey()
    return lambda: m.PerceptionSurvey.objects.filter(pk=survey.pk).update(sample_size=0)


def _survey_margin_above_hundred():
    survey = _survey(margin_of_error=Decimal("4.9"))
    return lambda: m.PerceptionSurvey.objects.filter(pk=survey.pk).update(margin_of_error=Decimal("100.5"))


def _survey_margin_negative():
    survey = _survey(margin_of_error=Decimal("4.9"))
    return lambda: m.PerceptionSurvey.objects.filter(pk=survey.pk).update(margin_of_error=Decimal("-0.5"))


def _survey_result(**kwargs) -> m.SurveyResult:
    values = {
        "survey": _survey(),
        "question": "Feels safe walking alone after dark",
        "group": "women",
        "percent": Decimal("38.5"),
        **kwargs,
    }
    return m.SurveyResult.objects.create(**values)


def _survey_result_twice():
    result = _survey_result()
    return lambda: m.SurveyResult.objects.create(
        survey=result.survey, question=result.question, group=result.group, percent=Decimal("40")
    )


def _survey_result_above_hundred_percent():
    result = _survey_result()
    return lambda: m.SurveyResult.objects.filter(pk=result.pk).update(percent=Decimal("100.1"))


def _negative_funding():
    line = f.FundingLineFactory()
    return lambda: m.FundingLine.objects.filter(pk=line.pk).update(amount=Decimal("-0.01"))


def _funding_currency_in_lower_case():
    line = f.FundingLineFactory()
    return lambda: m.FundingLine.objects.filter(pk=line.pk).update(currency="usd")


def _negative_spending():
    spending = f.SpendingFactory()
    return lambda: m.Spending.objects.filter(pk=spending.pk).update(amount=Decimal("-1"))


def _decreasing_indicator_with_higher_target():
    indicator = f.IndicatorFactory(baseline_value=Decimal("120"), target_value=Decimal("90"))
    return lambda: m.Indicator.objects.filter(pk=indicator.pk).update(target_value=Decimal("130"))


def _increasing_indicator_with_lower_target():
    indicator = f.IndicatorFactory(
        direction=m.Indicator.Direction.INCREASE, baseline_value=Decimal("30"), target_value=Decimal("60")
    )
    return lambda: m.Indicator.objects.filter(pk=indicator.pk).update(target_value=Decimal("20"))


def _indicator_target_before_baseline():
    indicator = f.IndicatorFactory(baseline_on=dt.date(2016, 12, 31), target_on=dt.date(2020, 12, 31))
    return lambda: m.Indicator.objects.filter(pk=indicator.pk).update(target_on=dt.date(2015, 12, 31))


def _measurement_twice_on_one_date():
    measurement = f.MeasurementFactory()
    return lambda: m.Measurement.objects.create(
        indicator=measurement.indicator, measured_on=measurement.measured_on, value=Decimal("100")
    )


def _measurement_period_ending_before_it_starts():
    measurement = f.MeasurementFactory(period_start=dt.date(2018, 1, 1), measured_on=dt.date(2018, 12, 31))
    return lambda: m.Measurement.objects.filter(pk=measurement.pk).update(period_start=dt.date(2019, 1, 1))


def _hotspot_longitude_out_of_range():
    hotspot = f.HotspotFactory(latitude=Decimal("42.88"), longitude=Decimal("74.58"))
    return lambda: m.Hotspot.objects.filter(pk=hotspot.pk).update(longitude=Decimal("181"))


def _hotspot_longitude_without_latitude():
    hotspot = f.HotspotFactory()
    return lambda: m.Hotspot.objects.filter(pk=hotspot.pk).update(longitude=Decimal("74.58"))


def _safety_contact(**kwargs) -> m.SafetyContact:
    values = {"country": f.CountryFactory(), "kind": "emergency", "name": "Emergency", "phone": "112"}
    return m.SafetyContact.objects.create(**{**values, **kwargs})


def _contact_without_phone():
    contact = _safety_contact()
    return lambda: m.SafetyContact.objects.filter(pk=contact.pk).update(phone="")


def _risk_name_twice():
    m.Risk.objects.create(name="Pickpocketing")
    return lambda: m.Risk.objects.create(name="Pickpocketing")


def _activity_log_submitted_twice():
    key = uuid.uuid4()
    log = f.ActivityLogFactory(submission_key=key)
    return lambda: f.ActivityLogFactory(
        initiative=log.initiative, organisation=log.organisation, submission_key=key
    )


def _activity_total():
    log = f.ActivityLogFactory()
    return m.ActivityTotal.objects.get(initiative=log.initiative, organisation=log.organisation)


def _activity_total_twice():
    total = _activity_total()
    return lambda: m.ActivityTotal.objects.create(
        initiative=total.initiative, organisation=total.organisation
    )


def _statistic_twice():
    statistic = f.CrimeStatisticFactory()
    return lambda: m.CrimeStatistic.objects.create(
        district=statistic.district, year=statistic.year, category=statistic.category, count=1
    )


def _statistic_year_out_of_range():
    statistic = f.CrimeStatisticFactory()
    return lambda: m.CrimeStatistic.objects.filter(pk=statistic.pk).update(year=1899)


def _email_twice_in_other_case():
    f.UserFactory(username="aida", email="aida@example.org")
    return lambda: User.objects.create(username="aida2", email="Aida@Example.org")


def _username_twice():
    f.UserFactory(username="aida")
    return lambda: User.objects.create(username="aida", email="")


def _organisation_name_twice_in_one_country():
    organisation = f.OrganisationFactory(name="Sezim")
    return lambda: Organisation.objects.create(
        name="Sezim", kind=Organisation.Kind.NGO, country=organisation.country
    )


def _international_organisation_name_twice():
    f.OrganisationFactory(name="UNODC", kind=Organisation.Kind.UN_AGENCY, country=None)
    return lambda: Organisation.objects.create(name="UNODC", kind=Organisation.Kind.UN_AGENCY, country=None)


def _membership_twice():
    membership = f.MembershipFactory()
    return lambda: Membership.objects.create(
        user=membership.user, organisation=membership.organisation, role=membership.role
    )


@dataclass(frozen=True)
class Case:
    rule: str  # a constraint name, or Model.field for a field declared unique
    arrange: Callable[[], Callable[[], object]]

    @property
    def id(self) -> str:
        return f"{self.rule}-{self.arrange.__name__.strip('_')}"


CASES = [
    Case("country_iso_code_format", _iso_code_in_lower_case),
    Case("country_currency_format", _country_currency_in_lower_case),
    Case("Country.iso_code", _country_iso_code_twice),
    Case("region_unique_name", _region_name_twice),
    Case("district_unique_name", _district_name_twice),
    Case("district_population_positive", _zero_population),
    Case("district_population_has_year", _population_without_year),
    Case("district_population_has_year", _population_year_out_of_range),
    Case("district_population_has_year", _year_without_population),
    Case("plan_period_order", _plan_ending_before_it_starts),
    Case("plan_not_replacing_itself", _plan_replacing_itself),
    Case("plan_approval_dated", _approved_plan_without_approval_date),
    Case("PriorityIssue.name", _priority_issue_name_twice),
    Case("priority_unique_rank", _priority_rank_twice),
    Case("priority_unique_issue", _priority_issue_twice),
    Case("priority_rank_range", _priority_rank_zero),
    Case("priority_rank_range", _priority_rank_hundred),
    Case("initiative_period_order", _initiative_ending_before_it_starts),
    Case("initiative_coordinates_valid", _initiative_latitude_out_of_range),
    Case("initiative_coordinates_valid", _initiative_latitude_without_longitude),
    Case("initiative_budget_not_negative", _negative_budget),
    Case("initiative_budget_has_currency", _budget_without_currency),
    Case("partner_unique_per_initiative", _partner_twice),
    Case("milestone_done_has_date", _done_milestone_without_date),
    Case("milestone_done_has_date", _pending_milestone_with_completion_date),
    Case("milestone_weight_range", _milestone_weight_above_hundred),
    Case("update_percent_range", _update_above_hundred_percent),
    Case("update_spending_valid", _negative_spending_in_update),
    Case("update_spending_valid", _spending_in_update_without_currency),
    Case("log_participant_parts_within_total", _youth_beyond_participants),
    Case("log_women_and_men_within_total", _women_and_men_beyond_participants),
    Case("log_returned_has_note", _returned_log_without_note),
    Case("log_review_dated", _verified_log_without_review_time),
    Case("assessment_period_order", _assessment_ending_before_it_starts),
    Case("survey_fieldwork_order", _survey_fieldwork_ending_before_it_starts),
    Case("survey_sample_positive", _survey_without_respondents),
    Case("survey_margin_range", _survey_margin_above_hundred),
    Case("survey_margin_range", _survey_margin_negative),
    Case("survey_result_unique", _survey_result_twice),
    Case("survey_result_percent_range", _survey_result_above_hundred_percent),
    Case("funding_amount_not_negative", _negative_funding),
    Case("funding_currency_format", _funding_currency_in_lower_case),
    Case("spending_amount_not_negative", _negative_spending),
    Case("indicator_target_in_direction", _decreasing_indicator_with_higher_target),
    Case("indicator_target_in_direction", _increasing_indicator_with_lower_target),
    Case("indicator_dates_order", _indicator_target_before_baseline),
    Case("measurement_unique_date", _measurement_twice_on_one_date),
    Case("measurement_period_order", _measurement_period_ending_before_it_starts),
    Case("hotspot_coordinates_valid", _hotspot_longitude_out_of_range),
    Case("hotspot_coordinates_valid", _hotspot_longitude_without_latitude),
    Case("contact_has_phone", _contact_without_phone),
    Case("Risk.name", _risk_name_twice),
    Case("ActivityLog.submission_key", _activity_log_submitted_twice),
    Case("activity_total_unique", _activity_total_twice),
    Case("statistic_unique_per_year", _statistic_twice),
    Case("statistic_year_range", _statistic_year_out_of_range),
    Case("user_email_unique_ci", _email_twice_in_other_case),
    Case("User.username", _username_twice),
    Case("organisation_name_country_unique", _organisation_name_twice_in_one_country),
    Case("organisation_name_unique_international", _international_organisation_name_twice),
    Case("membership_unique_role", _membership_twice),
]
TESTED_RULES = {case.rule for case in CASES}


@pytest.mark.django_db
@pytest.mark.parametrize("case", [pytest.param(case, id=case.id) for case in CASES])
def test_database_refuses_breaking_the_rule(case: Case):
    act = case.arrange()
    assert_refused(act, case.rule)


def test_every_constraint_has_a_breaking_case():
    declared = {constraint.name for model in project_models() for constraint in model._meta.constraints}
    assert declared - TESTED_RULES == set(), "add a Case that breaks each of these constraints"
    unknown = {rule for rule in TESTED_RULES if "." not in rule} - declared
    assert unknown == set(), "these cases name constraints that no longer exist"


def test_every_unique_field_has_a_breaking_case():
    declared = {
        f"{model.__name__}.{field.name}"
        for model in project_models()
        for field in model._meta.local_fields
        if field.unique and not field.primary_key
    }
    assert declared == {rule for rule in TESTED_RULES if "." in rule}


def test_models_declare_no_unique_together_outside_constraints():
    """unique_together would escape the constraint walk above; the project uses UniqueConstraint."""
    assert [model for model in project_models() if model._meta.unique_together] == []


# Positive-integer columns: Django puts a CHECK (column >= 0) on them. One row per model, then -1.


def _attachment() -> m.Attachment:
    return m.Attachment.objects.create(
        activity_log=f.ActivityLogFactory(),
        file="evidence/leaflets.jpg",
        original_name="leaflets.jpg",
        content_type="image/jpeg",
        size=2048,
    )


def _meeting_decision() -> m.MeetingDecision:
    return m.MeetingDecision.objects.create(meeting=f.MeetingFactory(), text="Print more leaflets.")


ROW_FACTORIES: dict[type[models.Model], Callable[[], models.Model]] = {
    m.ActionPlan: f.ActionPlanFactory,
    m.ActivityLog: f.ActivityLogFactory,
    m.ActivityTotal: _activity_total,
    m.Assessment: _assessment,
    m.Attachment: _attachment,
    m.CrimeStatistic: f.CrimeStatisticFactory,
    m.District: f.DistrictFactory,
    m.FundingLine: f.FundingLineFactory,
    m.Hotspot: f.HotspotFactory,
    m.Indicator: f.IndicatorFactory,
    m.Initiative: f.InitiativeFactory,
    m.Measurement: f.MeasurementFactory,
    m.Meeting: f.MeetingFactory,
    m.MeetingDecision: _meeting_decision,
    m.Milestone: f.MilestoneFactory,
    m.PerceptionSurvey: _survey,
    m.PlanPriority: f.PlanPriorityFactory,
    m.ProgressUpdate: f.ProgressUpdateFactory,
    m.SafetyContact: _safety_contact,
    m.Spending: f.SpendingFactory,
}

POSITIVE_COLUMNS = [
    pytest.param(model, field.name, id=f"{model.__name__}.{field.name}")
    for model in project_models()
    for field in model._meta.local_concrete_fields
    if isinstance(field, POSITIVE_FIELDS)
]


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "field_name"), POSITIVE_COLUMNS)
def test_database_refuses_a_negative_count(model: type[models.Model], field_name: str):
    assert model in ROW_FACTORIES, f"add a row factory for {model.__name__} to ROW_FACTORIES"
    row = ROW_FACTORIES[model]()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**{field_name: -1})


def test_positive_columns_are_found():
    """The walk finds the columns we know of, so the parametrised test above is not empty by mistake."""
    found = {param.id for param in POSITIVE_COLUMNS}
    assert {"District.population", "CrimeStatistic.count", "Milestone.weight", "Initiative.version"} <= found


# Boundaries the rules allow.


@pytest.mark.django_db
def test_database_accepts_the_boundaries_of_the_rules():
    plan = f.ActionPlanFactory(period_start=dt.date(2018, 1, 1), period_end=dt.date(2018, 1, 1))
    f.InitiativeFactory(
        priority=f.PlanPriorityFactory(plan=plan),
        starts_on=dt.date(2018, 1, 1),
        ends_on=None,
        latitude=Decimal("-90"),
        longitude=Decimal("180"),
        budget=Decimal("0"),
        budget_currency="KGS",
    )
    f.ProgressUpdateFactory(percent_complete=0)
    f.ProgressUpdateFactory(percent_complete=100, spent_to_date=Decimal("0"), spent_currency="USD")
    f.IndicatorFactory(baseline_value=Decimal("90"), target_value=Decimal("90"))
    f.ActivityLogFactory(participants_total=0, participants_women=0, participants_men=0, participants_youth=0)
    f.DistrictFactory(population=None, population_year=None)
    f.UserFactory(username="no_email_1", email="")
    f.UserFactory(username="no_email_2", email="")
    f.OrganisationFactory(name="Sezim", country=f.CountryFactory(iso_code="KG"))
    f.OrganisationFactory(
        name="Sezim", country=f.CountryFactory(iso_code="BO", name="Bolivia", currency="BOB")
    )


# What a person sees: full_clean() turns the same rules into the messages of the constraints.


def _messages(instance: models.Model) -> list[str]:
    with pytest.raises(ValidationError) as invalid:
        instance.full_clean()
    return invalid.value.messages


@pytest.mark.django_db
def test_negative_funding_shows_the_constraint_message():
    line = f.FundingLineFactory.build(initiative=f.InitiativeFactory(), funder=f.OrganisationFactory())
    line.amount = Decimal("-5")
    assert "An amount cannot be negative." in _messages(line)


@pytest.mark.django_db
def test_initiative_ending_before_it_starts_shows_the_constraint_message():
    initiative = f.InitiativeFactory(starts_on=dt.date(2019, 1, 1), ends_on=dt.date(2019, 12, 31))
    initiative.ends_on = dt.date(2018, 12, 31)
    assert "The end date cannot be before the start date." in _messages(initiative)


@pytest.mark.django_db
def test_second_statistic_for_the_same_year_shows_the_constraint_message():
    first = f.CrimeStatisticFactory()
    second = m.CrimeStatistic(district=first.district, year=first.year, category=first.category, count=7)
    assert "This district already has a figure for this year and category." in _messages(second)


@pytest.mark.django_db
def test_done_milestone_without_date_shows_the_constraint_message():
    milestone = f.MilestoneFactory()
    milestone.status = m.Milestone.Status.DONE
    assert "A done milestone has a completion date, and only a done one." in _messages(milestone)


@pytest.mark.django_db
def test_women_and_men_beyond_participants_shows_the_constraint_message():
    log = f.ActivityLogFactory(participants_total=30, participants_women=12, participants_men=18)
    log.participants_women = 20
    assert "Women and men together cannot exceed the participants." in _messages(log)


@pytest.mark.django_db
def test_second_account_with_the_same_email_shows_the_constraint_message():
    f.UserFactory(username="aida", email="aida@example.org")
    twin = User(username="aida2", email="AIDA@example.org")
    twin.set_password("correct-horse-battery")
    assert "Another user already has this e-mail address." in _messages(twin)


# Rules the database cannot hold: clean() says them.


@pytest.mark.django_db
def test_plan_cannot_replace_a_plan_of_another_district():
    older = f.ActionPlanFactory()
    plan = f.ActionPlanFactory.build(district=f.DistrictFactory(), replaces=older)
    with pytest.raises(ValidationError) as invalid:
        plan.full_clean()
    assert invalid.value.message_dict["replaces"] == ["A plan can only replace a plan of the same district."]


@pytest.mark.django_db
def test_plan_may_replace_a_plan_of_its_own_district():
    older = f.ActionPlanFactory(status=m.ActionPlan.Status.SUPERSEDED)
    f.ActionPlanFactory.build(district=older.district, replaces=older).full_clean()


@pytest.mark.django_db
def test_indicator_priority_must_belong_to_the_indicators_plan():
    other_priority = f.PlanPriorityFactory()
    indicator = f.IndicatorFactory.build(plan=f.ActionPlanFactory(), priority=other_priority)
    with pytest.raises(ValidationError) as invalid:
        indicator.full_clean()
    assert invalid.value.message_dict["priority"] == ["Choose a priority of the same plan."]


@pytest.mark.django_db
def test_indicator_initiative_must_belong_to_the_indicators_plan():
    other_initiative = f.InitiativeFactory()
    indicator = f.IndicatorFactory.build(plan=f.ActionPlanFactory(), initiative=other_initiative)
    with pytest.raises(ValidationError) as invalid:
        indicator.full_clean()
    assert invalid.value.message_dict["initiative"] == ["Choose an initiative of the same plan."]


@pytest.mark.django_db
def test_indicator_may_point_at_its_own_plans_priority_and_initiative():
    initiative = f.InitiativeFactory()
    priority = initiative.priority
    f.IndicatorFactory.build(plan=priority.plan, priority=priority, initiative=initiative).full_clean()


@pytest.mark.django_db
def test_hotspot_district_must_lie_in_the_hotspots_region():
    hotspot = f.HotspotFactory.build(region=f.RegionFactory(), district=f.DistrictFactory())
    with pytest.raises(ValidationError) as invalid:
        hotspot.full_clean()
    assert invalid.value.message_dict["district"] == ["Choose a district of the hotspot's region."]


@pytest.mark.django_db
def test_hotspot_may_cover_a_whole_region_without_a_district():
    f.HotspotFactory.build(region=f.RegionFactory(), district=None).full_clean()


@pytest.mark.django_db
def test_meeting_decision_initiative_must_belong_to_the_meetings_plan():
    meeting = f.MeetingFactory()
    decision = m.MeetingDecision(meeting=meeting, text="Repair the lights.", initiative=f.InitiativeFactory())
    with pytest.raises(ValidationError) as invalid:
        decision.full_clean()
    assert invalid.value.message_dict["initiative"] == ["Choose an initiative of the meeting's plan."]


@pytest.mark.django_db
def test_meeting_decision_may_follow_up_an_initiative_of_the_meetings_plan():
    initiative = f.InitiativeFactory()
    meeting = f.MeetingFactory(plan=initiative.priority.plan)
    m.MeetingDecision(meeting=meeting, text="Repair the lights.", initiative=initiative).full_clean()
