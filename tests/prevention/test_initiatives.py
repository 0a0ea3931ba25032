"""The initiative page, the initiative form with partners and funding, milestones and progress updates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prevention.models import (
    FundingLine,
    Initiative,
    InitiativePartner,
    Milestone,
    ProgressUpdate,
)
from tests import factories as f


def detail_url(initiative: Initiative) -> str:
    return reverse("prevention:initiative-detail", args=[initiative.pk])


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def add_evidence(log) -> None:
    log.attachments.create(
        file=SimpleUploadedFile("photo.jpg", b"jpeg"),
        original_name="photo.jpg",
        content_type="image/jpeg",
        size=4,
    )


# The initiative page --------------------------------------------------------------------------------


def test_page_shows_partners_with_roles_and_responsibilities(client, world):
    partnership = world.a.initiative.partnerships.get(organisation=world.a.ngo)
    partnership.responsibility = "Trains the youth inspectors"
    partnership.save()
    client.force_login(world.a.partner)
    text = client.get(detail_url(world.a.initiative)).text
    assert "NGO A" in text
    assert "Implementing" in text
    assert "Trains the youth inspectors" in text


def test_page_totals_money_per_currency_and_never_adds_two_currencies(client, world):
    initiative = world.a.initiative
    f.SpendingFactory(funding_line=world.funding, amount=Decimal("500000"))
    usd = f.FundingLineFactory(initiative=initiative, amount=Decimal("25000"), currency="USD")
    f.SpendingFactory(funding_line=usd, amount=Decimal("1000"))
    client.force_login(world.a.official)
    text = client.get(detail_url(initiative)).text
    assert "2,000,000.00" in text and "1,500,000.00" in text  # KGS committed and left
    assert "25,000.00" in text and "24,000.00" in text  # USD committed and left
    assert "2,025,000.00" not in text


def test_donor_sees_only_their_own_funding_line(client, world):
    f.FundingLineFactory(initiative=world.a.initiative, amount=Decimal("777000"), currency="KGS")
    client.force_login(world.donor)
    text = client.get(detail_url(world.a.initiative)).text
    assert "2,000,000.00" in text
    assert "777,000.00" not in text


def test_page_highlights_overdue_milestones(client, world):
    today = timezone.localdate()
    f.MilestoneFactory(initiative=world.a.initiative, title="Late one", due_on=today - dt.timedelta(days=3))
    f.MilestoneFactory(initiative=world.a.initiative, title="Future one", due_on=today + dt.timedelta(days=3))
    client.force_login(world.a.official)
    text = client.get(detail_url(world.a.initiative)).text
    assert text.count("milestone-overdue") == 1
    assert "Late one" in text and "Future one" in text


def test_page_lists_progress_updates_latest_first_as_the_current_state(client, world):
    f.ProgressUpdateFactory(
        initiative=world.a.initiative, reported_on=dt.date(2018, 3, 1), narrative="Older news"
    )
    f.ProgressUpdateFactory(
        initiative=world.a.initiative, reported_on=dt.date(2019, 3, 1), narrative="Newer news"
    )
    client.force_login(world.a.official)
    text = client.get(detail_url(world.a.initiative)).text
    assert text.index("Newer news") < text.index("Older news")
    assert text.index("current state") < text.index("Older news")


def test_page_lists_activity_logs_with_evidence_counts(client, world):
    log = f.ActivityLogFactory(
        initiative=world.a.initiative, organisation=world.a.ngo, title="Leaflets handed out"
    )
    add_evidence(log)
    add_evidence(log)
    client.force_login(world.a.official)
    response = client.get(detail_url(world.a.initiative))
    assert "Leaflets handed out" in response.text
    assert reverse("prevention:activity-log-detail", args=[log.pk]) in response.text
    assert '<i class="bi bi-paperclip" aria-hidden="true"></i> 2' in response.text


def test_page_shows_indicators_hotspots_and_history(client, world):
    indicator = f.IndicatorFactory(plan=world.a.plan, initiative=world.a.initiative, name="Youth offences")
    f.MeasurementFactory(indicator=indicator, value=Decimal("100"))
    hotspot = f.HotspotFactory(district=world.a.district, name="Osh Bazaar")
    hotspot.initiatives.add(world.a.initiative)
    client.force_login(world.a.official)
    client.post(reverse("prevention:milestone-create", args=[world.a.initiative.pk]), milestone_data())
    text = client.get(detail_url(world.a.initiative)).text
    assert "Youth offences" in text
    assert "Osh Bazaar" in text
    assert "Milestone <strong>Survey the blocks</strong> created" in text


def test_initiative_page_costs_the_same_queries_for_5_and_200_rows(client, world):
    initiative = world.a.initiative

    def grow(count: int) -> None:
        for n in range(count):
            f.MilestoneFactory(initiative=initiative, due_on=dt.date(2019, 1, 1) + dt.timedelta(days=n))
            f.ProgressUpdateFactory(initiative=initiative)
            log = f.ActivityLogFactory(initiative=initiative, organisation=world.a.ngo)
            add_evidence(log)
            line = f.FundingLineFactory(initiative=initiative, currency="USD" if n % 2 else "KGS")
            f.SpendingFactory(funding_line=line)
            f.InitiativePartnerFactory(initiative=initiative)
            f.IndicatorFactory(plan=world.a.plan, initiative=initiative)
            f.HotspotFactory(district=world.a.district).initiatives.add(initiative)

    client.force_login(world.a.official)
    grow(5)
    small = queries_for(client, detail_url(initiative))
    grow(195)
    large = queries_for(client, detail_url(initiative))
    assert small == large


def test_initiative_page_costs_the_same_queries_for_1_and_6_indicators_of_a_priority(client, world):
    client.force_login(world.a.official)
    f.IndicatorFactory(plan=world.a.plan, initiative=world.a.initiative, priority=world.a.priority)
    small = queries_for(client, detail_url(world.a.initiative))
    for _ in range(5):
        f.IndicatorFactory(plan=world.a.plan, initiative=world.a.initiative, priority=world.a.priority)
    assert queries_for(client, detail_url(world.a.initiative)) == small
    assert f"· {world.a.priority.issue.name}" in client.get(detail_url(world.a.initiative)).text


def test_other_districts_do_not_find_the_initiative(client, world):
    client.force_login(world.b.official)
    assert client.get(detail_url(world.a.initiative)).status_code == 404


# The initiative form --------------------------------------------------------------------------------


def formset_data(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def initiative_data(world, partners=(), funding=(), **changes) -> dict:
    data = {
        "priority": world.a.priority.pk,
        "title": "Video cameras in an apartment block",
        "lead_organisation": world.a.administration.pk,
        "status": "planned",
        "description": "",
        "objective": "",
        "starts_on": "2018-03-01",
        "ends_on": "2018-12-31",
        "location": "Block 12",
        "latitude": "",
        "longitude": "",
        "planned_outputs": "",
        "budget": "150000",
        "budget_currency": "kgs",
        "risks": "",
        "means_of_verification": "",
    }
    data.update(changes)
    data.update(formset_data("partners", list(partners)))
    data.update(formset_data("funding", list(funding)))
    return data


def test_official_creates_an_initiative_with_partners_and_funding(client, world):
    client.force_login(world.a.official)
    response = client.post(
        reverse("prevention:initiative-create", args=[world.a.priority.pk]),
        initiative_data(
            world,
            partners=[{"organisation": world.a.ngo.pk, "role": "implementing", "responsibility": "Installs"}],
            funding=[
                {"funder": world.donor_org.pk, "source_type": "donor", "amount": "5000", "currency": "usd"},
                {"funder": "", "source_type": "", "amount": "", "currency": "KGS"},
            ],
        ),
    )
    initiative = Initiative.objects.get(title="Video cameras in an apartment block")
    assert response.status_code == 302
    assert response.url == detail_url(initiative)
    assert initiative.budget_currency == "KGS"
    assert initiative.partnerships.get().responsibility == "Installs"
    line = initiative.funding_lines.get()
    assert (line.amount, line.currency) == (Decimal("5000"), "USD")


def test_initiative_form_shows_field_errors_and_writes_nothing(client, world):
    client.force_login(world.a.official)
    response = client.post(
        reverse("prevention:initiative-create", args=[world.a.priority.pk]),
        initiative_data(
            world,
            title="",
            ends_on="2017-01-01",
            latitude="42.87",
            budget_currency="",
            partners=[{"organisation": world.a.ngo.pk, "role": "implementing"}],
            funding=[
                {"funder": world.donor_org.pk, "source_type": "donor", "amount": "-5", "currency": "USD"}
            ],
        ),
    )
    assert response.status_code == 200
    text = response.text
    assert "This field is required." in text
    assert "The initiative cannot end before it starts." in text
    assert "Give both latitude and longitude, or neither." in text
    assert "A budget needs its currency." in text
    assert "An amount cannot be negative." in text
    assert Initiative.objects.count() == 2
    assert InitiativePartner.objects.filter(organisation=world.a.ngo).count() == 1


def test_a_bad_funding_row_leaves_the_initiative_unsaved(client, world):
    client.force_login(world.a.official)
    response = client.post(
        reverse("prevention:initiative-create", args=[world.a.priority.pk]),
        initiative_data(
            world,
            funding=[
                {"funder": world.donor_org.pk, "source_type": "donor", "amount": "1", "currency": "dollars"}
            ],
        ),
    )
    assert response.status_code == 200
    assert not Initiative.objects.filter(title="Video cameras in an apartment block").exists()


def test_the_same_partner_twice_is_refused(client, world):
    client.force_login(world.a.official)
    row = {"organisation": world.a.ngo.pk, "role": "implementing"}
    response = client.post(
        reverse("prevention:initiative-create", args=[world.a.priority.pk]),
        initiative_data(world, partners=[row, {**row, "role": "supporting"}]),
    )
    assert "This organisation is already a partner of the initiative." in response.text
    assert not Initiative.objects.filter(title="Video cameras in an apartment block").exists()


def test_an_error_only_in_the_funding_table_is_announced_above_the_form(client, world):
    """The funding table is far below the top of the page: without the notice the page looked unchanged."""
    client.force_login(world.a.official)
    funding = [{"funder": world.donor_org.pk, "source_type": "donor", "amount": "-5", "currency": "USD"}]
    response = client.post(
        reverse("prevention:initiative-create", args=[world.a.priority.pk]),
        initiative_data(world, funding=funding),
    )
    text = response.text
    notice = text.index("Nothing was saved. Please correct what is marked below.")
    assert notice < text.index("An amount cannot be negative.")
    assert (
        client.get(reverse("prevention:initiative-create", args=[world.a.priority.pk])).text.count(
            "Nothing was saved"
        )
        == 0
    )


def test_a_chosen_partner_stays_chosen_after_an_invalid_submit(client, world):
    client.force_login(world.a.official)
    response = client.post(
        reverse("prevention:initiative-create", args=[world.a.priority.pk]),
        initiative_data(world, title="", partners=[{"organisation": world.a.ngo.pk, "role": "implementing"}]),
    )
    assert response.status_code == 200
    row = response.text.split('name="partners-0-organisation"', 1)[1].split("</select>", 1)[0]
    assert f'<option value="{world.a.ngo.pk}" selected>{world.a.ngo.name}</option>' in row
    assert row.count(" selected") == 1


def test_choices_are_limited_to_the_plan_and_the_country(client, world):
    foreign = f.OrganisationFactory(
        name="Bolivian NGO", country=f.CountryFactory(iso_code="BO", name="Bolivia")
    )
    client.force_login(world.a.official)
    url = reverse("prevention:initiative-create", args=[world.a.priority.pk])
    form_page = client.get(url).text
    assert "Bolivian NGO" not in form_page
    response = client.post(
        url,
        initiative_data(
            world,
            priority=world.b.priority.pk,
            partners=[{"organisation": foreign.pk, "role": "supporting"}],
        ),
    )
    assert response.text.count("Select a valid choice") == 2
    assert not Initiative.objects.filter(title="Video cameras in an apartment block").exists()


def edit_data(world, initiative: Initiative, **changes) -> dict:
    partners = [
        {"id": p.pk, "organisation": p.organisation_id, "role": p.role, "responsibility": p.responsibility}
        for p in initiative.partnerships.order_by("pk")
    ]
    lines = [
        {
            "id": line.pk,
            "funder": line.funder_id,
            "source_type": line.source_type,
            "amount": str(line.amount),
            "currency": line.currency,
        }
        for line in initiative.funding_lines.order_by("pk")
    ]
    data = initiative_data(
        world,
        title=initiative.title,
        lead_organisation=initiative.lead_organisation_id,
        status=initiative.status,
        starts_on=initiative.starts_on.isoformat(),
        ends_on=initiative.ends_on.isoformat(),
        budget="",
        budget_currency="",
        edit_version=initiative.version,
    )
    data.update(formset_data("partners", partners, initial=len(partners)))
    data.update(formset_data("funding", lines, initial=len(lines)))
    data.update(changes)
    return data


def test_official_edits_initiative_and_removes_a_partner(client, world):
    initiative = world.a.initiative
    client.force_login(world.a.official)
    data = edit_data(world, initiative, title="Kelechek police station")
    data["partners-1-DELETE"] = "on"
    response = client.post(reverse("prevention:initiative-edit", args=[initiative.pk]), data)
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.title == "Kelechek police station"
    assert list(initiative.partnerships.values_list("organisation__name", flat=True)) == ["Police A"]


def test_second_of_two_concurrent_initiative_edits_is_refused_and_keeps_the_first(client, world):
    initiative = world.a.initiative
    url = reverse("prevention:initiative-edit", args=[initiative.pk])
    opened = edit_data(world, initiative)
    client.force_login(world.a.police)
    assert client.post(url, {**opened, "title": "Police edit"}).status_code == 302
    client.force_login(world.a.official)
    second = client.post(url, {**opened, "title": "Official edit", "funding-0-amount": "1"})
    assert second.status_code == 200
    assert "police_a changed this record" in second.text
    initiative.refresh_from_db()
    assert initiative.title == "Police edit"
    assert FundingLine.objects.get(pk=world.funding.pk).amount == Decimal("2000000.00")


def test_police_edit_their_initiative_but_not_its_partners_or_money(client, world):
    initiative = world.a.initiative
    client.force_login(world.a.police)
    url = reverse("prevention:initiative-edit", args=[initiative.pk])
    page = client.get(url).text
    assert "partners-TOTAL_FORMS" not in page
    assert 'name="lead_organisation"' not in page
    data = {
        k: v
        for k, v in edit_data(world, initiative, risks="Winter").items()
        if not k.startswith(("partners", "funding"))
    }
    data["lead_organisation"] = world.a.ngo.pk  # ignored: not theirs to change
    assert client.post(url, data).status_code == 302
    initiative.refresh_from_db()
    assert initiative.risks == "Winter"
    assert initiative.lead_organisation == world.a.police_unit


def test_police_may_not_edit_initiatives_they_do_not_lead_or_implement(client, world):
    other = f.InitiativeFactory(priority=world.a.priority, lead_organisation=world.a.ngo)
    client.force_login(world.a.police)
    assert client.get(reverse("prevention:initiative-edit", args=[other.pk])).status_code == 403


@pytest.mark.parametrize("persona", ["partner"])
def test_partners_may_not_edit_or_create_initiatives(client, world, persona):
    client.force_login(getattr(world.a, persona))
    assert client.get(reverse("prevention:initiative-edit", args=[world.a.initiative.pk])).status_code == 403
    assert client.get(reverse("prevention:initiative-create", args=[world.a.priority.pk])).status_code == 403


def test_police_may_not_create_initiatives(client, world):
    client.force_login(world.a.police)
    assert client.get(reverse("prevention:initiative-create", args=[world.a.priority.pk])).status_code == 403


# Milestones -----------------------------------------------------------------------------------------


def milestone_data(**changes) -> dict:
    data = {
        "title": "Survey the blocks",
        "due_on": "2018-06-30",
        "weight": "2",
        "status": "pending",
        "completed_on": "",
        "evidence_note": "",
    }
    data.update(changes)
    return data


def test_official_adds_and_edits_a_milestone(client, world):
    client.force_login(world.a.official)
    response = client.post(
        reverse("prevention:milestone-create", args=[world.a.initiative.pk]), milestone_data()
    )
    assert response.status_code == 302
    milestone = world.a.initiative.milestones.get()
    response = client.post(
        reverse("prevention:milestone-edit", args=[milestone.pk]),
        milestone_data(status="done", edit_version=milestone.version),
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == "done"
    assert milestone.completed_on == timezone.localdate()
    assert milestone.completed_by == world.a.official


def test_milestone_form_shows_field_errors_and_writes_nothing(client, world):
    client.force_login(world.a.official)
    response = client.post(
        reverse("prevention:milestone-create", args=[world.a.initiative.pk]),
        milestone_data(title="", due_on="not a date", weight="-1"),
    )
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert "Enter a valid date." in response.text
    huge = client.post(
        reverse("prevention:milestone-create", args=[world.a.initiative.pk]),
        milestone_data(weight="100000000000"),
    )
    assert "Weights go up to 100: they are shares relative to each other." in huge.text
    assert not Milestone.objects.exists()


def test_milestone_done_in_the_future_is_refused(client, world):
    milestone = f.MilestoneFactory(initiative=world.a.initiative)
    client.force_login(world.a.official)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        reverse("prevention:milestone-edit", args=[milestone.pk]),
        milestone_data(status="done", completed_on=tomorrow.isoformat(), edit_version=milestone.version),
    )
    assert "A milestone cannot be done on a future date." in response.text
    milestone.refresh_from_db()
    assert milestone.status == "pending"


def test_marking_done_answers_htmx_with_the_row_and_the_progress(client, world):
    milestone = f.MilestoneFactory(initiative=world.a.initiative)
    client.force_login(world.a.police)
    response = client.post(
        reverse("prevention:milestone-complete", args=[milestone.pk]),
        {"hide_initiative": "1", "refresh_progress": "1", "next": detail_url(world.a.initiative)},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert f'id="milestone-{milestone.pk}"' in response.text
    assert 'id="initiative-progress" hx-swap-oob="true"' in response.text
    assert "100.0 %" in response.text
    assert "Mark done" not in response.text


def test_marking_done_without_javascript_goes_back_to_the_page(client, world):
    milestone = f.MilestoneFactory(initiative=world.a.initiative)
    client.force_login(world.a.official)
    response = client.post(
        reverse("prevention:milestone-complete", args=[milestone.pk]), {"next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response.url == detail_url(world.a.initiative)
    assert "is marked done" in client.get(response.url).text


def test_a_cancelled_milestone_cannot_be_marked_done(client, world):
    milestone = f.MilestoneFactory(initiative=world.a.initiative, status="cancelled")
    client.force_login(world.a.official)
    response = client.post(
        reverse("prevention:milestone-complete", args=[milestone.pk]), HTTP_HX_REQUEST="true"
    )
    assert "A cancelled milestone cannot be marked done" in response.text
    milestone.refresh_from_db()
    assert milestone.status == "cancelled"


def test_marking_done_needs_a_post_and_the_right_to_change(client, world):
    milestone = f.MilestoneFactory(initiative=world.a.initiative)
    url = reverse("prevention:milestone-complete", args=[milestone.pk])
    client.force_login(world.a.official)
    assert client.get(url)["Location"] == reverse("prevention:dashboard")
    milestone.refresh_from_db()
    assert milestone.status == "pending"
    client.force_login(world.a.partner)
    assert client.post(url).status_code == 403
    client.force_login(world.b.official)
    assert client.post(url).status_code == 404
    milestone.refresh_from_db()
    assert milestone.status == "pending"


# Progress updates -----------------------------------------------------------------------------------


def update_data(**changes) -> dict:
    data = {
        "reported_on": "2019-05-01",
        "status": "delayed",
        "percent_complete": "40",
        "narrative": "The contractor is late.",
        "spent_to_date": "",
        "spent_currency": "",
    }
    data.update(changes)
    return data


def test_a_progress_update_sets_the_initiative_status(client, world):
    client.force_login(world.a.police)
    url = reverse("prevention:progress-update-create", args=[world.a.initiative.pk])
    response = client.post(url, update_data(spent_to_date="1000", spent_currency="kgs"))
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert (update.author, update.spent_currency) == (world.a.police, "KGS")
    world.a.initiative.refresh_from_db()
    assert world.a.initiative.status == "delayed"
    assert "Reported as delayed" in client.get(detail_url(world.a.initiative)).text


def test_a_back_dated_update_does_not_override_the_latest(client, world):
    f.ProgressUpdateFactory(
        initiative=world.a.initiative, reported_on=dt.date(2019, 6, 1), status="in_progress"
    )
    client.force_login(world.a.official)
    url = reverse("prevention:progress-update-create", args=[world.a.initiative.pk])
    client.post(url, update_data(reported_on="2019-01-01", status="delayed"))
    world.a.initiative.refresh_from_db()
    assert world.a.initiative.status == "in_progress"
    assert ProgressUpdate.objects.count() == 2


def test_progress_update_form_shows_field_errors_and_writes_nothing(client, world):
    client.force_login(world.a.official)
    url = reverse("prevention:progress-update-create", args=[world.a.initiative.pk])
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(
        url, update_data(reported_on=tomorrow, percent_complete="140", narrative="", spent_to_date="10")
    )
    assert response.status_code == 200
    text = response.text
    assert "A report cannot be dated in the future." in text
    assert "A percentage lies between 0 and 100." in text
    assert "This field is required." in text
    assert "Spending needs its currency." in text
    assert not ProgressUpdate.objects.exists()
    world.a.initiative.refresh_from_db()
    assert world.a.initiative.status == "in_progress"


def test_a_partner_that_only_implements_may_not_post_progress_updates(client, world):
    client.force_login(world.a.partner)
    url = reverse("prevention:progress-update-create", args=[world.a.initiative.pk])
    assert client.post(url, update_data()).status_code == 403
    assert "Post a progress update" not in client.get(detail_url(world.a.initiative)).text
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize("lead_by", ["lead_organisation", "partnership"])
def test_a_partner_whose_organisation_leads_reports_progress_but_does_not_edit(client, world, lead_by):
    """A progress update is an official's or the lead's report (the NGO leading the radio show posts
    its updates); leading does not make the initiative the partner's to edit."""
    if lead_by == "lead_organisation":
        led = f.InitiativeFactory(priority=world.a.priority, lead_organisation=world.a.ngo)
    else:
        led = f.InitiativeFactory(priority=world.a.priority)
        f.InitiativePartnerFactory(initiative=led, organisation=world.a.ngo, role="lead")
    client.force_login(world.a.partner)
    assert "Post a progress update" in client.get(detail_url(led)).text
    response = client.post(reverse("prevention:progress-update-create", args=[led.pk]), update_data())
    assert response.status_code == 302
    assert ProgressUpdate.objects.get().author == world.a.partner
    assert client.get(reverse("prevention:initiative-edit", args=[led.pk])).status_code == 403
    # The lead of district A's initiative reports nothing in district B.
    other = f.InitiativeFactory(priority=world.b.priority, lead_organisation=world.a.ngo)
    assert client.get(reverse("prevention:progress-update-create", args=[other.pk])).status_code == 404


def test_initiative_form_costs_the_same_queries_for_5_and_200_partners_and_lines(client, world):
    initiative = world.a.initiative
    url = reverse("prevention:initiative-edit", args=[initiative.pk])

    def grow(count: int) -> None:
        for _ in range(count):
            f.InitiativePartnerFactory(initiative=initiative, role="supporting")
            f.FundingLineFactory(initiative=initiative, funder=world.donor_org)

    client.force_login(world.a.official)
    grow(5)
    small = queries_for(client, url)
    grow(195)
    large = queries_for(client, url)
    assert small == large


def test_the_history_names_a_progress_update_by_its_date_in_words(client, world):
    client.force_login(world.a.official)
    client.post(reverse("prevention:progress-update-create", args=[world.a.initiative.pk]), update_data())
    page = client.get(detail_url(world.a.initiative)).text
    assert "Progress update <strong>1 May 2019</strong> created" in page
