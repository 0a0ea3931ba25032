"""Settings for the test suite: production settings with a fixed key and a fast password hasher.

HTTPS redirects are off because the test client speaks plain HTTP; the production values are checked by
``tests/test_deploy.py`` running ``check --deploy`` on the real settings.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-key-" + "x" * 40)

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests serve static files from the finders, as in development, instead of a collected STATIC_ROOT
# (which a test run never builds; WhiteNoise would warn that it is missing).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Keep the test output to what failed: sign-in and lock-out lines are still captured by tests that
# look for them (caplog has its own handler), just not printed.
LOGGING["handlers"]["console"]["level"] = "WARNING"  # noqa: F405
