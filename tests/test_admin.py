"""The Django admin at /admin/: every model opens, costs a fixed number of queries, and asks the access module."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import factory
import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Model
from django.forms.models import _get_foreign_key
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from prevention import models as m
from tests import factories as f
from tests.admin_helpers import admin_url, form_data, open_and_post

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def _access_row(model: type[Model]) -> Callable[[], Model]:
    def build() -> Model:
        number = model.objects.count() + 1
        fields = {"user_agent": "pytest", "ip_address": "127.0.0.1", "username": f"someone{number}"}
        fields |= {"http_accept": "*/*", "path_info": "/accounts/login/"}
        if model is AccessAttempt:
            fields |= {"get_data": "", "post_data": "", "failures_since_start": 1}
        return model.objects.create(**fields)

    return build


FACTORY_CLASSES = {
    candidate._meta.model: candidate
    for candidate in vars(f).values()
    if isinstance(candidate, type)
    and issubclass(candidate, factory.django.DjangoModelFactory)
    and candidate._meta.model is not None
}


def _factories() -> dict[type[Model], Callable[[], Model]]:
    found: dict[type[Model], Callable[[], Model]] = dict(FACTORY_CLASSES)
    found[Group] = lambda: Group.objects.create(name=f"Group {Group.objects.count() + 1}")
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        found[model] = _access_row(model)
    return found


BUILD = _factories()


def _id(model: type[Model]) -> str:
    return model._meta.label


@pytest.fixture
def admin_client_(client, world):
    client.force_login(world.admin)
    return client


@pytest.fixture
def superuser_client(client):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "correct-horse-battery"))
    return client


def test_every_registered_model_can_be_built_for_these_tests():
    assert [model for model in REGISTERED if model not in BUILD] == []


@pytest.mark.parametrize("model", REGISTERED, ids=_id)
def test_administrator_opens_every_changelist(superuser_client, model):
    BUILD[model]()
    response = superuser_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=_id)
def test_every_changelist_sorts_by_each_of_its_columns_both_ways(superuser_client, model):
    """A column header is a link that sorts (``?o=2``, ``?o=-2``); one whose ordering names something
    the list's query lacks answered 500."""
    BUILD[model]()
    url = admin_url(model, "changelist")
    columns = len(admin.site._registry[model].get_list_display(superuser_client.get(url).wsgi_request))
    for index in range(columns):
        for order in (str(index), f"-{index}"):
            response = superuser_client.get(url, {"o": order})
            assert response.status_code in (200, 302), (order, response.status_code)


@pytest.mark.parametrize("model", REGISTERED, ids=_id)
def test_administrator_opens_every_add_page(superuser_client, rf, model):
    request = rf.get("/")
    request.user = User.objects.get(username="root")
    addable = admin.site._registry[model].has_add_permission(request)
    response = superuser_client.get(admin_url(model, "add"))
    # Only the sign-in logs of django-axes refuse adding: they are written by sign-ins, not by hand.
    assert response.status_code == (200 if addable else 403)
    assert addable or model._meta.app_label == "axes"


