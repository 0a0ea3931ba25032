"""Start-up from the environment: a wrong value stops it with a message that names the variable.

Each case starts a fresh interpreter on the real settings (``config.settings``, not the test settings)
with only the variables it gives, as a deployment would.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
START = "import django; django.setup(); from django.conf import settings; print('DEBUG', settings.DEBUG)"


def start(**env: str) -> subprocess.CompletedProcess:
    clean = {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "config.settings", **env}
    return subprocess.run(  # noqa: S603 - our own interpreter on a fixed command
        [sys.executable, "-c", START],
        cwd=PROJECT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def refusal(result: subprocess.CompletedProcess) -> str:
    """The last line of the traceback: what the person starting the server reads."""
    assert result.returncode != 0, result.stdout
    return result.stderr.strip().splitlines()[-1]


def test_debug_maybe_stops_start_up_naming_debug():
    last_line = refusal(start(DEBUG="maybe", SECRET_KEY="k" * 50))
    assert last_line == (
        "django.core.exceptions.ImproperlyConfigured: "
        "DEBUG='maybe' is not a boolean: use one of true/false, 1/0, yes/no, on/off."
    )


def test_missing_secret_key_with_debug_off_stops_start_up():
    last_line = refusal(start())
    assert last_line == (
        "django.core.exceptions.ImproperlyConfigured: SECRET_KEY must be set when DEBUG is off."
    )


def test_debug_on_starts_without_a_secret_key():
    result = start(DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "DEBUG True"


def test_production_starts_with_a_secret_key_and_debug_off():
    result = start(SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "DEBUG False"


@pytest.mark.parametrize("name", ["CONN_MAX_AGE", "EMAIL_PORT"])
def test_bad_whole_number_stops_start_up_naming_the_variable(name):
    last_line = refusal(start(DEBUG="true", **{name: "abc"}))
    assert last_line == f"django.core.exceptions.ImproperlyConfigured: {name}='abc' is not a whole number."
