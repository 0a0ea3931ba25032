"""Evidence files: sent only through the access check, as attachments, with nosniff."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile

from prevention.models import Attachment
from tests import factories as f
from tests.prevention.activity_helpers import gps_of, photo_bytes


def _evidence(log, name: str, data: bytes, content_type: str) -> Attachment:
    attachment = Attachment(activity_log=log, original_name=name, content_type=content_type, size=len(data))
    attachment.file.save(name, ContentFile(data), save=True)
    return attachment


def _download(attachment: Attachment, suffix: str = "") -> str:
    return f"/evidence/{attachment.pk}/{suffix}"


@pytest.fixture
def evidence(world):
    """District A's NGO log, unverified, with a photo, a PDF and a spreadsheet."""
    log = f.ActivityLogFactory(
        initiative=world.a.initiative, organisation=world.a.ngo, author=world.a.partner
    )
    return {
        "log": log,
        "photo": _evidence(log, "class photo.jpg", photo_bytes(size=(900, 600)), "image/jpeg"),
        "pdf": _evidence(log, "agenda.pdf", b"%PDF-1.4 agenda", "application/pdf"),
        "sheet": _evidence(log, "people.csv", b"name;age\n", "text/csv"),
    }


def test_district_a_evidence_answers_404_to_district_b(client, world, evidence):
    for user in (world.b.official, world.b.police, world.b.partner):
        client.force_login(user)
        assert client.get(_download(evidence["photo"])).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, evidence):
    response = client.get(_download(evidence["pdf"]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_donor_gets_evidence_only_once_the_log_is_verified(client, world, evidence):
    client.force_login(world.donor)
    assert client.get(_download(evidence["pdf"])).status_code == 404
    log = evidence["log"]
    log.review_state = "verified"
    log.reviewed_at = dt.datetime.now(dt.UTC)
    log.save()
    assert client.get(_download(evidence["pdf"])).status_code == 200
    client.force_login(world.idle_donor)
    assert client.get(_download(evidence["pdf"])).status_code == 404


def test_other_partners_of_the_district_wait_for_verification(client, world, evidence):
    other_ngo_member = f.MembershipFactory(
        organisation=f.OrganisationFactory(name="Other NGO"), role="partner", districts=[world.a.district]
    ).user
    client.force_login(other_ngo_member)
    assert client.get(_download(evidence["pdf"])).status_code == 404


def test_pdf_and_photos_open_inline_with_nosniff(client, world, evidence):
    client.force_login(world.a.official)
    response = client.get(_download(evidence["pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert 'filename="agenda.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 agenda"

    image = client.get(_download(evidence["photo"]))
    assert image["Content-Type"] == "image/jpeg"
    assert image["Content-Disposition"].startswith("inline")


def test_other_files_download_as_attachments_with_their_original_name(client, world, evidence):
    client.force_login(world.a.partner)
    response = client.get(_download(evidence["sheet"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="people.csv"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_thumbnail_is_a_small_image(client, world, evidence):
    client.force_login(world.a.partner)
    response = client.get(_download(evidence["photo"], "?size=thumb"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert len(response.content) < evidence["photo"].size
    assert gps_of(response.content) == {}


def test_thumbnail_of_a_document_is_the_document(client, world, evidence):
    client.force_login(world.a.partner)
    response = client.get(_download(evidence["pdf"], "?size=thumb"))
    assert response["Content-Type"] == "application/pdf"


def test_missing_file_answers_404_not_500(client, world, evidence):
    evidence["pdf"].file.storage.delete(evidence["pdf"].file.name)
    client.force_login(world.a.official)
    assert client.get(_download(evidence["pdf"])).status_code == 404


def test_uploaded_photo_downloads_without_gps(client, world):
    from tests.prevention.activity_helpers import log_data, photo

    client.force_login(world.a.partner)
    client.post("/activity-logs/new/", log_data(world.a, attachments=[photo("market.jpg")]))
    attachment = Attachment.objects.get()
    response = client.get(_download(attachment))
    assert gps_of(b"".join(response.streaming_content)) == {}


def test_evidence_is_never_under_a_public_url(client, world, evidence, settings):
    client.force_login(world.a.official)
    assert client.get(f"{settings.MEDIA_URL}{evidence['pdf'].file.name}").status_code == 404
    assert client.get(f"/media/{evidence['pdf'].file.name}").status_code == 404
