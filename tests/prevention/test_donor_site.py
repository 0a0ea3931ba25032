"""The donor site at /donor/: the INL donor sees what INL funds, never anything else, and changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from prevention import models as m
from prevention import progress as rules
from prevention.donor import donor_site
from tests import factories as f


@dataclass
class DonorWorld:
    own: dict[type, object]  # per model registered on the donor site: an object the donor may see
    others: dict[type, list]  # ... and objects of the same model the donor must not see
    verified_log: m.ActivityLog
    draft_log: m.ActivityLog
    attachment: m.Attachment


def verified_log(**kwargs) -> m.ActivityLog:
    return f.ActivityLogFactory(review_state="verified", reviewed_at=timezone.now(), **kwargs)


@pytest.fixture
def donor_world(world) -> DonorWorld:
    a, b = world.a, world.b
    other_funder = f.OrganisationFactory(name="Other Fund", kind=Organisation.Kind.DONOR, country=None)
    other_line = f.FundingLineFactory(
        initiative=a.initiative, funder=other_funder, amount=999, currency="USD"
    )
    b_line = f.FundingLineFactory(initiative=b.initiative, funder=other_funder)
    f.MilestoneFactory(initiative=a.initiative, title="Station walls built")
    f.ProgressUpdateFactory(initiative=a.initiative, narrative="Foundations poured.")
    log = verified_log(initiative=a.initiative, organisation=a.police_unit, title="Station opening")
    draft = f.ActivityLogFactory(initiative=a.initiative, organisation=a.ngo, title="Draft not checked yet")
    attachment = m.Attachment.objects.create(
        activity_log=log,
        file=SimpleUploadedFile("opening.pdf", b"%PDF-1.4 opening"),
        original_name="opening.pdf",
        content_type="application/pdf",
        size=16,
    )
    indicator = f.IndicatorFactory(plan=a.plan, initiative=a.initiative, name="Calls answered")
    plan_indicator = f.IndicatorFactory(plan=a.plan, name="Burglaries in district A")
    b_indicator = f.IndicatorFactory(plan=b.plan, initiative=b.initiative, name="Indicator of B")
    return DonorWorld(
        own={
            m.Initiative: a.initiative,
            m.FundingLine: world.funding,
            m.Spending: f.SpendingFactory(funding_line=world.funding, description="INL works"),
            m.ActivityLog: log,
            m.Indicator: indicator,
            m.Measurement: f.MeasurementFactory(indicator=indicator, note="own measurement"),
        },
        others={
            m.Initiative: [b.initiative],
            m.FundingLine: [other_line, b_line],
            m.Spending: [
                f.SpendingFactory(funding_line=other_line, description="Other fund works"),
                f.SpendingFactory(funding_line=b_line, description="B works"),
            ],
            m.ActivityLog: [
                draft,
                verified_log(initiative=b.initiative, organisation=b.ngo, title="B event"),
            ],
            m.Indicator: [plan_indicator, b_indicator],
            m.Measurement: [
                f.MeasurementFactory(indicator=plan_indicator, note="plan measurement"),
                f.MeasurementFactory(indicator=b_indicator, note="B measurement"),
            ],
        },
        verified_log=log,
        draft_log=draft,
        attachment=attachment,
    )


def url(obj_or_model, action: str) -> str:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    name = f"donor:{model._meta.app_label}_{model._meta.model_name}_{action}"
    if action in ("changelist", "add"):
        return reverse(name)
    return reverse(name, args=[obj_or_model.pk])


def test_every_registered_model_is_covered_by_these_tests(donor_world):
    assert set(donor_site._registry) == set(donor_world.own) == set(donor_world.others)


@pytest.mark.parametrize("model", list(donor_site._registry), ids=lambda model: model.__name__)
def test_every_donor_url_shows_own_objects_hides_others_and_changes_nothing(
    client, world, donor_world, model
):
    own, others = donor_world.own[model], donor_world.others[model]
    client.force_login(world.donor)

    assert client.get(url(model, "changelist")).status_code == 200
    page = client.get(url(own, "change"))
    assert page.status_code == 200
    assert 'name="_save"' not in page.text  # read-only: no save button
    assert client.get(url(own, "history")).status_code == 200
    for other in others:
        assert client.get(url(other, "change")).status_code == 404
        assert client.get(url(other, "history")).status_code == 404

    assert client.get(url(model, "add")).status_code == 403
    assert client.post(url(model, "add"), {}).status_code == 403
    assert client.post(url(own, "change"), {}).status_code == 403
    assert client.get(url(own, "delete")).status_code == 403
    assert client.post(url(own, "delete"), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=own.pk).exists()


def test_lists_show_what_inl_funds_and_nothing_of_other_funders(client, world, donor_world):
    client.force_login(world.donor)
    texts = {model: client.get(url(model, "changelist")).text for model in donor_site._registry}
    assert "Initiative A" in texts[m.Initiative]
    assert "Initiative B" not in texts[m.Initiative]
    assert "INL works" in texts[m.Spending]
    assert "Other fund works" not in texts[m.Spending] and "B works" not in texts[m.Spending]
    assert "999.00" not in texts[m.FundingLine] and "Other Fund" not in texts[m.FundingLine]
    assert "Station opening" in texts[m.ActivityLog]
    assert "B event" not in texts[m.ActivityLog]
    assert "Calls answered" in texts[m.Indicator]
    assert "Burglaries in district A" not in texts[m.Indicator] and "Indicator of B" not in texts[m.Indicator]
    # The filters offer only what the donor can see.
    assert "District B" not in texts[m.Initiative] and "Police B" not in texts[m.ActivityLog]


def test_the_initiative_page_shows_what_hangs_under_it(client, world, donor_world):
    client.force_login(world.donor)
    page = client.get(url(world.a.initiative, "change")).text
    assert "Station walls built" in page
    assert "Foundations poured." in page
    assert "2,000,000.00" in page or "2000000.00" in page
    assert "Other Fund" not in page  # another funder's line on the same initiative stays hidden


def test_unverified_logs_never_appear(client, world, donor_world):
    client.force_login(world.donor)
    assert "Draft not checked yet" not in client.get(url(m.ActivityLog, "changelist")).text
    assert client.get(url(donor_world.draft_log, "change")).status_code == 404
    assert "Draft not checked yet" not in client.get(reverse("donor:index")).text


def test_administrator_on_the_donor_site_also_counts_verified_logs_only(client, world, donor_world):
    client.force_login(world.admin)
    listing = client.get(url(m.ActivityLog, "changelist")).text
    assert "Station opening" in listing and "B event" in listing
    assert "Draft not checked yet" not in listing


def test_verified_log_lists_its_evidence_and_the_donor_can_download_it(client, world, donor_world):
    client.force_login(world.donor)
    page = client.get(url(donor_world.verified_log, "change")).text
    download = reverse("prevention:attachment-download", args=[donor_world.attachment.pk])
    assert download in page and "opening.pdf" in page
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 opening"


def test_home_sums_up_the_portfolio_per_currency(client, world, donor_world):
    client.force_login(world.donor)
    response = client.get(reverse("donor:index"))
    assert response.status_code == 200
    portfolio = response.context["portfolio"]
    assert [i.title for i in portfolio.initiatives] == ["Initiative A"]
    assert [(row.currency, row.committed, row.spent) for row in portfolio.money] == [
        ("KGS", 2_000_000, 500_000)
    ]
    assert portfolio.indicators["off_track"] + portfolio.indicators["on_track"] == 1
    assert portfolio.overall.activities == 1
    assert "Initiative B" not in response.text
    assert "USD" not in response.text


def test_home_counts_recent_verified_activities_and_people_reached(client, world, donor_world):
    today = timezone.localdate()
    verified_log(
        initiative=world.a.initiative,
        organisation=world.a.ngo,
        occurred_on=today,
        participants_total=40,
        participants_women=20,
        participants_men=20,
        participants_youth=10,
        audience_reached=15_000,
    )
    client.force_login(world.donor)
    portfolio = client.get(reverse("donor:index")).context["portfolio"]
    assert (portfolio.recent.activities, portfolio.recent.people) == (1, 15_040)
    assert portfolio.overall.activities == 2  # the one of 2018 too


def test_home_sums_up_every_funded_initiative_and_lists_the_most_urgent_with_their_money(
    client, world, donor_world, monkeypatch
):
    monkeypatch.setattr("prevention.donor.HOME_INITIATIVES", 2)
    funder, priority = world.donor_org, world.a.priority
    late = world.a.initiative  # in progress past its end: off track
    halfway = f.InitiativeFactory(priority=priority, title="Halfway", ends_on=dt.date(2099, 12, 31))
    f.MilestoneFactory(initiative=halfway, status=m.Milestone.Status.DONE, completed_on=dt.date(2018, 5, 1))
    f.MilestoneFactory(initiative=halfway, due_on=dt.date(2099, 1, 1))
    line = f.FundingLineFactory(initiative=halfway, funder=funder, amount=300_000)
    f.SpendingFactory(funding_line=line, amount=100_000)
    done = f.InitiativeFactory(priority=priority, title="Done lights", status=m.Initiative.Status.COMPLETED)
    f.FundingLineFactory(initiative=done, funder=funder, amount=500, currency="USD")
    halted = f.InitiativeFactory(priority=priority, title="Halted", status=m.Initiative.Status.CANCELLED)
    f.FundingLineFactory(initiative=halted, funder=funder)

    client.force_login(world.donor)
    response = client.get(reverse("donor:index"))
    portfolio = response.context["portfolio"]
    assert portfolio.initiative_count == 4
    assert dict(portfolio.health) == {"off_track": 1, "on_track": 1, "done": 1, "cancelled": 1}
    late_progress = m.Initiative.objects.for_lists().get(pk=late.pk).progress
    assert portfolio.progress == rules.plan_progress([late_progress, Decimal(50), Decimal(100)])
    assert [i.title for i in portfolio.initiatives] == [late.title, "Halfway"]
    assert [(row.currency, row.committed, row.spent) for row in portfolio.initiatives[1].money] == [
        ("KGS", 300_000, 100_000)
    ]
    assert "Showing the 2 most urgent of the 4 initiatives you fund" in response.text
    assert "Done lights" not in response.text and "Halted" not in response.text


def test_home_shows_each_listed_initiative_with_its_own_progress_and_health(client, world, donor_world):
    funder, priority = world.donor_org, world.a.priority
    weighted = f.InitiativeFactory(priority=priority, title="Weighted lights", ends_on=dt.date(2099, 12, 31))
    f.MilestoneFactory(
        initiative=weighted, weight=3, status=m.Milestone.Status.DONE, completed_on=dt.date(2018, 5, 1)
    )
    f.MilestoneFactory(initiative=weighted, weight=1, due_on=dt.date(2099, 1, 1))
    f.ProgressUpdateFactory(initiative=weighted, percent_complete=10)  # milestones decide
    reported = f.InitiativeFactory(priority=priority, title="Reported patrols", ends_on=dt.date(2099, 12, 31))
    f.ProgressUpdateFactory(initiative=reported, percent_complete=40, reported_on=dt.date(2018, 6, 30))
    f.ProgressUpdateFactory(initiative=reported, percent_complete=10, reported_on=dt.date(2018, 1, 31))
    for initiative in (weighted, reported):
        f.FundingLineFactory(initiative=initiative, funder=funder)

    client.force_login(world.donor)
    response = client.get(reverse("donor:index"))
    listed = {i.title: i for i in response.context["portfolio"].initiatives}
    assert (listed["Weighted lights"].progress, listed["Reported patrols"].progress) == (75, 40)
    assert listed["Weighted lights"].health_now.label == "On track"
    page = response.text
    assert "75.0 %" in page and "40.0 %" in page
    assert "Progress keeps pace with time and nothing is overdue." in page
    late = world.a.initiative
    assert listed[late.title].health_now.label == "Off track"
    assert f"Its end date {late.ends_on:%-d %b %Y} has passed." in page


def test_idle_donor_sees_an_empty_portfolio_and_nothing_else(client, world, donor_world):
    client.force_login(world.idle_donor)
    response = client.get(reverse("donor:index"))
    assert response.status_code == 200
    assert "funds no initiative yet" in response.text
    assert client.get(url(world.a.initiative, "change")).status_code == 404


@pytest.mark.parametrize("persona", ["partner", "official", "police"])
def test_people_without_a_donor_membership_are_refused(client, world, persona):
    client.force_login(getattr(world.a, persona))
    assert client.get(reverse("donor:index")).status_code == 403
    assert client.get(url(m.Initiative, "changelist")).status_code == 403
    assert client.get(url(world.a.initiative, "change")).status_code == 403


def test_anonymous_visitor_is_sent_to_the_sign_in_page(client, world):
    response = client.get(reverse("donor:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert "next=/donor/" in response.redirect_chain[-1][0]


def test_view_on_site_shortcut_is_not_offered(client, world):
    client.force_login(world.donor)
    assert client.get(f"/donor/r/1/{world.b.initiative.pk}/").status_code == 404


def _grow(world, count: int) -> None:
    for number in range(count):
        initiative = f.InitiativeFactory(priority=world.a.priority, lead_organisation=world.a.police_unit)
        line = f.FundingLineFactory(initiative=initiative, funder=world.donor_org)
        f.SpendingFactory(funding_line=line)
        f.MilestoneFactory(initiative=initiative)
        verified_log(initiative=initiative, organisation=world.a.ngo, title=f"Grown {number}")
        f.MeasurementFactory(indicator=f.IndicatorFactory(plan=world.a.plan, initiative=initiative))


@pytest.mark.parametrize(
    "target", ["donor:index", *[f"changelist:{model.__name__}" for model in donor_site._registry]]
)
def test_donor_pages_cost_the_same_queries_for_3_and_30_initiatives(client, world, target):
    client.force_login(world.donor)
    if target.startswith("changelist:"):
        model = next(model for model in donor_site._registry if model.__name__ == target.split(":")[1])
        address = url(model, "changelist")
    else:
        address = reverse(target)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        return len(queries)

    _grow(world, 3)
    small = count()
    _grow(world, 27)
    assert count() == small


def test_home_says_one_activity_in_the_singular(client, world, donor_world):
    client.force_login(world.donor)
    text = client.get(reverse("donor:index")).text
    assert "Since the start: 1 verified activity reaching" in text
    assert "1 verified activities" not in text
