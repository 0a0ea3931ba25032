"""Every URL of the project against every persona, for GET and POST: the access matrix.

A URL pattern without a row here fails the suite, so a new page cannot ship without its expectations.
Personas: anonymous; official, police and partner of district A; the same of district B; a donor
funding district A's initiative; a donor funding nothing; the administrator. The objects in the URLs
belong to district A. Outside one's scope an object is "not found" (404); readable but not changeable
is 403; anonymous is sent to sign in (302); a method a page does not take is 405.

Each request runs in a transaction rolled back afterwards, so one persona's POST does not change what
the next one finds.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests import factories as f

PERSONAS = [
    "anonymous",
    "official_a",
    "police_a",
    "partner_a",
    "official_b",
    "police_b",
    "partner_b",
    "donor",
    "idle_donor",
    "admin",
]
SIGNED_IN = PERSONAS[1:]
A = ["official_a", "police_a", "partner_a"]
B = ["official_b", "police_b", "partner_b"]
DONORS = ["donor", "idle_donor"]
LOGIN = 302  # anonymous is redirected to the sign-in page


def expect(default: int, anonymous: int = LOGIN, **groups: int) -> dict[str, int]:
    """Statuses per persona: ``default`` for all signed-in personas, then overrides.

    Overrides are persona names, or group names ``A``, ``B``, ``DONORS`` for all their members.
    """
    table = dict.fromkeys(SIGNED_IN, default)
    table["anonymous"] = anonymous
    names = {"A": A, "B": B, "DONORS": DONORS}
    for key, status in groups.items():
        for persona in names.get(key, [key]):
            table[persona] = status
    return table


# Reads of a district-A plan object: A's people and the administrator; others do not find it.
READ_A = expect(404, A=200, admin=200)
# Reads of what hangs under the donor's funded initiative: the donor too.
READ_A_FUNDED = expect(404, A=200, admin=200, donor=200)
# Changes only the district's official may make (and the administrator).
OFFICIAL_A = expect(404, official_a=200, police_a=403, partner_a=403, admin=200)
# Changes to an initiative led by A's police: the official and the police.
INITIATIVE_A = expect(404, official_a=200, police_a=200, partner_a=403, admin=200, donor=403)
# District data the police keep (statistics, hotspots).
POLICE_DATA_A = expect(404, official_a=200, police_a=200, partner_a=403, admin=200)
NO_POST = expect(405, anonymous=LOGIN)
# A button's action reached by GET (after signing in again): nothing done, back to the button's page.
ACTION_BY_GET = expect(302, anonymous=LOGIN)
EVERYONE = expect(200)


@dataclass
class Row:
    name: str
    get: dict[str, int]
    post: dict[str, int]
    kwargs: Callable[[dict], dict] = field(default=lambda objects: {})
    query: str = ""
    data: dict = field(default_factory=dict)


ROWS = [
    # Public and account pages
    Row("home", get=expect(302, anonymous=200), post=expect(302, anonymous=200)),
    Row("healthz", get=expect(200, anonymous=200), post=expect(200, anonymous=200)),
    Row("accounts:login", get=expect(302, anonymous=200), post=expect(302, anonymous=200)),
    Row("accounts:logout", get=expect(200, anonymous=302), post=expect(302, anonymous=302)),
    Row("accounts:profile", get=EVERYONE, post=EVERYONE),
    Row("accounts:password_change", get=EVERYONE, post=EVERYONE),
    Row("accounts:password_change_done", get=EVERYONE, post=NO_POST),
    Row("accounts:password_reset", get=expect(200, anonymous=200), post=expect(200, anonymous=200)),
    Row("accounts:password_reset_done", get=expect(200, anonymous=200), post=expect(405, anonymous=405)),
    Row(
        "accounts:password_reset_confirm",
        kwargs=lambda o: {"uidb64": "MQ", "token": "invalid-token"},
        get=expect(200, anonymous=200),
        post=expect(200, anonymous=200),
    ),
    Row(
        "accounts:password_reset_complete",
        get=expect(200, anonymous=200),
        post=expect(405, anonymous=405),
    ),
    Row(
        "set_language",
        get=expect(302, anonymous=302),
        post=expect(302, anonymous=302),
        data={"language": "ru"},
    ),
    # Public pages: everyone reads published plans and safety advice; they answer only GET and HEAD.
    Row("prevention:public-plans", get=expect(200, anonymous=200), post=expect(405, anonymous=405)),
    Row(
        "prevention:public-plan",
        kwargs=lambda o: {"pk": o["plan"]},
        get=expect(200, anonymous=200),
        post=expect(405, anonymous=405),
    ),
    Row(
        "prevention:public-safety",
        kwargs=lambda o: {"iso_code": "KG"},
        get=expect(200, anonymous=200),
        post=expect(405, anonymous=405),
    ),
    # Dashboards
    Row("prevention:dashboard", get=expect(200, DONORS=302), post=NO_POST),
    # Districts, plans, initiatives
    Row("prevention:district-detail", kwargs=lambda o: {"pk": o["district"]}, get=READ_A, post=NO_POST),
    Row(
        "prevention:plan-create",
        kwargs=lambda o: {"district_pk": o["district"]},
        get=OFFICIAL_A,
        post=OFFICIAL_A,
    ),
    Row("prevention:plan-detail", kwargs=lambda o: {"pk": o["plan"]}, get=READ_A, post=NO_POST),
    Row("prevention:plan-edit", kwargs=lambda o: {"pk": o["plan"]}, get=OFFICIAL_A, post=OFFICIAL_A),
    Row(
        "prevention:priority-create", kwargs=lambda o: {"plan_pk": o["plan"]}, get=OFFICIAL_A, post=OFFICIAL_A
    ),
    Row("prevention:priority-edit", kwargs=lambda o: {"pk": o["priority"]}, get=OFFICIAL_A, post=OFFICIAL_A),
    Row(
        "prevention:initiative-create",
        kwargs=lambda o: {"priority_pk": o["priority"]},
        get=OFFICIAL_A,
        post=OFFICIAL_A,
    ),
    Row(
        "prevention:initiative-detail",
        kwargs=lambda o: {"pk": o["initiative"]},
        get=READ_A_FUNDED,
        post=NO_POST,
    ),
    Row(
        "prevention:initiative-edit",
        kwargs=lambda o: {"pk": o["initiative"]},
        get=INITIATIVE_A,
        post=INITIATIVE_A,
    ),
    Row(
        "prevention:milestone-create",
        kwargs=lambda o: {"initiative_pk": o["initiative"]},
        get=INITIATIVE_A,
        post=INITIATIVE_A,
    ),
    Row(
        "prevention:milestone-edit",
        kwargs=lambda o: {"pk": o["milestone"]},
        get=INITIATIVE_A,
        post=INITIATIVE_A,
    ),
    Row(
        "prevention:milestone-complete",
        kwargs=lambda o: {"pk": o["milestone"]},
        get=ACTION_BY_GET,
        post=expect(404, official_a=302, police_a=302, partner_a=403, admin=302, donor=403),
    ),
    Row(
        "prevention:progress-update-create",
        kwargs=lambda o: {"pk": o["initiative"]},
        get=INITIATIVE_A,
        post=INITIATIVE_A,
    ),
    Row(
        "prevention:indicator-create",
        kwargs=lambda o: {"plan_pk": o["plan"]},
        get=OFFICIAL_A,
        post=OFFICIAL_A,
    ),
    Row(
        "prevention:indicator-detail",
        kwargs=lambda o: {"pk": o["indicator"]},
        get=READ_A_FUNDED,
        post=NO_POST,
    ),
    Row(
        "prevention:indicator-edit",
        kwargs=lambda o: {"pk": o["indicator"]},
        get=expect(404, official_a=200, police_a=403, partner_a=403, admin=200, donor=403),
        post=expect(404, official_a=200, police_a=403, partner_a=403, admin=200, donor=403),
    ),
    Row(
        "prevention:measurement-create",
        kwargs=lambda o: {"indicator_pk": o["indicator"]},
        get=expect(404, official_a=200, police_a=403, partner_a=403, admin=200, donor=403),
        post=expect(404, official_a=200, police_a=403, partner_a=403, admin=200, donor=403),
    ),
    Row(
        "prevention:measurement-edit",
        kwargs=lambda o: {"pk": o["measurement"]},
        get=expect(404, official_a=200, police_a=403, partner_a=403, admin=200, donor=403),
        post=expect(404, official_a=200, police_a=403, partner_a=403, admin=200, donor=403),
    ),
    Row(
        "prevention:meeting-create", kwargs=lambda o: {"plan_pk": o["plan"]}, get=OFFICIAL_A, post=OFFICIAL_A
    ),
    Row("prevention:meeting-detail", kwargs=lambda o: {"pk": o["meeting"]}, get=READ_A, post=NO_POST),
    Row("prevention:meeting-edit", kwargs=lambda o: {"pk": o["meeting"]}, get=OFFICIAL_A, post=OFFICIAL_A),
    # Activity logs and evidence
    Row("prevention:activity-log-list", get=EVERYONE, post=NO_POST),
    Row(
        "prevention:activity-log-create",
        query="initiative={initiative}",
        get=expect(200, DONORS=403),
        post=expect(200, DONORS=403),
    ),
    # A submitted log of A's NGO: its organisation and the official; police see others' logs once verified.
    Row(
        "prevention:activity-log-detail",
        kwargs=lambda o: {"pk": o["submitted_log"]},
        get=expect(404, official_a=200, partner_a=200, admin=200),
        post=NO_POST,
    ),
    Row(
        "prevention:activity-log-edit",
        kwargs=lambda o: {"pk": o["submitted_log"]},
        get=expect(404, official_a=200, partner_a=200, admin=200),
        post=expect(404, official_a=200, partner_a=200, admin=200),
    ),
    Row(
        "prevention:activity-log-verify",
        kwargs=lambda o: {"pk": o["submitted_log"]},
        get=ACTION_BY_GET,
        post=expect(404, official_a=302, partner_a=403, admin=302),
    ),
    Row(
        "prevention:activity-log-return",
        kwargs=lambda o: {"pk": o["submitted_log"]},
        get=ACTION_BY_GET,
        post=expect(404, official_a=302, partner_a=403, admin=302),
        data={"note": "Please add the attendance sheet."},
    ),
    Row(
        "prevention:activity-log-resubmit",
        kwargs=lambda o: {"pk": o["returned_log"]},
        get=ACTION_BY_GET,
        # Resubmitting is the log's organisation's answer to the official's note, not the official's.
        post=expect(404, official_a=403, partner_a=302, admin=302),
    ),
    # Evidence of a verified log on the funded initiative: A's people and the donor.
    Row(
        "prevention:attachment-download",
        kwargs=lambda o: {"pk": o["attachment"]},
        get=READ_A_FUNDED,
        post=NO_POST,
    ),
    # Crime statistics and hotspots
    Row(
        "prevention:crime-statistic-create",
        kwargs=lambda o: {"district_pk": o["district"]},
        get=POLICE_DATA_A,
        post=POLICE_DATA_A,
    ),
    Row(
        "prevention:crime-statistic-edit",
        kwargs=lambda o: {"pk": o["statistic"]},
        get=POLICE_DATA_A,
        post=POLICE_DATA_A,
    ),
    Row(
        "prevention:hotspot-create",
        kwargs=lambda o: {"district_pk": o["district"]},
        get=POLICE_DATA_A,
        post=POLICE_DATA_A,
    ),
    Row(
        "prevention:hotspot-edit",
        kwargs=lambda o: {"pk": o["hotspot"]},
        get=POLICE_DATA_A,
        post=POLICE_DATA_A,
    ),
    # Export and import
    Row("prevention:export-index", get=EVERYONE, post=NO_POST),
    Row(
        "prevention:export",
        kwargs=lambda o: {"dataset": "activity-logs", "extension": "csv"},
        get=EVERYONE,
        post=NO_POST,
    ),
    Row("prevention:import-upload", get=expect(200, DONORS=403), post=expect(200, DONORS=403)),
    Row("prevention:import-confirm", get=ACTION_BY_GET, post=expect(302, DONORS=403)),
    # Reports: the plan report reads the plan (donors have the donor report instead); the donor report
    # offers the funders whose lines the user sees, and its XLSX needs one (400 where there is none).
    Row("prevention:plan-report", kwargs=lambda o: {"pk": o["plan"]}, get=READ_A, post=NO_POST),
    Row("prevention:plan-report-xlsx", kwargs=lambda o: {"pk": o["plan"]}, get=READ_A, post=NO_POST),
    Row("prevention:donor-report", get=EVERYONE, post=NO_POST),
    Row("prevention:donor-report-xlsx", get=expect(400, A=200, admin=200, donor=200), post=NO_POST),
]
ROWS_BY_NAME = {row.name: row for row in ROWS}

# Admin sites have their own gate (staff for /admin/, donor staff for /donor/) and their own tests
# (tests/test_admin.py, tests/prevention/test_donor*.py); here every page of theirs without
# arguments is checked for its gate.
ADMIN_NAMESPACES = {"admin", "donor"}


def _named_patterns(resolver: URLResolver | None = None, namespace: str = "") -> list[str]:
    names = []
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names.extend(_named_patterns(pattern, inner))
        elif isinstance(pattern, URLPattern):
            if not pattern.name and namespace.split(":")[0] in ADMIN_NAMESPACES:
                continue  # the admin's unnamed redirect from an object id to its change page
            assert pattern.name, f"URL pattern {pattern.pattern} has no name"
            names.append(f"{namespace}{pattern.name}")
    return names


def test_every_url_pattern_has_a_row_in_the_matrix():
    missing = [
        name
        for name in _named_patterns()
        if name not in ROWS_BY_NAME and name.split(":")[0] not in ADMIN_NAMESPACES
    ]
    assert missing == [], f"add rows to the access matrix for: {missing}"
    stale = [name for name in ROWS_BY_NAME if name not in _named_patterns()]
    assert stale == [], f"these rows name URLs that no longer exist: {stale}"


@pytest.fixture
def matrix(world) -> tuple[dict, dict]:
    """Objects of district A behind the URLs, and a signed-in client per persona."""
    a = world.a
    milestone = f.MilestoneFactory(
        initiative=a.initiative, due_on=timezone.localdate() + dt.timedelta(days=30)
    )
    indicator = f.IndicatorFactory(plan=a.plan, initiative=a.initiative)
    submitted = f.ActivityLogFactory(initiative=a.initiative, organisation=a.ngo, author=a.partner)
    returned = f.ActivityLogFactory(
        initiative=a.initiative,
        organisation=a.ngo,
        author=a.partner,
        review_state="returned",
        review_note="Add the attendance sheet.",
        reviewed_at=timezone.now(),
    )
    verified = f.ActivityLogFactory(
        initiative=a.initiative, organisation=a.ngo, review_state="verified", reviewed_at=timezone.now()
    )
    objects = {
        "district": a.district.pk,
        "plan": a.plan.pk,
        "priority": a.priority.pk,
        "initiative": a.initiative.pk,
        "milestone": milestone.pk,
        "indicator": indicator.pk,
        "measurement": f.MeasurementFactory(indicator=indicator).pk,
        "meeting": f.MeetingFactory(plan=a.plan).pk,
        "submitted_log": submitted.pk,
        "returned_log": returned.pk,
        "attachment": f.AttachmentFactory(activity_log=verified).pk,
        "statistic": f.CrimeStatisticFactory(district=a.district).pk,
        "hotspot": f.HotspotFactory(district=a.district).pk,
    }
    users = {
        "official_a": a.official,
        "police_a": a.police,
        "partner_a": a.partner,
        "official_b": world.b.official,
        "police_b": world.b.police,
        "partner_b": world.b.partner,
        "donor": world.donor,
        "idle_donor": world.idle_donor,
        "admin": world.admin,
    }
    return objects, users


def _url(row: Row, objects: dict) -> str:
    url = reverse(row.name, kwargs=row.kwargs(objects))
    return f"{url}?{row.query.format(**objects)}" if row.query else url


def _request(client: Client, method: str, url: str, data: dict):
    with transaction.atomic():
        response = client.get(url) if method == "get" else client.post(url, data)
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_access_matrix(row: Row, matrix):
    objects, users = matrix
    url = _url(row, objects)
    wrong = []
    for persona in PERSONAS:
        client = Client()
        if persona != "anonymous":
            client.force_login(users[persona])
        for method, expected in (("get", row.get), ("post", row.post)):
            status = _request(client, method, url, row.data).status_code
            if status != expected[persona]:
                wrong.append(f"{method.upper()} {persona}: expected {expected[persona]}, got {status}")
    assert wrong == [], f"{url}\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    "row", [row for row in ROWS if 405 not in {row.post["admin"]}], ids=lambda row: row.name
)
def test_post_without_csrf_token_is_refused(row: Row, matrix):
    objects, users = matrix
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["admin"])
    response = _request(client, "post", _url(row, objects), row.data)
    assert response.status_code == 403


def test_unpublished_plan_is_not_found_on_the_public_page_by_anyone(world):
    world.a.plan.is_published = False
    world.a.plan.save()
    url = reverse("prevention:public-plan", kwargs={"pk": world.a.plan.pk})
    for user in [None, world.a.official, world.donor, world.admin]:
        client = Client()
        if user:
            client.force_login(user)
        assert client.get(url).status_code == 404, user


def test_anonymous_is_sent_to_sign_in_with_the_page_to_come_back_to(matrix):
    objects, _users = matrix
    url = reverse("prevention:plan-detail", kwargs={"pk": objects["plan"]})
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.parametrize("namespace", sorted(ADMIN_NAMESPACES))
def test_admin_sites_let_in_only_their_people(namespace, world):
    names = [n for n in _named_patterns() if n.split(":")[0] == namespace]
    if not names:
        pytest.skip(f"no {namespace} site")
    pages = []
    for name in names:
        # Pages that take arguments are covered by the site's own tests.
        with contextlib.suppress(NoReverseMatch):
            pages.append(reverse(name))
    insiders = {"admin": [world.admin], "donor": [world.donor, world.admin]}[namespace]
    outsiders = [world.a.official, world.a.partner, world.b.police]
    wrong = []
    for url in pages:
        if url.endswith("/logout/") or url.endswith("/login/"):
            continue
        for user in [None, *outsiders]:
            client = Client()
            if user:
                client.force_login(user)
            status = client.get(url).status_code
            # Signed in without a donor membership: refused (sending them to sign in would loop back).
            expected = 403 if user and namespace == "donor" else 302
            if status != expected:
                wrong.append(f"{url} {user or 'anonymous'}: expected {expected}, got {status}")
        for user in insiders:
            client = Client()
            client.force_login(user)
            status = client.get(url).status_code
            if status not in (200, 403):
                wrong.append(f"{url} {user}: expected 200 (or 403 for pages they may not use), got {status}")
    assert wrong == [], "\n".join(wrong)
