from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tinhso.conf import INSECURE_KEY, database_config, env_bool, redis_config, security_config, storage_config

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


# --------------------------------------------------------------------------- connection pool (scale-out)

PG = "postgres://app:secret@db.internal:5432/tinhso"


def test_without_a_pool_postgresql_keeps_persistent_connections():
    config = database_config({"DATABASE_URL": PG}, BASE)
    assert config["CONN_MAX_AGE"] == 60 and "pool" not in config.get("OPTIONS", {})
    assert database_config({"DATABASE_URL": PG, "TINHSO_DB_CONN_MAX_AGE": "0"}, BASE)["CONN_MAX_AGE"] == 0


def test_a_pool_replaces_persistent_connections():
    config = database_config({"DATABASE_URL": PG, "TINHSO_DB_POOL_MAX": "8", "TINHSO_DB_POOL_MIN": "1",
                              "TINHSO_DB_POOL_TIMEOUT": "5"}, BASE)
    pool = config["OPTIONS"]["pool"]
    assert (pool["min_size"], pool["max_size"], pool["timeout"]) == (1, 8, 5)
    assert config["CONN_MAX_AGE"] == 0 and config["CONN_HEALTH_CHECKS"] is True
    assert database_config({"DATABASE_URL": PG, "TINHSO_DB_POOL_MAX": "1"}, BASE)["OPTIONS"]["pool"]["min_size"] == 1
    assert "pool" not in database_config({"DATABASE_URL": PG, "TINHSO_DB_POOL_MAX": "0"}, BASE).get("OPTIONS", {})


@pytest.mark.parametrize("env", [
    {"DATABASE_URL": PG, "TINHSO_DB_POOL_MAX": "8", "TINHSO_DB_CONN_MAX_AGE": "60"},  # exclusive
    {"DATABASE_URL": PG, "TINHSO_DB_POOL_MAX": "2", "TINHSO_DB_POOL_MIN": "4"},
    {"DATABASE_URL": PG, "TINHSO_DB_POOL_MAX": "eight"},
    {"DATABASE_URL": PG, "TINHSO_DB_POOL_MAX": "-1"},
    {"DATABASE_URL": "sqlite:////tmp/x.sqlite3", "TINHSO_DB_POOL_MAX": "4"},
    {"TINHSO_DB_POOL_MAX": "4", "DATABASE_URL": PG, "TINHSO_DB_POOL_TIMEOUT": "0"},
])
def test_bad_pool_settings_refuse_to_start(env):
    with pytest.raises(ImproperlyConfigured):
        database_config(env, BASE)


def test_pgbouncer_mode_turns_off_server_side_cursors_and_prepared_statements():
    config = database_config({"DATABASE_URL": PG, "TINHSO_DB_PGBOUNCER": "true"}, BASE)
    assert config["DISABLE_SERVER_SIDE_CURSORS"] is True and config["OPTIONS"]["prepare_threshold"] is None


def test_the_pool_really_opens_on_postgresql(django_db_blocker):
    """The settings produced are accepted by Django's PostgreSQL backend: a
    pooled connection answers a query (needs a reachable PostgreSQL)."""
    import os

    from django.db.backends.postgresql.base import DatabaseWrapper

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("needs DATABASE_URL of a PostgreSQL server")
    config = database_config({"DATABASE_URL": url, "TINHSO_DB_POOL_MAX": "2", "TINHSO_DB_POOL_MIN": "0"}, BASE)
    config.update({"NAME": "postgres", "TIME_ZONE": None, "AUTOCOMMIT": True, "ATOMIC_REQUESTS": False})
    wrapper = DatabaseWrapper(config, alias="pool-check")
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
        assert wrapper.pool is not None and wrapper.pool.max_size == 2
    finally:
        wrapper.close()
        wrapper.close_pool()


# --------------------------------------------------------------------------- Redis and object storage

def test_without_redis_cache_is_per_process_and_sessions_in_the_database():
    config = redis_config({})
    assert config["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert config["SESSION_ENGINE"] == "django.contrib.sessions.backends.db" and config["REDIS_URL"] == ""


def test_with_redis_cache_is_shared_and_sessions_are_cached_db():
    config = redis_config({"TINHSO_REDIS_URL": "redis://redis.internal:6379/2", "TINHSO_CACHE_PREFIX": "staging"})
    cache = config["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://redis.internal:6379/2" and cache["KEY_PREFIX"] == "staging"
    assert config["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    with pytest.raises(ImproperlyConfigured):
        redis_config({"TINHSO_REDIS_URL": "redis.internal:6379"})


def test_local_disk_is_the_default_storage():
    assert storage_config({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_a_bucket_selects_s3_storage_that_never_overwrites():
    config = storage_config({"TINHSO_S3_BUCKET": "tinhso-files", "TINHSO_S3_ENDPOINT_URL": "https://s3.internal:9000",
                             "TINHSO_S3_REGION": "hn-1", "TINHSO_S3_ACCESS_KEY": "AK", "TINHSO_S3_SECRET_KEY": "SK",
                             "TINHSO_S3_ADDRESSING_STYLE": "path", "TINHSO_S3_URL_EXPIRE_SECONDS": "600"})
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    options = config["OPTIONS"]
    assert options["bucket_name"] == "tinhso-files" and options["file_overwrite"] is False
    assert options["endpoint_url"] == "https://s3.internal:9000" and options["region_name"] == "hn-1"
    assert options["querystring_auth"] is True and options["querystring_expire"] == 600
    # The options are the ones django-storages knows: the storage builds and signs URLs offline.
    from storages.backends.s3 import S3Storage

    storage = S3Storage(**options)
    url = storage.url("catalogue/templates/to-khai.pdf")
    assert url.startswith("https://s3.internal:9000/tinhso-files/catalogue/templates/to-khai.pdf?")
    assert "Signature" in url


@pytest.mark.parametrize("env", [
    {"TINHSO_S3_BUCKET": "b", "TINHSO_S3_ACCESS_KEY": "AK"},  # key without secret
    {"TINHSO_S3_BUCKET": "b", "TINHSO_S3_ADDRESSING_STYLE": "sideways"},
    {"TINHSO_S3_BUCKET": "b", "TINHSO_S3_QUERYSTRING_AUTH": "perhaps"},
])
def test_bad_storage_settings_refuse_to_start(env):
    with pytest.raises(ImproperlyConfigured):
        storage_config(env)


def test_sqlite_folder_is_created_for_a_fresh_clone(tmp_path):
    from tinhso.conf import database_config

    config = database_config({}, tmp_path)
    assert (tmp_path / "var").is_dir() and config["NAME"] == str(tmp_path / "var" / "tinhso.sqlite3")
    database_config({"DATABASE_URL": f"sqlite:///{tmp_path}/deep/er/db.sqlite3"}, tmp_path)
    assert (tmp_path / "deep" / "er").is_dir()


def test_management_commands_print_no_warnings():
    import io

    from django.core.management import call_command

    out, err = io.StringIO(), io.StringIO()
    call_command("check", stdout=out, stderr=err)
    assert "WARNINGS" not in out.getvalue() + err.getvalue() and "W040" not in out.getvalue() + err.getvalue()
