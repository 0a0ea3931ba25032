"""Production settings: Django's deployment checklist passes, and every response carries the security headers."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

from tests.factories import UserFactory


def _production_environment() -> dict[str, str]:
    environment = {
        name: value
        for name, value in os.environ.items()
        # Whatever the developer's shell sets, the check runs on the defaults of a production deployment.
        if name
        not in {"DEBUG", "DATABASE_URL", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "TRUSTED_PROXIES"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="example.org",
    )
    return environment


def _manage(*arguments: str, environment: dict[str, str]) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh process, so that settings are read from this environment alone."""
    return subprocess.run(  # noqa: S603 (the arguments come from the tests below, no shell)
        [sys.executable, "manage.py", *arguments],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_check_deploy_has_nothing_to_say_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", environment=_production_environment())
    assert result.returncode == 0, result.stderr + result.stdout
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert result.stderr == ""


@pytest.mark.slow
def test_the_wsgi_application_leaves_its_start_up_objects_out_of_garbage_collection():
    # A full collection pass walked every module, class and URL pattern of the loaded app: 100 ms in the
    # middle of a request on a two-CPU server. config.wsgi freezes them once the app is loaded.
    result = subprocess.run(
        [sys.executable, "-c", "import gc, config.wsgi; print(gc.get_freeze_count())"],
        cwd=settings.BASE_DIR,
        env=_production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 10_000


@pytest.mark.slow
def test_a_developer_starting_on_sqlite_reads_no_warnings(tmp_path):
    # `make run` runs the checks with the database (migrate, runserver): on SQLite they warned that the
    # covering indexes' extra columns, there for PostgreSQL, are ignored.
    environment = {
        **_production_environment(),
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = _manage("check", "--database", "default", environment=environment)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("System check identified no issues"), result.stdout
    assert "WARNINGS" not in result.stderr + result.stdout


@pytest.mark.slow
def test_production_settings_refuse_to_start_without_a_secret_key():
    environment = _production_environment()
    del environment["SECRET_KEY"]
    result = _manage("check", environment=environment)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/accounts/password/reset/", "/no-such-page/"])
def test_responses_carry_the_security_headers(client, db, url):
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script(client, world):
    client.force_login(world.a.official)
    for url in ["/", "/accounts/profile/", "/accounts/password/change/", "/accounts/logout/"]:
        text = client.get(url).text
        assert "<script>" not in text, url
        assert " style=" not in text, url
        assert " onclick=" not in text, url


def test_https_responses_carry_hsts(client, db):
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_plain_http_is_redirected_to_https_unless_the_proxy_says_https(settings, client, db):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/accounts/login/")
    assert response.status_code == 301
    assert response.url == "https://testserver/accounts/login/"
    # The proxy terminates TLS and says so in X-Forwarded-Proto.
    response = client.get("/accounts/login/", headers={"x-forwarded-proto": "https"})
    assert response.status_code == 200


def test_cookies_are_secure_and_http_only(client, db):
    UserFactory(username="alice")
    response = client.get("/accounts/login/")
    csrf = response.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"]
    assert csrf["httponly"]
    response = client.post("/accounts/login/", {"username": "alice", "password": "correct-horse-battery"})
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"


@pytest.mark.django_db
def test_postgresql_connections_turn_the_jit_compiler_off():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
