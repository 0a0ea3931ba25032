"""Uploads: only allowed kinds, checked by their content, within the size cap, photos without GPS."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from prevention.models import ActivityLog, Attachment
from prevention.uploads import clean_upload
from tests.prevention.activity_helpers import (
    gps_of,
    html_as_png,
    log_data,
    pdf,
    photo,
    photo_bytes,
    svg_with_script,
)

CREATE = "/activity-logs/new/"


def _refusal(upload) -> str:
    with pytest.raises(ValidationError) as caught:
        clean_upload(upload)
    return " ".join(caught.value.messages)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_photo_loses_its_gps_position(fmt):
    upload = photo(f"photo.{fmt.lower()}", fmt=fmt)
    assert gps_of(upload.read())  # the test photo really carries a position
    upload.seek(0)
    cleaned = clean_upload(upload)
    assert gps_of(cleaned.content.read()) == {}


def test_photo_keeps_standing_upright_after_its_metadata_is_gone():
    # Orientation 6: the camera was turned; the pixels are stored lying on their side.
    cleaned = clean_upload(photo("turned.jpg", size=(64, 48), orientation=6))
    with Image.open(cleaned.content) as image:
        assert image.size == (48, 64)
        assert dict(image.getexif()) == {}


def test_gif_is_accepted_and_resaved():
    out = io.BytesIO()
    Image.new("P", (8, 8)).save(out, "GIF", comment=b"taken at the bazaar")
    cleaned = clean_upload(SimpleUploadedFile("anim.gif", out.getvalue()))
    assert cleaned.content_type == "image/gif"
    with Image.open(cleaned.content) as image:
        assert "comment" not in image.info


def test_html_renamed_png_is_refused():
    assert "contains a web page" in _refusal(html_as_png())


def test_svg_is_refused_with_a_reason():
    assert "SVG files can contain scripts" in _refusal(svg_with_script())


def test_svg_renamed_csv_is_refused():
    assert "SVG" in _refusal(svg_with_script("people.csv"))


def test_png_extension_on_a_pdf_is_refused():
    upload = pdf("photo.png")
    assert "is not what a .png file holds" in _refusal(upload)


def test_executable_is_refused_by_extension():
    message = _refusal(SimpleUploadedFile("setup.exe", b"MZ\x90\x00" + b"\x00" * 60))
    assert "this kind of file is not accepted" in message


def test_oversized_file_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1000
    assert "files may be at most" in _refusal(SimpleUploadedFile("big.pdf", b"%PDF-1.4" + b"0" * 2000))


def test_damaged_photo_is_refused():
    broken = photo_bytes()[:40]
    assert "could not be read as a picture" in _refusal(SimpleUploadedFile("broken.jpg", broken))


def test_office_documents_are_checked_inside():
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert clean_upload(SimpleUploadedFile("report.docx", docx.getvalue())).content_type.endswith(
        "wordprocessingml.document"
    )
    assert "is not what a .xlsx file holds" in _refusal(SimpleUploadedFile("sheet.xlsx", docx.getvalue()))

    ods = io.BytesIO()
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    assert clean_upload(SimpleUploadedFile("people.ods", ods.getvalue())).content_type.endswith("spreadsheet")
    assert "is not what a .odt file holds" in _refusal(SimpleUploadedFile("people.odt", ods.getvalue()))


def test_csv_must_be_text():
    assert clean_upload(SimpleUploadedFile("people.csv", "имя;возраст\nАйгуль;17\n".encode())).size > 0
    assert "is not what a .csv file holds" in _refusal(
        SimpleUploadedFile("people.csv", b"\x00\x01\x02binary")
    )


# Through the form: each refusal is a message on the field, and nothing is saved.


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (html_as_png, "contains a web page"),
        (svg_with_script, "SVG files can contain scripts"),
    ],
)
def test_partner_sees_why_a_file_is_refused_and_nothing_is_saved(client, world, upload, message):
    client.force_login(world.a.partner)
    data = log_data(world.a, attachments=[photo(), upload()])
    response = client.post(CREATE, data)
    assert response.status_code == 200
    assert message in response.text
    assert "choose the files again" in response.text
    assert not ActivityLog.objects.exists()
    assert not Attachment.objects.exists()


def test_partner_is_told_an_oversized_file_is_too_large(client, world, settings):
    settings.UPLOAD_MAX_BYTES = 2000
    client.force_login(world.a.partner)
    big = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n" + b"0" * 5000)
    response = client.post(CREATE, log_data(world.a, attachments=[big]))
    assert response.status_code == 200
    assert "files may be at most 2.0\xa0KB" in response.text
    assert not ActivityLog.objects.exists()


def test_too_many_files_at_once_are_refused(client, world):
    client.force_login(world.a.partner)
    response = client.post(CREATE, log_data(world.a, attachments=[pdf(f"p{i}.pdf") for i in range(11)]))
    assert "Send at most 10 files at a time." in response.text
    assert not ActivityLog.objects.exists()


def test_stored_name_is_generated_not_the_uploaders(client, world):
    client.force_login(world.a.partner)
    client.post(CREATE, log_data(world.a, attachments=[pdf("../../etc/passwd.pdf")]))
    attachment = Attachment.objects.get()
    assert attachment.original_name == "passwd.pdf"
    assert "passwd" not in attachment.file.name
    assert attachment.file.name.startswith("evidence/")


def test_a_long_file_name_is_shortened_keeping_its_extension():
    name = "a" * 300 + ".png"
    cleaned = clean_upload(photo(name, "PNG"))
    assert len(cleaned.original_name) == 200
    assert cleaned.original_name.endswith("a.png")
    assert clean_upload(photo("short.png", "PNG")).original_name == "short.png"
