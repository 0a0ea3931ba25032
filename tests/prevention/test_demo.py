"""`manage.py load_demo`: the Sverdlovsk story of the source documents, loaded once however often it runs."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Membership, Organisation, User
from prevention import models as m
from prevention.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

PLAN_TITLE = "Sverdlovsk District Crime Prevention Action Plan"


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    # Auto-created through tables (a membership's districts, a hotspot's risks) and history tables too.
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


@pytest.fixture
def demo() -> str:
    return load_demo()


@pytest.fixture
def sverdlovsk(demo) -> m.District:
    return m.District.objects.get(
        name="Sverdlovsk district", region__name="Bishkek", region__country__iso_code="KG"
    )


def test_it_builds_kyrgyzstan_bishkek_and_sverdlovsk(sverdlovsk):
    kyrgyzstan = m.Country.objects.get(iso_code="KG")
    assert (kyrgyzstan.name, kyrgyzstan.currency) == ("Kyrgyzstan", "KGS")
    assert sverdlovsk.region.kind == m.Region.Kind.CITY
    assert m.Region.objects.filter(country=kyrgyzstan, name="Batken", kind=m.Region.Kind.OBLAST).exists()


def test_2016_crime_rate_is_the_press_releases_1341_per_100k(sverdlovsk):
    total = m.CrimeStatistic.objects.get(district=sverdlovsk, year=2016, category="total")
    assert total.count == 4023
    assert sverdlovsk.rate_per_100k(total.count) == Decimal("1341.0")


def test_plan_has_the_four_priorities_in_order(sverdlovsk):
    plan = m.ActionPlan.objects.get(district=sverdlovsk, title=PLAN_TITLE)
    assert plan.status == m.ActionPlan.Status.IN_IMPLEMENTATION
    assert plan.is_published
    assert str(plan.presented_on) == "2017-12-19"
    ranked = list(plan.priorities.order_by("rank").values_list("rank", "issue__name"))
    assert ranked == [
        (1, "Public order crime"),
        (2, "Burglary"),
        (3, "Road traffic accidents"),
        (4, "Juvenile delinquency"),
    ]
    catalogue = set(m.PriorityIssue.objects.values_list("name", flat=True))
    assert {"Domestic violence", "Livestock theft"} <= catalogue


def test_the_five_initiatives_of_the_press_release_have_their_partners(demo):
    initiatives = m.Initiative.objects.filter(priority__plan__title=PLAN_TITLE)
    titles = set(initiatives.values_list("title", flat=True))
    assert titles == {
        "Kelechek police station",
        "Crime prevention training for youth inspectors and social workers",
        "Video cameras and inhabitants' engagement in an apartment block (pilot)",
        "Burglary-prevention leaflets",
        "Weekly radio show on crime prevention",
    }
    for initiative in initiatives:
        roles = set(initiative.partnerships.values_list("role", flat=True))
        assert "lead" in roles, initiative
        assert initiative.partnerships.count() >= 3, initiative
    station = initiatives.get(title="Kelechek police station")
    assert station.status == m.Initiative.Status.COMPLETED
    assert station.lead_organisation.name == "Sverdlovsk district police"
    assert station.partnerships.filter(organisation__short_name="INL", role="funding").exists()


def test_police_station_has_the_2_million_som_funding_line_from_inl(demo):
    line = m.FundingLine.objects.get(
        initiative__title="Kelechek police station", funder__short_name="INL", currency="KGS"
    )
    assert line.amount == Decimal("2000000.00")
    assert line.source_type == m.FundingLine.Source.DONOR
    assert line.funder.kind == Organisation.Kind.DONOR


def test_milestones_logs_and_indicators_tell_the_story(demo):
    overdue = [ms for ms in m.Milestone.objects.all() if ms.is_overdue()]
    assert [ms.title for ms in overdue] == ["Review of the pilot with inhabitants and police"]
    assert m.Milestone.objects.filter(status="done").count() >= 5

    training = m.ActivityLog.objects.get(kind="training")
    assert (training.participants_total, training.review_state) == (30, "verified")
    radio = m.ActivityLog.objects.get(kind="media")
    assert radio.audience_reached == 15000
    returned = m.ActivityLog.objects.get(review_state="returned")
    assert returned.review_note
    assert m.ActivityLog.objects.filter(review_state="submitted").exists()
    assert m.ActivityLog.objects.filter(outputs__contains="leaflets handed out").exists()

    burglaries = m.Indicator.objects.get(name="Registered burglaries")
    assert burglaries.is_decreasing and burglaries.progress is not None
    assert m.Indicator.objects.get(name="Youth inspectors and social workers trained").progress == 100
    assert m.SurveyResult.objects.filter(group="women").exists()
    presentation = m.Meeting.objects.get(kind="public_presentation")
    assert str(presentation.held_on) == "2017-12-19"
    assert "Kursan Asanov" in presentation.attendees
    assert m.MeetingDecision.objects.filter(meeting__kind="working_group").count() >= 2


def test_osh_bazaar_and_batken_border_areas_are_hotspots_and_112_is_the_emergency_number(demo):
    osh_bazaar = m.Hotspot.objects.get(name="Osh Bazaar")
    assert osh_bazaar.region.name == "Bishkek"
    assert osh_bazaar.risks.filter(name="Pickpocketing").exists()
    batken = m.Hotspot.objects.get(region__name="Batken", kind=m.Hotspot.Kind.BORDER)
    assert batken.district is None
    assert "Tajik" in batken.name
    assert m.SafetyContact.objects.filter(country__iso_code="KG", phone="112").exists()


def test_bolivia_shows_a_second_country(demo):
    bolivia = m.Country.objects.get(iso_code="BO")
    assert bolivia.currency == "BOB"
    assert m.District.objects.filter(region__country=bolivia, name="La Paz").exists()
    assert m.District.objects.filter(region__country=bolivia, name="Cochabamba").exists()
    coronilla = m.Hotspot.objects.get(name="Coronilla Hill")
    assert coronilla.district.name == "Cochabamba"
    phones = set(m.SafetyContact.objects.filter(country=bolivia).values_list("phone", flat=True))
    assert {"110", "800-14-0081", "+591 (4) 450-3880"} <= phones


def test_one_account_per_role_and_an_administrator(demo):
    expected = {
        "official": ("Sverdlovsk district administration", Membership.Role.OFFICIAL),
        "police": ("Sverdlovsk district police", Membership.Role.POLICE),
        "partner": ("Sverdlovsk civil society partner (NGO)", Membership.Role.PARTNER),
        "donor": (
            "Bureau of International Narcotics and Law Enforcement Affairs (INL), U.S. Department of State",
            Membership.Role.DONOR,
        ),
    }
    for username, (organisation, role) in expected.items():
        membership = Membership.objects.get(user__username=username)
        assert (membership.organisation.name, membership.role) == (organisation, role)
    assert User.objects.get(username="admin").is_superuser
    partner_org = Membership.objects.get(user__username="partner").organisation
    assert m.InitiativePartner.objects.filter(organisation=partner_org, role="implementing").exists()
    for username in ("admin", *expected):
        assert username in demo


@pytest.mark.parametrize("debug", [False, True])
def test_running_it_twice_changes_no_table(settings, debug):
    settings.DEBUG = debug
    load_demo()
    before = row_counts()
    output = load_demo()
    assert row_counts() == before
    assert "nothing changed" in output


def test_running_it_again_resets_a_changed_demo_value(demo):
    plan = m.ActionPlan.objects.get(title=PLAN_TITLE)
    m.ActionPlan.objects.filter(pk=plan.pk).update(status="closed")
    load_demo()
    reloaded = m.ActionPlan.objects.get(pk=plan.pk)
    assert reloaded.status == m.ActionPlan.Status.IN_IMPLEMENTATION
    # Bumped, so that an edit form opened before the reset is refused rather than overwriting it.
    assert reloaded.version == plan.version + 1


def test_running_it_again_keeps_priorities_someone_reordered(demo):
    priorities = m.PlanPriority.objects.filter(plan__title=PLAN_TITLE)
    public_order = priorities.get(rank=1)
    burglary = priorities.get(rank=2)
    priorities.filter(pk=public_order.pk).update(rank=99)
    priorities.filter(pk=burglary.pk).update(rank=1)
    priorities.filter(pk=public_order.pk).update(rank=2)
    load_demo()
    assert list(priorities.order_by("rank").values_list("issue__name", flat=True)[:2]) == [
        "Burglary",
        "Public order crime",
    ]


def test_running_it_again_survives_a_copy_under_a_demo_name(demo):
    osh_bazaar = m.Hotspot.objects.get(name="Osh Bazaar")
    m.Hotspot.objects.create(region=osh_bazaar.region, name="Osh Bazaar", kind=m.Hotspot.Kind.MARKET)
    load_demo()
    assert m.Hotspot.objects.filter(name="Osh Bazaar").count() == 2


def sign_in(client, username: str, password: str) -> bool:
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    return response.status_code == 302


def test_with_debug_on_demo_accounts_sign_in_with_the_demo_password(client, settings):
    settings.DEBUG = True
    output = load_demo()
    assert DEMO_PASSWORD in output
    assert sign_in(client, "official", DEMO_PASSWORD)


def test_with_debug_off_demo_accounts_cannot_sign_in_with_the_demo_password(client, settings):
    settings.DEBUG = False
    output = load_demo()
    assert DEMO_PASSWORD not in output
    assert "no usable password" in output
    for username in ("admin", "official", "police", "partner", "donor"):
        assert not sign_in(client, username, DEMO_PASSWORD), username


def test_with_debug_off_a_rerun_removes_the_demo_password_but_keeps_a_real_one(client, settings):
    settings.DEBUG = True
    load_demo()
    admin = User.objects.get(username="admin")
    admin.set_password("a real and long password")
    admin.save()
    settings.DEBUG = False
    output = load_demo()
    assert not sign_in(client, "police", DEMO_PASSWORD)
    assert sign_in(client, "admin", "a real and long password")
    assert "admin keeps the password" in output
