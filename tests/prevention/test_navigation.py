import pytest
from django.test import RequestFactory

from prevention.views.navigation import safe_next


@pytest.mark.parametrize(
    "target", ["//evil.example", "https://evil.example", "/\\evil.example", "javascript:alert(1)", ""]
)
def test_a_next_leaving_the_site_falls_back(target):
    request = RequestFactory().post("/", {"next": target})
    assert safe_next(request, "/dashboard/") == "/dashboard/"


def test_a_next_within_the_site_is_followed_from_the_form_or_the_link():
    assert safe_next(RequestFactory().post("/", {"next": "/plans/3/"}), "/") == "/plans/3/"
    assert safe_next(RequestFactory().get("/", {"next": "/plans/3/?tab=money"}), "/") == "/plans/3/?tab=money"
