"""Factories for tests: each builds a valid object with the least the caller must say."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.db.models import Max

from accounts.models import Membership, Organisation, User
from prevention import models as m


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Country
        django_get_or_create = ("iso_code",)

    iso_code = "KG"
    name = "Kyrgyzstan"
    currency = "KGS"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Region

    country = factory.SubFactory(CountryFactory)
    name = factory.Sequence(lambda n: f"Region {n}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.District

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"District {n}")
    population = 300_000
    population_year = 2016


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.NGO
    country = factory.SubFactory(CountryFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct-horse-battery")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.OFFICIAL

    @factory.post_generation
    def districts(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.districts.set(extracted)


class PriorityIssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.PriorityIssue
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Issue {n}")


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ActionPlan

    district = factory.SubFactory(DistrictFactory)
    title = factory.Sequence(lambda n: f"Action plan {n}")
    period_start = dt.date(2018, 1, 1)
    period_end = dt.date(2020, 12, 31)
    status = m.ActionPlan.Status.IN_IMPLEMENTATION
    approved_on = dt.date(2017, 12, 1)
    is_published = True


class PlanPriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.PlanPriority

    plan = factory.SubFactory(ActionPlanFactory)
    issue = factory.SubFactory(PriorityIssueFactory)
    # The plan's next free rank, as a person adding a priority would choose.
    rank = factory.LazyAttribute(lambda o: (o.plan.priorities.aggregate(top=Max("rank"))["top"] or 0) + 1)


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Initiative

    priority = factory.SubFactory(PlanPriorityFactory)
    title = factory.Sequence(lambda n: f"Initiative {n}")
    lead_organisation = factory.SubFactory(OrganisationFactory)
    starts_on = dt.date(2018, 1, 1)
    ends_on = dt.date(2020, 12, 31)
    status = m.Initiative.Status.IN_PROGRESS


class InitiativePartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.InitiativePartner

    initiative = factory.SubFactory(InitiativeFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = m.InitiativePartner.Role.IMPLEMENTING


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Milestone

    initiative = factory.SubFactory(InitiativeFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_on = dt.date(2019, 6, 30)
    weight = 1


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ProgressUpdate

    initiative = factory.SubFactory(InitiativeFactory)
    reported_on = dt.date(2018, 6, 30)
    status = m.Initiative.Status.IN_PROGRESS
    percent_complete = 25
    narrative = "Work has started."


class FundingLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.FundingLine

    initiative = factory.SubFactory(InitiativeFactory)
    funder = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.DONOR)
    source_type = m.FundingLine.Source.DONOR
    amount = Decimal("2000000.00")
    currency = "KGS"
    committed_on = dt.date(2017, 3, 1)


class SpendingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Spending

    funding_line = factory.SubFactory(FundingLineFactory)
    amount = Decimal("500000.00")
    spent_on = dt.date(2017, 9, 1)
    description = "Construction works"


class ActivityLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ActivityLog

    initiative = factory.SubFactory(InitiativeFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    occurred_on = dt.date(2018, 3, 15)
    kind = m.ActivityLog.Kind.TRAINING
    title = factory.Sequence(lambda n: f"Activity {n}")
    participants_total = 30
    participants_women = 12
    participants_men = 18
    participants_youth = 20


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Indicator

    plan = factory.SubFactory(ActionPlanFactory)
    name = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "crimes"
    level = m.Indicator.Level.OUTCOME
    direction = m.Indicator.Direction.DECREASE
    baseline_value = Decimal("120")
    target_value = Decimal("90")


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    measured_on = factory.Sequence(lambda n: dt.date(2018, 1, 1) + dt.timedelta(days=n))
    value = Decimal("105")


class CrimeStatisticFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.CrimeStatistic

    district = factory.SubFactory(DistrictFactory)
    year = 2016
    category = m.CrimeStatistic.Category.TOTAL
    count = 4023


class HotspotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Hotspot

    region = factory.SelfAttribute("district.region")
    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Hotspot {n}")
    kind = m.Hotspot.Kind.MARKET


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Meeting

    plan = factory.SubFactory(ActionPlanFactory)
    kind = m.Meeting.Kind.WORKING_GROUP
    held_on = dt.date(2018, 2, 1)
    title = factory.Sequence(lambda n: f"Meeting {n}")


class MeetingDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.MeetingDecision

    meeting = factory.SubFactory(MeetingFactory)
    text = factory.Sequence(lambda n: f"Decision {n}: report back at the next meeting")


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Risk
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Risk {n}")


class SafetyContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.SafetyContact

    country = factory.SubFactory(CountryFactory)
    kind = m.SafetyContact.Kind.EMERGENCY
    name = factory.Sequence(lambda n: f"Emergency line {n}")
    phone = "112"


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Assessment

    district = factory.SubFactory(DistrictFactory)
    title = factory.Sequence(lambda n: f"Assessment {n}")
    conducted_from = dt.date(2017, 2, 1)
    conducted_to = dt.date(2017, 5, 31)


class RiskFactorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.RiskFactor

    assessment = factory.SubFactory(AssessmentFactory)
    issue = factory.SubFactory(PriorityIssueFactory)
    description = "Poorly lit courtyards between apartment blocks."


class PerceptionSurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.PerceptionSurvey

    district = factory.SubFactory(DistrictFactory)
    title = factory.Sequence(lambda n: f"Perception survey {n}")
    fieldwork_start = dt.date(2017, 3, 1)
    fieldwork_end = dt.date(2017, 3, 31)
    sample_size = 800


class SurveyResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.SurveyResult

    survey = factory.SubFactory(PerceptionSurveyFactory)
    question = factory.Sequence(lambda n: f"Question {n}: feels safe walking alone after dark")
    percent = Decimal("54.0")


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Attachment

    activity_log = factory.SubFactory(ActivityLogFactory)
    file = factory.django.FileField(filename="evidence.pdf", data=b"%PDF-1.4\n%%EOF\n")
    original_name = "evidence.pdf"
    content_type = "application/pdf"
    size = 15