@pytest.mark.parametrize("model", REGISTERED, ids=_id)
def test_administrator_opens_the_change_and_history_pages_of_every_model(superuser_client, model):
    obj = BUILD[model]()
    assert superuser_client.get(admin_url(model, "change", obj.pk)).status_code == 200
    assert superuser_client.get(admin_url(model, "history", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=_id)
def test_changelist_costs_the_same_queries_with_more_rows(superuser_client, model):
    BUILD[model]()
    url = admin_url(model, "changelist")
    superuser_client.get(url)  # warm caches such as content types
    with CaptureQueriesContext(connection) as few:
        assert superuser_client.get(url).status_code == 200
    for _ in range(4):
        BUILD[model]()
    with CaptureQueriesContext(connection) as more:
        assert superuser_client.get(url).status_code == 200
    assert len(more) == len(few), [q["sql"] for q in more.captured_queries]


WITH_INLINES = [model for model in REGISTERED if admin.site._registry[model].inlines]


def _add_children(parent: Model, count: int) -> None:
    for inline in admin.site._registry[type(parent)].inlines:
        fk = _get_foreign_key(type(parent), inline.model, fk_name=inline.fk_name)
        for _ in range(count):
            FACTORY_CLASSES[inline.model](**{fk.name: parent})


@pytest.mark.parametrize("model", WITH_INLINES, ids=_id)
def test_change_page_costs_the_same_queries_with_more_inline_rows(superuser_client, model):
    parent = BUILD[model]()
    _add_children(parent, 1)
    url = admin_url(model, "change", parent.pk)
    superuser_client.get(url)  # warm caches such as content types
    with CaptureQueriesContext(connection) as few:
        assert superuser_client.get(url).status_code == 200
    _add_children(parent, 3)
    with CaptureQueriesContext(connection) as more:
        assert superuser_client.get(url).status_code == 200
    assert len(more) == len(few), [q["sql"] for q in more.captured_queries]


def test_plan_page_shows_its_priorities_inline(admin_client_, world):
    f.PlanPriorityFactory(
        plan=world.a.plan, rank=2, issue=f.PriorityIssueFactory(name="Road traffic accidents")
    )
    response = admin_client_.get(admin_url(m.ActionPlan, "change", world.a.plan.pk))
    assert response.status_code == 200
    priorities = next(
        inline
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is m.PlanPriority
    )
    assert [form.instance.issue.name for form in priorities.formset.forms if form.instance.pk] == [
        "Burglary",
        "Road traffic accidents",
    ]
    assert "Road traffic accidents" in response.content.decode()


def test_initiative_page_shows_partners_funding_milestones_and_money(admin_client_, world):
    f.MilestoneFactory(initiative=world.a.initiative, title="Site handed over")
    f.SpendingFactory(funding_line=world.funding, amount=Decimal("500000.00"))
    response = admin_client_.get(admin_url(m.Initiative, "change", world.a.initiative.pk))
    page = response.content.decode()
    assert "NGO A" in page
    assert "INL" in page
    assert "Site handed over" in page
    assert "committed: 2,000,000.00 KGS · spent: 500,000.00 KGS" in page


def test_administrator_saves_a_plan_with_its_priorities_and_the_version_moves_on(admin_client_, world):
    plan = world.a.plan
    url = admin_url(m.ActionPlan, "change", plan.pk)
    response = open_and_post(
        admin_client_, url, {"title": "Plan A, revised", "priorities-0-objective": "Fewer burglaries"}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Plan A, revised"
    assert plan.version == 2
    assert plan.priorities.get().objective == "Fewer burglaries"
    assert plan.history.first().history_user == world.admin


def test_admin_refuses_a_rank_and_a_weight_the_pages_refuse(admin_client_, world):
    # The bounds hold wherever a priority or a milestone is saved, not only on the app's own forms.
    plan = world.a.plan
    response = open_and_post(
        admin_client_, admin_url(m.ActionPlan, "change", plan.pk), {"priorities-0-rank": "100"}
    )
    assert response.status_code == 200
    assert "Ranks go from 1 to 99." in response.content.decode()
    assert plan.priorities.get().rank == 1
    milestone = f.MilestoneFactory(initiative=world.a.initiative, weight=2)
    response = open_and_post(
        admin_client_, admin_url(m.Milestone, "change", milestone.pk), {"weight": "30000"}
    )
    assert response.status_code == 200
    assert "Weights go up to 100" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.weight == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"occurred_on": "2099-01-01"}, "the date is in the future"),
        ({"occurred_on": "1900-01-01"}, "activities are logged from 2000 on"),
        ({"participants_total": "999999999"}, "More than 100,000 people in one activity?"),
        ({"audience_reached": "99999999999"}, "Check the figure"),
    ],
)
def test_admin_refuses_the_activity_figures_the_log_form_refuses(admin_client_, world, changes, message):
    log = f.ActivityLogFactory(initiative=world.a.initiative, organisation=world.a.ngo, title="Patrol")
    response = open_and_post(admin_client_, admin_url(m.ActivityLog, "change", log.pk), changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    saved = m.ActivityLog.objects.get(pk=log.pk)
    assert (saved.occurred_on, saved.participants_total, saved.version) == (
        log.occurred_on,
        log.participants_total,
        log.version,
    )


def test_admin_refuses_a_save_made_stale_by_someone_else(admin_client_, world):
    plan = world.a.plan
    url = admin_url(m.ActionPlan, "change", plan.pk)
    data = form_data(admin_client_.get(url))
    # Someone saves the plan on its page while the administrator's form is open.
    m.ActionPlan.objects.filter(pk=plan.pk).update(title="Saved on the page", version=2)
    data["title"] = "Saved in the admin"
    response = admin_client_.post(url, data)
    assert response.status_code == 200
    assert "after you opened it" in response.content.decode()
    plan.refresh_from_db()
    assert plan.title == "Saved on the page"


def test_administrator_reverts_a_plan_to_an_earlier_version_from_its_history(admin_client_, world):
    plan = world.a.plan
    first = plan.history.earliest()
    open_and_post(admin_client_, admin_url(m.ActionPlan, "change", plan.pk), {"title": "Renamed"})
    revert_url = reverse("admin:prevention_actionplan_simple_history", args=[plan.pk, first.history_id])
    response = open_and_post(admin_client_, revert_url)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.title, plan.version) == ("Plan A", 3)


