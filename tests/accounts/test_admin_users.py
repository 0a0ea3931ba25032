"""The administrator creates users and their memberships in the admin; the user chooses a password by link."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, User
from tests import factories as f
from tests.admin_helpers import admin_url, open_and_post

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/accounts/\S+/)")


@pytest.fixture
def client_factory():
    return Client


@pytest.fixture
def admin_client_(client, world):
    client.force_login(world.admin)
    return client


def new_user_data(world, **changes) -> dict:
    data = {
        "username": "aigul",
        "email": "aigul@example.org",
        "first_name": "Aigul",
        "last_name": "Toktosunova",
        "preferred_language": "ru",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-organisation": str(world.a.administration.pk),
        "memberships-0-role": Membership.Role.OFFICIAL,
        "memberships-0-districts": [str(world.a.district.pk)],
        "_save": "Save",
    }
    data.update(changes)
    return data


def test_add_page_asks_for_no_password(admin_client_):
    page = admin_client_.get(admin_url(User, "add")).content.decode()
    assert 'name="email"' in page
    assert 'name="memberships-0-role"' in page
    assert 'name="password1"' not in page


# Real commits: the mail goes out when the admin's transaction commits, while the request is still running.
@pytest.mark.django_db(transaction=True)
def test_administrator_creates_a_user_with_a_membership_and_a_link_is_mailed(
    admin_client_, world, mailoutbox
):
    response = admin_client_.post(admin_url(User, "add"), new_user_data(world))
    assert response.status_code == 302

    user = User.objects.get(username="aigul")
    assert not user.has_usable_password()
    membership = user.memberships.get()
    assert (membership.organisation, membership.role) == (world.a.administration, Membership.Role.OFFICIAL)
    assert list(membership.districts.all()) == [world.a.district]
    assert user.history.first().history_user == world.admin
    assert membership.history.first().history_user == world.admin

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["aigul@example.org"]
    assert "aigul" in mail.body
    assert len(LINK.findall(mail.body)) == 1
    assert (
        "A link to choose a password was sent to aigul@example.org."
        in admin_client_.get(response.url).content.decode()
    )


def test_the_mailed_link_lets_the_new_user_choose_a_password_once(
    admin_client_, client_factory, world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client_.post(admin_url(User, "add"), new_user_data(world))
    link = LINK.search(mailoutbox[0].body).group(1)

    newcomer = client_factory()
    response = newcomer.get(link)
    assert response.status_code == 302
    assert response.url.endswith("/set-password/")
    form = newcomer.get(response.url)
    assert form.status_code == 200
    assert 'name="new_password1"' in form.content.decode()

    done = newcomer.post(
        response.url, {"new_password1": "tulips-in-osh-bazaar", "new_password2": "tulips-in-osh-bazaar"}
    )
    assert done.status_code == 302
    signed_in = client_factory().post(
        reverse("accounts:login"), {"username": "aigul@example.org", "password": "tulips-in-osh-bazaar"}
    )
    assert signed_in.status_code == 302
    # Used once: the token no longer matches the changed password.
    again = client_factory().get(link)
    assert again.status_code == 200
    assert 'name="new_password1"' not in again.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": ""}, "This field is required."),
        ({"username": "OFFICIAL_A"}, "A user with this username already exists."),
        ({"email": "OFFICIAL_A@example.org"}, "Another user already has this e-mail address."),
    ],
)
def test_a_user_that_cannot_be_created_gets_a_message_and_nothing_is_sent(
    admin_client_, world, mailoutbox, django_capture_on_commit_callbacks, changes, message
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(admin_url(User, "add"), new_user_data(world, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(first_name="Aigul").exists()
    assert mailoutbox == []


def test_administrator_can_send_a_new_link_from_the_list(admin_client_, world, mailoutbox):
    response = admin_client_.post(
        admin_url(User, "changelist"),
        {"action": "send_password_links", "_selected_action": [world.a.partner.pk, world.b.partner.pk]},
        follow=True,
    )
    assert "2 users received a link." in response.content.decode()
    assert sorted(mail.to[0] for mail in mailoutbox) == ["partner_a@example.org", "partner_b@example.org"]


def test_membership_changes_are_in_the_history(admin_client_, world):
    membership = world.a.partner.memberships.get()
    other = f.DistrictFactory(name="Pervomaisky")
    url = admin_url(Membership, "change", membership.pk)
    response = open_and_post(admin_client_, url, {"districts": [str(world.a.district.pk), str(other.pk)]})
    assert response.status_code == 302
    history = admin_client_.get(admin_url(Membership, "history", membership.pk))
    assert history.status_code == 200
    assert "Pervomaisky" in history.content.decode()
    assert admin_client_.get(admin_url(User, "history", world.a.partner.pk)).status_code == 200


def test_user_list_shows_each_users_memberships(admin_client_, world):
    page = admin_client_.get(admin_url(User, "changelist"), {"q": "partner_a"}).content.decode()
    assert "NGO A · Partner staff" in page
