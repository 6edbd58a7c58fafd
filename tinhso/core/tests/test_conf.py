from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tinhso.conf import INSECURE_KEY, database_config, env_bool, security_config

BASE = Path("/srv/tinhso")


def test_sqlite_is_the_default_with_wal_busy_timeout_and_immediate_transactions():
    config = database_config({}, BASE)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == "/srv/tinhso/var/tinhso.sqlite3"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["timeout"] >= 20
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_database_url_selects_postgresql():
    config = database_config({"DATABASE_URL": "postgres://app:secret@db.internal:6432/tinhso"}, BASE)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"], config["USER"]) == ("db.internal", 6432, "tinhso", "app")
    assert config["CONN_HEALTH_CHECKS"] is True


@pytest.mark.parametrize("env", [
    {"TINHSO_ENV": "production", "TINHSO_ALLOWED_HOSTS": "dvc.cantho.gov.vn"},
    {"TINHSO_ENV": "production", "TINHSO_SECRET_KEY": "x" * 50},
    {"TINHSO_ENV": "production", "TINHSO_SECRET_KEY": "short", "TINHSO_ALLOWED_HOSTS": "a"},
    {"TINHSO_ENV": "production", "TINHSO_SECRET_KEY": "x" * 50, "TINHSO_ALLOWED_HOSTS": "a", "TINHSO_DEBUG": "1"},
])
def test_production_refuses_to_start_without_secret_key_and_hosts(env):
    with pytest.raises(ImproperlyConfigured):
        security_config(env)


def test_production_with_key_and_hosts_starts_without_debug():
    config = security_config({"TINHSO_ENV": "production", "TINHSO_SECRET_KEY": "k" * 50,
                              "TINHSO_ALLOWED_HOSTS": "dvc.cantho.gov.vn, 10.0.0.5"})
    assert config["DEBUG"] is False
    assert config["ALLOWED_HOSTS"] == ["dvc.cantho.gov.vn", "10.0.0.5"]


def test_development_defaults_to_debug_and_a_marked_insecure_key():
    config = security_config({})
    assert config["DEBUG"] is True and config["SECRET_KEY"] == INSECURE_KEY


def test_env_bool_rejects_unclear_words():
    assert env_bool({"X": "Yes"}, "X", False) is True
    assert env_bool({}, "X", True) is True
    with pytest.raises(ImproperlyConfigured):
        env_bool({"X": "maybe"}, "X", False)