def test_staff_who_may_only_read_cannot_revert_from_the_history(client, world):
    client.force_login(_make_staff(world.a.partner, "view_actionplan", "change_actionplan"))
    plan = world.a.plan
    revert_url = reverse(
        "admin:prevention_actionplan_simple_history", args=[plan.pk, plan.history.earliest().history_id]
    )
    assert client.get(revert_url).status_code == 200
    assert client.post(revert_url, {"title": "Taken over"}).status_code == 403


def test_autocomplete_names_a_priority_with_its_district_and_plan(admin_client_, world):
    response = admin_client_.get(
        "/admin/autocomplete/",
        {"app_label": "prevention", "model_name": "initiative", "field_name": "priority", "term": "Burg"},
    )
    texts = sorted(result["text"] for result in response.json()["results"])
    assert texts == ["District A · Plan A · 1. Burglary", "District B · Plan B · 1. Burglary"]


def test_admin_upload_refuses_a_web_page_renamed_as_a_photo(admin_client_, world):
    log = f.ActivityLogFactory(initiative=world.a.initiative, organisation=world.a.ngo)
    fake = SimpleUploadedFile("photo.png", b"<html><script>alert(1)</script></html>", "image/png")
    response = admin_client_.post(
        admin_url(m.Attachment, "add"), {"activity_log": log.pk, "file": fake, "caption": "Training"}
    )
    assert response.status_code == 200
    assert "contains a web page" in response.content.decode()
    assert not m.Attachment.objects.exists()


def test_admin_upload_stores_a_checked_file_under_a_generated_name(admin_client_, world):
    log = f.ActivityLogFactory(initiative=world.a.initiative, organisation=world.a.ngo)
    pdf = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n", "application/pdf")
    response = admin_client_.post(admin_url(m.Attachment, "add"), {"activity_log": log.pk, "file": pdf})
    assert response.status_code == 302
    attachment = m.Attachment.objects.get()
    assert (attachment.original_name, attachment.content_type) == ("minutes.pdf", "application/pdf")
    assert attachment.uploaded_by == world.admin
    assert "minutes" not in attachment.file.name


