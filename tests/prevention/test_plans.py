"""The plan page and the plan and priority forms."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prevention.models import ActionPlan, Initiative, Milestone, PlanPriority
from tests import factories as f


def plan_url(plan: ActionPlan) -> str:
    return reverse("prevention:plan-detail", args=[plan.pk])


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def grow_plan(world, count: int) -> None:
    """Add initiatives (with milestones and a progress update), indicators with measurements and meetings."""
    a = world.a
    priority = f.PlanPriorityFactory(plan=a.plan, issue=f.PriorityIssueFactory())
    for n in range(count):
        initiative = f.InitiativeFactory(priority=priority, lead_organisation=a.police_unit)
        f.MilestoneFactory(initiative=initiative)
        f.ProgressUpdateFactory(initiative=initiative)
        indicator = f.IndicatorFactory(plan=a.plan, initiative=initiative)
        f.MeasurementFactory(indicator=indicator, measured_on=dt.date(2019, 1, 1) + dt.timedelta(days=n))
        meeting = f.MeetingFactory(plan=a.plan)
        meeting.decisions.create(text="Follow up", initiative=initiative)


# The plan page --------------------------------------------------------------------------------------


def test_official_sees_plan_with_priorities_initiatives_and_progress(client, world):
    f.MilestoneFactory(
        initiative=world.a.initiative, weight=3, status="done", completed_on=dt.date(2019, 1, 1)
    )
    f.MilestoneFactory(initiative=world.a.initiative, weight=1)
    client.force_login(world.a.official)
    response = client.get(plan_url(world.a.plan))
    assert response.status_code == 200
    text = response.text
    assert "1. Burglary" in text
    assert "Initiative A" in text
    assert "75.0 %" in text  # 3 of 4 weight done, and the plan's average of its one initiative
    assert "How is this worked out?" in text


def test_each_initiative_row_links_it_with_its_lead_status_end_progress_and_health(client, world):
    initiative = f.InitiativeFactory(
        priority=world.a.priority,
        title="Lights <on> & cameras",
        lead_organisation=world.a.ngo,
        status=Initiative.Status.COMPLETED,
        ends_on=dt.date(2020, 6, 30),
    )
    client.force_login(world.a.official)
    text = client.get(plan_url(world.a.plan)).text
    row = text[text.index(reverse("prevention:initiative-detail", args=[initiative.pk])) :]
    row = row[: row.index("</tr>")]
    assert ">Lights &lt;on&gt; &amp; cameras</a>" in row
    assert "Completed · ends 30 Jun 2020" in row
    assert f'<td class="small">{world.a.ngo}</td>' in row
    assert 'aria-valuenow="100"' in row and "w-pct-100" in row and "100.0 %" in row
    assert 'class="health-done' in row
    assert "text-body-secondary" not in row.split("health-done")[1]  # no reason once it is done


def test_plan_page_shows_health_with_its_reason(client, world):
    f.MilestoneFactory(initiative=world.a.initiative, due_on=dt.date(2019, 1, 1))
    client.force_login(world.a.official)
    response = client.get(plan_url(world.a.plan))
    # The initiative's period ended in 2020: off track, and the page says why.
    assert "Off track" in response.text
    assert "has passed" in response.text


def test_plan_page_shows_indicators_against_targets(client, world):
    indicator = f.IndicatorFactory(plan=world.a.plan, name="Burglaries reported")
    f.MeasurementFactory(indicator=indicator, value=Decimal("105"))
    exceeded = f.IndicatorFactory(plan=world.a.plan, name="Thefts reported")
    f.MeasurementFactory(indicator=exceeded, value=Decimal("80"))
    client.force_login(world.a.official)
    text = client.get(plan_url(world.a.plan)).text
    assert "Burglaries reported" in text
    assert "50.0 %" in text
    assert "Target exceeded" in text


def test_plan_page_lists_meetings_and_history(client, world):
    f.MeetingFactory(plan=world.a.plan, title="Working group, first quarter")
    client.force_login(world.a.official)
    client.post(
        reverse("prevention:plan-edit", args=[world.a.plan.pk]),
        plan_data(world.a.plan, title="Plan A, revised"),
    )
    text = client.get(plan_url(world.a.plan)).text
    assert "Working group, first quarter" in text
    assert "official_a" in text  # who changed it
    assert "Plan A" in text and "Plan A, revised" in text  # what changed, before and after


def test_plan_page_costs_the_same_queries_for_5_and_200_initiatives(client, world):
    client.force_login(world.a.official)
    grow_plan(world, 5)
    small = queries_for(client, plan_url(world.a.plan))
    grow_plan(world, 195)
    large = queries_for(client, plan_url(world.a.plan))
    assert small == large


@pytest.mark.parametrize("persona", ["official", "police", "partner"])
def test_people_of_the_district_see_the_plan(client, world, persona):
    client.force_login(getattr(world.a, persona))
    assert client.get(plan_url(world.a.plan)).status_code == 200


def test_other_districts_and_donors_do_not_find_the_plan(client, world):
    for user in (world.b.official, world.donor):
        client.force_login(user)
        assert client.get(plan_url(world.a.plan)).status_code == 404


def test_only_officials_see_edit_buttons(client, world):
    client.force_login(world.a.partner)
    text = client.get(plan_url(world.a.plan)).text
    assert reverse("prevention:plan-edit", args=[world.a.plan.pk]) not in text
    client.force_login(world.a.official)
    text = client.get(plan_url(world.a.plan)).text
    assert reverse("prevention:plan-edit", args=[world.a.plan.pk]) in text


# The plan form --------------------------------------------------------------------------------------


def plan_data(plan: ActionPlan | None = None, **changes) -> dict:
    data = {
        "title": "Plan 2021-2023",
        "status": "draft",
        "period_start": "2021-01-01",
        "period_end": "2023-12-31",
        "approved_on": "",
        "approval_body": "",
        "decision_number": "",
        "signatories": "",
        "presented_on": "",
        "summary": "",
        "replaces": "",
    }
    if plan is not None:
        data.update(
            title=plan.title,
            status=plan.status,
            period_start=plan.period_start.isoformat(),
            period_end=plan.period_end.isoformat(),
            approved_on=plan.approved_on.isoformat() if plan.approved_on else "",
            is_published="on" if plan.is_published else "",
            edit_version=plan.version,
        )
    data.update(changes)
    return data


def test_official_creates_a_plan(client, world):
    client.force_login(world.a.official)
    url = reverse("prevention:plan-create", args=[world.a.district.pk])
    response = client.post(url, plan_data(replaces=world.a.plan.pk))
    plan = ActionPlan.objects.get(title="Plan 2021-2023")
    assert response.status_code == 302
    assert response.url == plan_url(plan)
    assert plan.district == world.a.district
    assert plan.replaces == world.a.plan


def test_plan_form_shows_field_errors_and_writes_nothing(client, world):
    client.force_login(world.a.official)
    url = reverse("prevention:plan-create", args=[world.a.district.pk])
    response = client.post(url, plan_data(title="", status="approved", period_end="2020-01-01"))
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert "The plan cannot end before it starts." in response.text
    assert "A plan past the draft stage needs the date it was approved." in response.text
    assert ActionPlan.objects.filter(district=world.a.district).count() == 1


def test_plan_cannot_replace_another_districts_plan(client, world):
    client.force_login(world.a.official)
    url = reverse("prevention:plan-create", args=[world.a.district.pk])
    response = client.post(url, plan_data(replaces=world.b.plan.pk))
    assert "Select a valid choice" in response.text
    assert not ActionPlan.objects.filter(title="Plan 2021-2023").exists()


def test_police_and_partners_may_not_create_or_edit_plans(client, world):
    for user in (world.a.police, world.a.partner):
        client.force_login(user)
        assert client.get(reverse("prevention:plan-create", args=[world.a.district.pk])).status_code == 403
        assert client.get(reverse("prevention:plan-edit", args=[world.a.plan.pk])).status_code == 403


def test_another_districts_official_does_not_find_the_plan_forms(client, world):
    client.force_login(world.b.official)
    assert client.get(reverse("prevention:plan-create", args=[world.a.district.pk])).status_code == 404
    assert client.get(reverse("prevention:plan-edit", args=[world.a.plan.pk])).status_code == 404


def test_second_of_two_concurrent_plan_edits_is_refused_with_the_first_editors_name(client, world):
    plan = world.a.plan
    url = reverse("prevention:plan-edit", args=[plan.pk])
    colleague = f.MembershipFactory(
        user__username="colleague",
        user__first_name="Aida",
        user__last_name="Bekova",
        organisation=world.a.administration,
        role="official",
        districts=[world.a.district],
    ).user
    # Both open the form at the same version.
    opened = plan_data(plan)
    client.force_login(colleague)
    first = client.post(url, {**opened, "summary": "First edit"})
    assert first.status_code == 302
    client.force_login(world.a.official)
    second = client.post(url, {**opened, "summary": "Second edit"})
    assert second.status_code == 200
    assert "Aida Bekova changed this record" in second.text
    assert "Second edit" in second.text  # the refused input is still in the form
    plan.refresh_from_db()
    assert plan.summary == "First edit"


# Priorities -----------------------------------------------------------------------------------------


def priority_data(**changes) -> dict:
    issue = f.PriorityIssueFactory(name="Road traffic accidents")
    data = {
        "issue": issue.pk,
        "rank": 2,
        "problem_statement": "Many accidents near schools.",
        "evidence_source": "statistics",
        "evidence": "",
        "objective": "Fewer accidents.",
    }
    data.update(changes)
    return data


def test_official_adds_a_priority(client, world):
    client.force_login(world.a.official)
    response = client.post(reverse("prevention:priority-create", args=[world.a.plan.pk]), priority_data())
    assert response.status_code == 302
    assert world.a.plan.priorities.get(rank=2).issue.name == "Road traffic accidents"


def test_priority_rank_taken_is_refused_with_a_clear_message(client, world):
    client.force_login(world.a.official)
    response = client.post(
        reverse("prevention:priority-create", args=[world.a.plan.pk]), priority_data(rank=1)
    )
    assert response.status_code == 200
    assert "Rank 1 is already taken by “Burglary”" in response.text
    assert world.a.plan.priorities.count() == 1


def test_priority_form_shows_field_errors_and_writes_nothing(client, world):
    client.force_login(world.a.official)
    burglary = world.a.priority.issue
    response = client.post(
        reverse("prevention:priority-create", args=[world.a.plan.pk]),
        priority_data(issue=burglary.pk, rank=0),
    )
    assert "This issue is already a priority of the plan." in response.text
    assert "Ranks start at 1." in response.text
    url = reverse("prevention:priority-create", args=[world.a.plan.pk])
    other_issue = f.PriorityIssueFactory(name="Juvenile crime").pk
    assert "Ranks start at 1." in client.post(url, priority_data(issue=other_issue, rank=-1)).text
    assert "Ranks go up to 99." in client.post(url, priority_data(issue=other_issue, rank=99999999999)).text
    assert world.a.plan.priorities.count() == 1


def test_official_edits_a_priority(client, world):
    client.force_login(world.a.official)
    priority = world.a.priority
    response = client.post(
        reverse("prevention:priority-edit", args=[priority.pk]),
        priority_data(
            issue=priority.issue_id, rank=3, objective="Halve burglaries", edit_version=priority.version
        ),
    )
    assert response.status_code == 302
    priority.refresh_from_db()
    assert (priority.rank, priority.objective) == (3, "Halve burglaries")


def test_partner_may_not_add_priorities(client, world):
    client.force_login(world.a.partner)
    response = client.post(reverse("prevention:priority-create", args=[world.a.plan.pk]), priority_data())
    assert response.status_code == 403
    assert PlanPriority.objects.filter(plan=world.a.plan).count() == 1


# Marking a milestone done moves the plan ------------------------------------------------------------


@pytest.mark.parametrize("htmx", [True, False])
def test_official_marks_a_milestone_done_and_the_plan_progress_moves(client, world, htmx):
    done_later = f.MilestoneFactory(initiative=world.a.initiative, title="Manual printed", weight=1)
    f.MilestoneFactory(initiative=world.a.initiative, title="Training held", weight=1)
    client.force_login(world.a.official)
    assert "0.0 %" in client.get(plan_url(world.a.plan)).text
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(
        reverse("prevention:milestone-complete", args=[done_later.pk]),
        {"next": plan_url(world.a.plan)},
        **headers,
    )
    if htmx:
        assert response.status_code == 200
        assert "done on" in response.text
    else:
        assert response.status_code == 302
        assert response.url == plan_url(world.a.plan)
    done_later.refresh_from_db()
    assert done_later.status == Milestone.Status.DONE
    assert done_later.completed_by == world.a.official
    page = client.get(plan_url(world.a.plan)).text
    assert '<div class="stat-figure mb-1" id="plan-progress">50.0 %</div>' in page
    assert Initiative.objects.with_progress().get(pk=world.a.initiative.pk).progress == Decimal("50.0")


def test_the_plan_page_links_its_printable_progress_report(client, world):
    client.force_login(world.a.partner)
    response = client.get(f"/plans/{world.a.plan.pk}/")
    assert f'href="/plans/{world.a.plan.pk}/report/"' in response.text
