"""The sandbox default per environment, read from the real settings module in a fresh interpreter."""

import os
import subprocess
import sys

from django.conf import settings

CODE = "import tinhso.settings as s; print(s.TINHSO_OIDC_SANDBOX)"


def run(**env):
    full = {k: v for k, v in os.environ.items() if not k.startswith("TINHSO_")}
    full.update(env)
    out = subprocess.run([sys.executable, "-c", CODE], env=full, capture_output=True, text=True,
                         cwd=settings.BASE_DIR, check=True)
    return out.stdout.strip()


PRODUCTION = {"TINHSO_ENV": "production", "TINHSO_SECRET_KEY": "x" * 50, "TINHSO_ALLOWED_HOSTS": "dvc.example.gov.vn"}


def test_sandbox_off_in_production():
    assert run(**PRODUCTION) == "False"


def test_sandbox_can_be_enabled_explicitly_in_production():
    assert run(**PRODUCTION, TINHSO_OIDC_SANDBOX="true") == "True"


def test_sandbox_on_in_development():
    assert run(TINHSO_ENV="development") == "True"