def test_admin_review_of_a_log_records_who_and_when(admin_client_, world):
    log = f.ActivityLogFactory(initiative=world.a.initiative, organisation=world.a.ngo)
    evidence = f.AttachmentFactory(activity_log=log)  # left alone: saving must not ask for the file again
    response = open_and_post(
        admin_client_, admin_url(m.ActivityLog, "change", log.pk), {"review_state": "verified"}
    )
    assert response.status_code == 302
    log.refresh_from_db()
    assert (log.review_state, log.reviewed_by) == ("verified", world.admin)
    assert log.reviewed_at is not None
    assert list(log.attachments.all()) == [evidence]


# Staff who are not administrators ------------------------------------------------------------------


def _make_staff(user: User, *codenames: str) -> User:
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


INITIATIVE_PERMISSIONS = ("view_initiative", "change_initiative", "delete_initiative")


def test_staff_official_sees_only_their_districts_initiatives(client, world):
    client.force_login(_make_staff(world.a.official, *INITIATIVE_PERMISSIONS))
    response = client.get(admin_url(m.Initiative, "changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [world.a.initiative]
    assert "Initiative B" not in response.content.decode()


def test_staff_official_cannot_open_another_districts_initiative(client, world):
    client.force_login(_make_staff(world.a.official, *INITIATIVE_PERMISSIONS))
    response = client.get(admin_url(m.Initiative, "change", world.b.initiative.pk), follow=True)
    # The admin's answer for an object outside its queryset: back to the index, "does not exist".
    assert response.redirect_chain == [("/admin/", 302)]
    assert "doesn’t exist" in response.content.decode()
    assert client.get(admin_url(m.Initiative, "history", world.b.initiative.pk)).status_code == 403
    assert (
        client.post(admin_url(m.Initiative, "delete", world.b.initiative.pk), {"post": "yes"}).status_code
        == 302
    )
    assert m.Initiative.objects.filter(pk=world.b.initiative.pk).exists()


def test_staff_official_changes_their_own_districts_initiative(client, world):
    client.force_login(_make_staff(world.a.official, *INITIATIVE_PERMISSIONS))
    url = admin_url(m.Initiative, "change", world.a.initiative.pk)
    response = open_and_post(client, url, {"title": "Initiative A, renamed"})
    assert response.status_code == 302
    world.a.initiative.refresh_from_db()
    assert world.a.initiative.title == "Initiative A, renamed"


def test_staff_partner_reads_an_initiative_but_cannot_change_or_delete_it(client, world):
    client.force_login(_make_staff(world.a.partner, *INITIATIVE_PERMISSIONS))
    url = admin_url(m.Initiative, "change", world.a.initiative.pk)
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    assert client.post(url, {"title": "Taken over"}).status_code == 403
    delete = client.post(admin_url(m.Initiative, "delete", world.a.initiative.pk), {"post": "yes"})
    assert delete.status_code == 403
    world.a.initiative.refresh_from_db()
    assert world.a.initiative.title == "Initiative A"


@pytest.mark.parametrize(("persona", "status"), [("official", 302), ("partner", 403)])
def test_list_action_deletes_only_what_the_staff_user_may_change(client, world, persona, status):
    bare = f.InitiativeFactory(priority=world.a.priority, title="Nothing hangs under it")
    client.force_login(_make_staff(getattr(world.a, persona), *INITIATIVE_PERMISSIONS))
    response = client.post(
        admin_url(m.Initiative, "changelist"),
        {"action": "delete_selected", "_selected_action": [bare.pk], "post": "yes"},
    )
    assert response.status_code == status
    assert m.Initiative.objects.filter(pk=bare.pk).exists() == (status == 403)


def test_staff_official_is_offered_only_their_districts_priorities(client, world):
    client.force_login(
        _make_staff(world.a.official, "add_initiative", *INITIATIVE_PERMISSIONS, "view_planpriority")
    )
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "prevention", "model_name": "initiative", "field_name": "priority", "term": ""},
    )
    assert [result["id"] for result in response.json()["results"]] == [str(world.a.priority.pk)]
    # Posting another district's priority anyway is refused as an invalid choice; nothing is created.
    response = client.post(
        admin_url(m.Initiative, "add"),
        {
            "priority": world.b.priority.pk,
            "title": "Smuggled in",
            "lead_organisation": world.a.police_unit.pk,
            "status": "planned",
            **{
                f"{prefix}-{key}": value
                for prefix in ("partnerships", "funding_lines", "milestones", "updates")
                for key, value in {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"}.items()
            },
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not m.Initiative.objects.filter(title="Smuggled in").exists()


@pytest.mark.parametrize(("persona", "status"), [("official", 302), ("police", 403)])
def test_staff_adds_a_plan_priority_only_where_they_may_change_the_plan(client, world, persona, status):
    # Police read their district's plans but change only their own initiatives.
    user = getattr(world.a, persona)
    client.force_login(_make_staff(user, "add_planpriority", "view_planpriority", "change_planpriority"))
    response = client.post(
        admin_url(m.PlanPriority, "add"),
        {
            "plan": world.a.plan.pk,
            "issue": f.PriorityIssueFactory(name="Theft").pk,
            "rank": 2,
            "evidence_source": "survey",
        },
    )
    assert response.status_code == status
    assert m.PlanPriority.objects.filter(rank=2).exists() == (status == 302)


def test_staff_without_model_permissions_gets_no_admin_pages(client, world):
    client.force_login(_make_staff(world.a.official))
    assert client.get(admin_url(m.Initiative, "changelist")).status_code == 403


def _filter_choices(response, title: str) -> list[str]:
    spec = next(spec for spec in response.context_data["cl"].filter_specs if str(spec.title) == title)
    return [str(label) for _value, label in spec.lookup_choices]


def test_activity_log_filters_offer_districts_organisations_and_years_without_reading_every_log(
    admin_client_, world
):
    a, b = world.a, world.b
    f.ActivityLogFactory(initiative=a.initiative, organisation=a.ngo, title="Early", occurred_on="2021-05-01")
    f.ActivityLogFactory(initiative=b.initiative, organisation=b.ngo, title="Late", occurred_on="2023-02-01")
    url = admin_url(m.ActivityLog, "changelist")

    page = admin_client_.get(url)
    assert _filter_choices(page, "district") == ["District A", "District B"]
    assert {a.ngo.name, b.ngo.name} <= set(_filter_choices(page, "organisation"))
    assert world.donor_org.name not in _filter_choices(page, "organisation")
    assert _filter_choices(page, "year") == ["2023", "2022", "2021"]

    in_2021 = admin_client_.get(url, {"year": "2021"}).text
    assert "Early" in in_2021 and "Late" not in in_2021
    in_b = admin_client_.get(url, {"district__id__exact": b.district.pk}).text
    assert "Late" in in_b and "Early" not in in_b


def test_staff_log_list_offers_only_their_own_districts(client, world):
    client.force_login(_make_staff(world.a.official, "view_activitylog"))
    page = client.get(admin_url(m.ActivityLog, "changelist"))
    # One district to choose from: Django leaves the filter out altogether.
    assert "District B" not in page.text
    assert "district" not in [str(spec.title) for spec in page.context_data["cl"].filter_specs]


def test_activity_log_list_says_when_more_logs_match_than_its_pages_reach(admin_client_, world, monkeypatch):
    monkeypatch.setattr("prevention.admin.lists.CappedPaginator.cap", 2)
    monkeypatch.setattr(admin.site._registry[m.ActivityLog], "list_per_page", 1)
    for title in ("First", "Second", "Third"):
        f.ActivityLogFactory(initiative=world.a.initiative, organisation=world.a.ngo, title=title)
    url = admin_url(m.ActivityLog, "changelist")

    page = admin_client_.get(url).text
    assert "More than 2 activity logs" in page
    assert "Select all 2" not in page  # an action across pages would change more than it says
    searched = admin_client_.get(url, {"q": "Third"}).text
    assert "More than" not in searched and "1 result" in searched
