"""Helpers for the activity log tests: form data, real photos with GPS metadata, and files that only
pretend to be photos."""

from __future__ import annotations

import io
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

# Osh Bazaar, Bishkek: where the photo "was taken".
GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (42.0, 52.0, 30.0),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (74.0, 34.0, 10.0),
}


def photo_bytes(fmt: str = "JPEG", size: tuple[int, int] = (64, 48), orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCam"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = GPS
    out = io.BytesIO()
    image.save(out, fmt, exif=exif)
    return out.getvalue()


def photo(name: str = "training.jpg", fmt: str = "JPEG", **kwargs) -> SimpleUploadedFile:
    mime = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}[fmt]
    return SimpleUploadedFile(name, photo_bytes(fmt, **kwargs), content_type=mime)


def gps_of(data: bytes) -> dict:
    with Image.open(io.BytesIO(data)) as image:
        return dict(image.getexif().get_ifd(ExifTags.IFD.GPSInfo))


def html_as_png() -> SimpleUploadedFile:
    page = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
    return SimpleUploadedFile("leaflet.png", page, content_type="image/png")


def svg_with_script(name: str = "logo.svg") -> SimpleUploadedFile:
    drawing = (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(1)</script><rect width='10' height='10'/></svg>"
    )
    return SimpleUploadedFile(name, drawing, content_type="image/svg+xml")


def pdf(name: str = "minutes.pdf") -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def log_data(world_district, **overrides) -> dict:
    """What a partner types into "log an activity" (a fresh one-time key each time)."""
    data = {
        "initiative": world_district.initiative.pk,
        "organisation": world_district.ngo.pk,
        "occurred_on": "2018-03-15",
        "kind": "training",
        "title": "Training of youth inspectors",
        "description": "Two days with the new manual.",
        "place": "School No. 5",
        "participants_total": 30,
        "participants_women": 12,
        "participants_men": 18,
        "participants_youth": 20,
        "audience_reached": 0,
        "outputs": "30 manuals handed out",
        "submission_key": uuid.uuid4().hex,
    }
    data.update(overrides)
    return data
