"""Settings for the test suite: the production settings plus what only tests
want. Selected by pyproject.toml (pytest-django)."""

import os

from tinhso.settings import *  # noqa: F401,F403
from tinhso.settings import BASE_DIR, DATABASES, HUEY

# Hashing cost is not what the tests test.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Background tasks run inline.
HUEY = {**HUEY, "immediate": True}

# A file (not in-memory) SQLite test database, so that threads in concurrency
# tests really contend for locks as app server processes would.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3")}

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Signatures in tests: no time-stamping unless a test routes the sandbox TSA
# (tinhso/signatures/tests/conftest.py `tsa_adapter`), and links point at the
# test server.
TINHSO_TSA_URL = "off"
TINHSO_BASE_URL = "http://testserver"

# The cache outlives each test's rolled-back transaction: the catalogue cache
# is on only in the tests that test it (tinhso/catalogue/tests/test_search_cache.py).
TINHSO_CATALOGUE_CACHE_SECONDS = 0

# The demo's generated dossiers only where a test asks for them (tinhso/core/tests/test_demo.py).
TINHSO_DEMO_DOSSIERS = 0
TINHSO_DEMO_REPORTS = 0
TINHSO_DEMO_DOCUMENTS = 0
