"""Activity logs through HTTP: logging with evidence, review, fixing, editing rules, the list and one log."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prevention import services
from prevention.models import ActivityLog, Attachment
from prevention.uploads import clean_upload
from tests import factories as f
from tests.prevention.activity_helpers import gps_of, log_data, pdf, photo

LIST = "/activity-logs/"
CREATE = "/activity-logs/new/"


def detail(log) -> str:
    return f"/activity-logs/{log.pk}/"


def edit(log) -> str:
    return f"/activity-logs/{log.pk}/edit/"


def verify(log) -> str:
    return f"/activity-logs/{log.pk}/verify/"


def return_(log) -> str:
    return f"/activity-logs/{log.pk}/return/"


def resubmit(log) -> str:
    return f"/activity-logs/{log.pk}/resubmit/"


def _edit_data(log, **overrides) -> dict:
    data = {
        "initiative": log.initiative_id,
        "occurred_on": log.occurred_on.isoformat(),
        "kind": log.kind,
        "title": log.title,
        "description": log.description,
        "place": log.place,
        "participants_total": log.participants_total,
        "participants_women": log.participants_women,
        "participants_men": log.participants_men,
        "participants_youth": log.participants_youth,
        "audience_reached": log.audience_reached,
        "outputs": log.outputs,
        "edit_version": log.version,
    }
    data.update(overrides)
    return data


def _log(world_district, **kwargs) -> ActivityLog:
    kwargs.setdefault("organisation", world_district.ngo)
    kwargs.setdefault("author", world_district.partner)
    return f.ActivityLogFactory(initiative=world_district.initiative, **kwargs)


# The story of issue 4: log with a photo, returned with a note, fixed, resubmitted, verified.


def test_partner_logs_returned_activity_fixes_it_and_official_verifies(client, world):
    a = world.a
    client.force_login(a.partner)
    form = client.get(CREATE)
    assert form.status_code == 200
    assert "Logging for <strong>NGO A</strong>" in form.text

    response = client.post(
        CREATE, log_data(a, participants_youth=0, attachments=[photo("class.jpg"), pdf("agenda.pdf")])
    )
    log = ActivityLog.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(log)
    assert (log.author, log.organisation, log.review_state) == (a.partner, a.ngo, "submitted")
    photo_attachment = log.attachments.get(original_name="class.jpg")
    assert gps_of(photo_attachment.file.read()) == {}
    assert log.attachments.count() == 2

    client.force_login(a.official)
    response = client.post(
        return_(log), {"note": "How many of the 30 were young people?"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert 'class="list-group-item review-row"' in response.text
    assert "Returned with your note" in response.text
    assert "<html" not in response.text
    log.refresh_from_db()
    assert (log.review_state, log.reviewed_by) == ("returned", a.official)
    assert log.reviewed_at is not None

    client.force_login(a.partner)
    page = client.get(detail(log))
    assert "How many of the 30 were young people?" in page.text
    assert "Fix and resubmit" in page.text
    fix = client.post(edit(log), _edit_data(log, participants_youth=20))
    assert fix.status_code == 302
    log.refresh_from_db()
    assert (log.participants_youth, log.review_state) == (20, "submitted")

    client.force_login(a.official)
    response = client.post(verify(log), {"next": LIST})
    assert response.status_code == 302
    assert response["Location"] == LIST
    log.refresh_from_db()
    assert (log.review_state, log.reviewed_by) == ("verified", a.official)
    history = client.get(detail(log)).text
    assert "logged it" in history
    assert "changed of whom youth" in history


def test_verify_with_htmx_returns_the_updated_row(client, world):
    log = _log(world.a)
    client.force_login(world.a.official)
    response = client.post(verify(log), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert f'id="log-{log.pk}"' in response.text
    assert "Verified: it now counts in the results." in response.text
    assert "Return with a note" not in response.text  # nothing left to review


def test_verifying_twice_says_it_is_no_longer_waiting(client, world):
    log = _log(world.a, review_state="verified", reviewed_at=dt.datetime(2018, 4, 1, tzinfo=dt.UTC))
    client.force_login(world.a.official)
    response = client.post(verify(log), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "no longer waiting for review" in response.text


def test_return_needs_a_note(client, world):
    log = _log(world.a)
    client.force_login(world.a.official)
    with_js = client.post(return_(log), {"note": "  "}, headers={"HX-Request": "true"})
    assert "Say what needs fixing" in with_js.text
    without_js = client.post(return_(log), {"note": ""})
    assert without_js.status_code == 200
    assert "Say what needs fixing" in without_js.text
    assert 'name="note"' in without_js.text
    log.refresh_from_db()
    assert log.review_state == "submitted"


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "javascript:alert(1)"])
def test_review_without_javascript_goes_back_only_to_this_site(client, world, target):
    log = _log(world.a)
    client.force_login(world.a.official)
    response = client.post(verify(log), {"next": target})
    assert response["Location"] == detail(log)


def test_partner_resubmits_a_returned_log_unchanged(client, world):
    log = _log(
        world.a, review_state="returned", review_note="Add the photo", reviewed_at=dt.datetime.now(dt.UTC)
    )
    client.force_login(world.a.partner)
    response = client.post(resubmit(log))
    assert response.status_code == 302
    log.refresh_from_db()
    assert log.review_state == "submitted"


# Who may review.


def test_official_cannot_verify_a_log_they_wrote(client, world):
    log = _log(world.a, organisation=world.a.administration, author=world.a.official)
    client.force_login(world.a.official)
    assert client.post(verify(log)).status_code == 403
    log.refresh_from_db()
    assert log.review_state == "submitted"


@pytest.mark.parametrize(
    ("who", "status"), [("partner_a", 403), ("police_a", 404), ("official_b", 404), ("donor", 404)]
)
def test_only_the_districts_officials_review(client, world, who, status):
    users = {
        "partner_a": world.a.partner,
        "police_a": world.a.police,
        "official_b": world.b.official,
        "donor": world.donor,
    }
    log = _log(world.a)
    client.force_login(users[who])
    assert client.post(verify(log)).status_code == status
    assert client.post(return_(log), {"note": "no"}).status_code == status
    log.refresh_from_db()
    assert log.review_state == "submitted"


def test_review_is_done_only_by_post(client, world):
    log = _log(world.a)
    client.force_login(world.a.official)
    assert client.get(verify(log)).status_code == 302
    log.refresh_from_db()
    assert log.review_state == "submitted"


# Who may log and edit.


def test_partner_may_only_log_on_initiatives_their_organisation_takes_part_in(client, world):
    other = f.InitiativeFactory(priority=world.a.priority, title="Street lighting")
    client.force_login(world.a.partner)
    form = client.get(CREATE).text
    # Each choice names its district: a partner may work in several.
    assert f'<option value="{world.a.initiative.pk}">Initiative A · District A</option>' in form
    assert "Street lighting" not in form
    assert "Initiative B" not in form
    response = client.post(CREATE, log_data(world.a, initiative=other.pk))
    assert "Select a valid choice" in response.text
    assert not ActivityLog.objects.exists()


def test_partner_cannot_log_for_another_organisation(client, world):
    client.force_login(world.a.partner)
    response = client.post(CREATE, log_data(world.a, organisation=world.a.police_unit.pk))
    assert response.status_code == 200
    assert not ActivityLog.objects.exists()


def test_official_logs_for_their_administration_on_any_initiative_of_the_district(client, world):
    other = f.InitiativeFactory(priority=world.a.priority, title="Street lighting")
    client.force_login(world.a.official)
    response = client.post(
        CREATE, log_data(world.a, initiative=other.pk, organisation=world.a.administration.pk)
    )
    assert response.status_code == 302
    assert ActivityLog.objects.get().organisation == world.a.administration


def test_donor_cannot_log(client, world):
    client.force_login(world.donor)
    assert client.get(CREATE).status_code == 403


def test_create_preselects_the_initiative_from_the_link(client, world):
    client.force_login(world.a.partner)
    response = client.get(f"{CREATE}?initiative={world.a.initiative.pk}")
    assert f'<option value="{world.a.initiative.pk}" selected>' in response.text
    assert client.get(f"{CREATE}?initiative=nonsense").status_code == 200


def test_partner_cannot_edit_other_organisations_log(client, world):
    police_log = _log(world.a, organisation=world.a.police_unit, author=world.a.police)
    verified_police_log = _log(
        world.a,
        organisation=world.a.police_unit,
        review_state="verified",
        reviewed_at=dt.datetime.now(dt.UTC),
    )
    other_district = _log(world.b)
    client.force_login(world.a.partner)
    assert client.get(edit(police_log)).status_code == 404  # not visible: unverified, not theirs
    assert client.get(edit(verified_police_log)).status_code == 403  # visible, not theirs
    assert client.get(edit(other_district)).status_code == 404
    assert (
        client.post(edit(verified_police_log), _edit_data(verified_police_log, title="x")).status_code == 403
    )
    verified_police_log.refresh_from_db()
    assert verified_police_log.title != "x"


def test_partner_cannot_edit_a_verified_log(client, world):
    log = _log(world.a, review_state="verified", reviewed_at=dt.datetime.now(dt.UTC))
    client.force_login(world.a.partner)
    detail = reverse("prevention:activity-log-detail", args=[log.pk])
    assert client.get(edit(log))["Location"] == detail
    assert client.post(edit(log), _edit_data(log, title="Changed"))["Location"] == detail
    log.refresh_from_db()
    assert log.title != "Changed"


def test_stale_edit_is_refused_and_nothing_is_lost(client, world):
    log = _log(world.a, title="Leaflets handed out")
    client.force_login(world.a.partner)
    opened = _edit_data(log)
    # Someone of the same organisation saves first.
    first = client.post(edit(log), {**opened, "title": "Leaflets at Osh Bazaar"})
    assert first.status_code == 302
    second = client.post(edit(log), {**opened, "title": "Leaflets at the school"})
    assert second.status_code == 200
    assert "after you opened it" in second.text
    assert "Leaflets at the school" in second.text  # the user's input is still in the form
    log.refresh_from_db()
    assert log.title == "Leaflets at Osh Bazaar"


def test_edit_opened_before_a_verification_is_refused(client, world):
    log = _log(world.a)
    opened = _edit_data(log)
    client.force_login(world.a.official)
    client.post(verify(log))
    client.force_login(world.a.partner)
    refused = client.post(edit(log), {**opened, "title": "Late change"}, follow=True)
    assert "This log was verified, so it can no longer be changed." in refused.text
    log.refresh_from_db()
    assert log.title != "Late change"


def test_partner_adds_and_removes_evidence_when_editing(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.a.partner)
    client.post(CREATE, log_data(world.a, attachments=[pdf("wrong.pdf")]))
    log = ActivityLog.objects.get()
    wrong = log.attachments.get()
    stored_name = wrong.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            edit(log),
            {**_edit_data(log), "remove_attachments": [wrong.pk], "attachments": [photo("right.jpg")]},
        )
    assert response.status_code == 302
    assert list(log.attachments.values_list("original_name", flat=True)) == ["right.jpg"]
    assert not wrong.file.storage.exists(stored_name)


def test_deleting_logs_in_the_admin_deletes_their_evidence_files(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.a.partner)
    client.post(CREATE, log_data(world.a, attachments=[pdf("names.pdf"), photo("faces.jpg")]))
    log = ActivityLog.objects.get()
    stored = [attachment.file for attachment in log.attachments.all()]
    assert all(file.storage.exists(file.name) for file in stored)
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:prevention_activitylog_changelist"),
            {"action": "delete_selected", "_selected_action": [log.pk], "post": "yes"},
        )
    assert response.status_code == 302
    assert not ActivityLog.objects.exists()
    assert not Attachment.objects.exists()
    assert [file.name for file in stored if file.storage.exists(file.name)] == []


def test_a_deletion_rolled_back_keeps_the_evidence_file(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.a.partner)
    client.post(CREATE, log_data(world.a, attachments=[pdf("names.pdf")]))
    attachment = Attachment.objects.get()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        attachment.activity_log.delete()
        raise RuntimeError("the request failed after the deletion")
    assert callbacks == []
    assert attachment.file.storage.exists(attachment.file.name)
    assert Attachment.objects.filter(pk=attachment.pk).exists()


# Bad input: field errors next to the fields, nothing written.


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"participants_women": 31}, "Cannot be more than the 30 participants."),
        ({"participants_women": 20, "participants_men": 15}, "together are more than the 30 participants"),
        ({"participants_youth": 40}, "Cannot be more than the 30 participants."),
        ({"participants_total": -1}, "greater than or equal to 0"),
        ({"title": ""}, "This field is required."),
        ({"occurred_on": "2999-01-01"}, "the date is in the future"),
        ({"occurred_on": "15.03.2018x"}, "Enter a valid date."),
        ({"kind": "party"}, "Select a valid choice"),
        (
            {"participants_total": 99_999_999_999},
            "More than 100,000 people in one activity? Check the figure.",
        ),
        ({"audience_reached": 10**12}, "An audience above 100,000,000? Check the figure."),
        ({"occurred_on": "1900-01-01"}, "Check the year: activities are logged from 2000 on."),
    ],
)
def test_invalid_input_shows_field_errors_and_writes_nothing(client, world, overrides, message):
    client.force_login(world.a.partner)
    response = client.post(CREATE, log_data(world.a, attachments=[photo()], **overrides))
    assert response.status_code == 200
    assert message in response.text
    assert "invalid-feedback" in response.text
    assert "9223372036854775807" not in response.text
    assert not ActivityLog.objects.exists()
    assert not Attachment.objects.exists()


def test_double_submit_creates_one_log(client, world):
    client.force_login(world.a.partner)
    data = log_data(world.a)
    first = client.post(CREATE, data)
    second = client.post(CREATE, data)
    log = ActivityLog.objects.get()
    assert first["Location"] == second["Location"] == detail(log)


def test_two_saves_of_one_form_racing_each_other_make_one_log(world):
    key = uuid.uuid4()

    def save():
        return services.activity_log_create(
            log=ActivityLog(
                initiative=world.a.initiative,
                organisation=world.a.ngo,
                occurred_on=dt.date(2018, 3, 15),
                kind="training",
                title="Training",
            ),
            author=world.a.partner,
            uploads=[clean_upload(pdf())],
            submission_key=key,
        )

    first = save()
    # The second save passed the view's look-up before the first was committed: the database decides.
    with pytest.raises(services.DuplicateSubmission) as caught:
        save()
    assert caught.value.log == first
    assert ActivityLog.objects.count() == 1
    assert Attachment.objects.count() == 1


def test_someone_elses_form_key_does_not_show_their_log(client, world):
    theirs = _log(world.a, submission_key=uuid.uuid4())
    client.force_login(world.a.official)
    data = log_data(
        world.a, organisation=world.a.administration.pk, submission_key=str(theirs.submission_key)
    )
    response = client.post(CREATE, data)
    assert response.status_code == 302
    assert response["Location"] != detail(theirs)
    assert ActivityLog.objects.count() == 2


def test_invalid_submit_can_be_corrected_with_the_same_form(client, world):
    client.force_login(world.a.partner)
    data = log_data(world.a, participants_women=99)
    assert client.post(CREATE, data).status_code == 200
    assert client.post(CREATE, {**data, "participants_women": 12}).status_code == 302
    assert ActivityLog.objects.count() == 1


# The list.


def test_list_shows_what_the_user_may_see(client, world):
    own = _log(world.a, title="Own training")
    police_unverified = _log(world.a, organisation=world.a.police_unit, title="Police patrol")
    _log(world.b, title="District B event")
    client.force_login(world.a.partner)
    page = client.get(LIST).text
    assert own.title in page
    assert police_unverified.title not in page
    assert "District B event" not in page
    assert "Initiative B" not in page  # not even in the filter's choices


def test_list_filters_by_state_kind_and_dates(client, world):
    _log(world.a, title="March training", occurred_on=dt.date(2018, 3, 1))
    _log(world.a, title="May patrol", kind="patrol", occurred_on=dt.date(2018, 5, 1))
    _log(
        world.a,
        title="Verified meeting",
        kind="meeting",
        review_state="verified",
        reviewed_at=dt.datetime.now(dt.UTC),
    )
    client.force_login(world.a.official)

    def titles(query: str) -> set[str]:
        text = client.get(f"{LIST}?{query}").text
        return {t for t in ("March training", "May patrol", "Verified meeting") if t in text}

    assert titles("kind=patrol") == {"May patrol"}
    assert titles("state=verified") == {"Verified meeting"}
    assert titles("date_from=2018-04-01&date_to=2018-06-01") == {"May patrol"}
    assert titles(f"initiative={world.a.initiative.pk}&organisation={world.a.ngo.pk}") == {
        "March training",
        "May patrol",
        "Verified meeting",
    }
    # Someone else's initiative in the address changes nothing and breaks nothing.
    assert client.get(f"{LIST}?initiative={world.b.initiative.pk}&date_from=nonsense").status_code == 200


def test_list_pages_older_and_newer(client, world):
    for day in range(1, 31):
        _log(world.a, title=f"Day {day:02d}", occurred_on=dt.date(2018, 3, day))
    client.force_login(world.a.official)
    first = client.get(LIST)
    assert "Day 30" in first.text
    assert "Day 05" not in first.text
    older_url = first.context["older_url"]
    assert older_url is not None
    second = client.get(LIST + older_url)
    assert "Day 05" in second.text
    assert "Day 30" not in second.text
    assert second.context["older_url"] is None
    back = client.get(LIST + second.context["newer_url"])
    assert "Day 30" in back.text
    assert client.get(f"{LIST}?older=garbage").status_code == 200


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_list_costs_the_same_queries_for_5_and_200_logs(client, world):
    client.force_login(world.a.official)
    for i in range(5):
        log = _log(world.a, title=f"Log {i}")
        f_attachment(log)
    small = _queries(client, LIST)
    small_filtered = _queries(client, f"{LIST}?state=submitted&initiative={world.a.initiative.pk}")
    for i in range(195):
        _log(world.a, title=f"More {i}", organisation=world.a.police_unit if i % 2 else world.a.ngo)
    assert _queries(client, LIST) == small
    assert _queries(client, f"{LIST}?state=submitted&initiative={world.a.initiative.pk}") == small_filtered


def f_attachment(log) -> Attachment:
    from django.core.files.base import ContentFile

    attachment = Attachment(activity_log=log, original_name="a.pdf", content_type="application/pdf", size=10)
    attachment.file.save("a.pdf", ContentFile(b"%PDF-1.4 x"), save=True)
    return attachment


def test_detail_costs_the_same_queries_whatever_its_evidence_and_history(client, world):
    client.force_login(world.a.official)
    small_log = _log(world.a)
    f_attachment(small_log)
    big_log = _log(world.a)
    for _ in range(12):
        f_attachment(big_log)
    for i in range(40):
        big_log.title = f"Title {i}"
        big_log.save()
    assert _queries(client, detail(small_log)) == _queries(client, detail(big_log))


def test_detail_shows_evidence_review_and_history(client, world):
    client.force_login(world.a.partner)
    client.post(CREATE, log_data(world.a, attachments=[photo("class.jpg"), pdf("agenda.pdf")]))
    log = ActivityLog.objects.get()
    page = client.get(detail(log)).text
    image = log.attachments.get(original_name="class.jpg")
    assert f'src="/evidence/{image.pk}/?size=thumb"' in page
    assert "agenda.pdf" in page
    assert "Waiting for review" in page
    assert "partner_a" in page  # history: who logged it
    assert "/media" not in page


def test_log_form_costs_the_same_queries_for_5_and_200_initiatives(client, world):
    client.force_login(world.a.official)
    for i in range(4):
        f.InitiativeFactory(priority=world.a.priority, title=f"Initiative {i}")
    small = _queries(client, CREATE)
    for i in range(195):
        f.InitiativeFactory(priority=world.a.priority, title=f"More {i}")
    assert _queries(client, CREATE) == small


def test_edit_opened_before_the_log_was_returned_is_refused_as_stale(client, world):
    log = _log(world.a, title="Radio show")
    opened = _edit_data(log)
    client.force_login(world.a.official)
    client.post(return_(log), {"note": "Say how many listeners."})
    client.force_login(world.a.partner)
    response = client.post(edit(log), {**opened, "title": "Radio show, second week"})
    assert response.status_code == 200
    assert "after you opened it" in response.text
    log.refresh_from_db()
    assert (log.title, log.review_state) == ("Radio show", "returned")


def test_pages_hold_every_log_once_when_many_share_a_date(client, world):
    for i in range(60):
        _log(world.a, title=f"Same day {i:02d}", occurred_on=dt.date(2018, 3, 1 + i // 20))
    client.force_login(world.a.official)
    seen, url = [], LIST
    while url:
        response = client.get(url if url.startswith("/") else LIST + url)
        seen.extend(log.title for log in response.context["page"].items)
        url = response.context["older_url"]
    assert sorted(seen) == sorted(f"Same day {i:02d}" for i in range(60))
    assert len(seen) == 60


def test_police_log_a_patrol_on_the_initiative_they_lead(client, world):
    client.force_login(world.a.police)
    response = client.post(
        CREATE, log_data(world.a, organisation=world.a.police_unit.pk, kind="patrol", title="Night patrol")
    )
    assert response.status_code == 302
    log = ActivityLog.objects.get()
    assert (log.organisation, log.author, log.kind) == (world.a.police_unit, world.a.police, "patrol")


def test_the_list_offers_its_filtered_rows_as_a_spreadsheet(client, world):
    client.force_login(world.a.official)
    response = client.get("/activity-logs/", {"kind": "training"})
    assert 'href="/export/activity-logs.xlsx?kind=training"' in response.text
    assert 'href="/export/activity-logs.csv?kind=training"' in response.text


def test_a_review_button_reached_by_get_after_signing_in_again_does_nothing_and_goes_back(client, world):
    """The session ended with "Verify" pressed: after signing in, the browser asks for the button's URL
    by GET. Nothing is verified; the official lands on the log, told to press the button again."""
    log = f.ActivityLogFactory(initiative=world.a.initiative, organisation=world.a.ngo)
    client.force_login(world.a.official)
    response = client.get(reverse("prevention:activity-log-verify", args=[log.pk]), follow=True)
    assert response.redirect_chain == [(reverse("prevention:activity-log-detail", args=[log.pk]), 302)]
    assert "Nothing was done yet: press the button again to do it." in response.text
    log.refresh_from_db()
    assert log.review_state == "submitted"
    assert client.put(reverse("prevention:activity-log-verify", args=[log.pk])).status_code == 405


def test_the_author_opening_a_verified_log_to_edit_is_told_why_not(client, world):
    log = f.ActivityLogFactory(
        initiative=world.a.initiative,
        organisation=world.a.ngo,
        author=world.a.partner,
        review_state="verified",
        reviewed_at=timezone.now(),
    )
    client.force_login(world.a.partner)
    edit = reverse("prevention:activity-log-edit", args=[log.pk])
    response = client.post(edit, {"title": "Changed after the review"}, follow=True)
    assert response.redirect_chain == [(reverse("prevention:activity-log-detail", args=[log.pk]), 302)]
    assert "This log was verified, so it can no longer be changed." in response.text
    log.refresh_from_db()
    assert log.title != "Changed after the review"
    # Someone who may not change it for another reason still gets the refusal page.
    client.force_login(world.a.police)
    assert client.get(edit).status_code in (403, 404)
