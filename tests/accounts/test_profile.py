"""The profile page (memberships, preferred language) and the language each user's pages are shown in."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Membership
from tests import factories as f

PROFILE = "/accounts/profile/"


def test_profile_requires_sign_in(client, db):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={PROFILE}"


def test_profile_lists_the_users_memberships_and_districts(client, world):
    client.force_login(world.a.police)
    response = client.get(PROFILE)
    assert response.status_code == 200
    assert "Police A" in response.text
    assert "District A" in response.text
    assert "NGO A" not in response.text
    assert "District B" not in response.text
    assert 'href="/accounts/password/change/"' in response.text


def test_profile_of_a_donor_says_it_sees_what_it_funds(client, world):
    client.force_login(world.donor)
    assert "what your organisation funds" in client.get(PROFILE).text


def test_profile_of_a_user_without_membership_says_so(client, db):
    client.force_login(f.UserFactory())
    assert "You are not a member of any organisation yet." in client.get(PROFILE).text


def _profile_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PROFILE).status_code == 200
    return len(queries)


def test_profile_costs_the_same_queries_for_one_or_many_memberships(client, db):
    few = f.MembershipFactory(districts=[f.DistrictFactory()]).user
    many = f.UserFactory()
    for _ in range(4):
        f.MembershipFactory(user=many, districts=[f.DistrictFactory(), f.DistrictFactory()])
    assert _profile_queries(client, few) == _profile_queries(client, many)


def test_profile_saves_the_preferred_language_and_answers_in_it(client, db):
    user = f.UserFactory()
    client.force_login(user)
    response = client.post(PROFILE, {"preferred_language": "ru"}, follow=True)
    user.refresh_from_db()
    assert user.preferred_language == "ru"
    assert response["Content-Language"] == "ru"
    assert 'lang="ru"' in response.text


def test_profile_refuses_a_language_not_offered(client, db):
    user = f.UserFactory(preferred_language="es")
    client.force_login(user)
    response = client.post(PROFILE, {"preferred_language": "xx"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text or "Escoja una opción válida" in response.text
    user.refresh_from_db()
    assert user.preferred_language == "es"


def test_profile_can_go_back_to_the_browsers_language(client, db):
    user = f.UserFactory(preferred_language="ru")
    client.force_login(user)
    client.post(PROFILE, {"preferred_language": ""})
    user.refresh_from_db()
    assert user.preferred_language == ""
    assert client.get(PROFILE)["Content-Language"] == "en"


def test_user_preferring_russian_gets_russian_pages(client, db):
    client.force_login(f.UserFactory(preferred_language="ru"))
    response = client.get("/accounts/password/change/", headers={"accept-language": "en"})
    assert response["Content-Language"] == "ru"
    # Django's own Russian translations: the labels of its password change form.
    assert "Старый пароль" in response.text
    assert "Old password" not in response.text


def test_without_a_preference_the_browsers_language_is_used(client, db):
    client.force_login(f.UserFactory())
    response = client.get("/accounts/password/change/", headers={"accept-language": "ru"})
    assert response["Content-Language"] == "ru"
    response = client.get("/accounts/password/change/", headers={"accept-language": "en"})
    assert response["Content-Language"] == "en"
    assert "Old password" in response.text


@pytest.mark.parametrize(("chosen", "saved"), [("ky", "ky"), ("xx", "ru")])
def test_footer_language_switch_saves_a_signed_in_users_preference(client, db, chosen, saved):
    user = f.UserFactory(preferred_language="ru")
    client.force_login(user)
    response = client.post("/i18n/setlang/", {"language": chosen, "next": PROFILE})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.preferred_language == saved


def test_memberships_on_the_profile_follow_the_admins_changes(client, world):
    Membership.objects.filter(user=world.a.partner).delete()
    client.force_login(world.a.partner)
    assert "You are not a member of any organisation yet." in client.get(PROFILE).text
