"""Read the operator's configuration from the environment.

Kept apart from settings.py so the parsing rules have their own tests
(tinhso/core/tests/test_conf.py)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}
INSECURE_KEY = "django-insecure-tinhso-development-only"


def env_bool(env: dict, name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false, not {raw!r}")


def env_list(env: dict, name: str) -> list[str]:
    return [item.strip() for item in env.get(name, "").split(",") if item.strip()]


def _make_folder(sqlite_path) -> None:
    """SQLite creates the file but not its folder: a fresh clone has no var/."""
    if sqlite_path and str(sqlite_path) != ":memory:":
        try:
            Path(sqlite_path).parent.mkdir(parents=True, exist_ok=True)
        except OSError:  # not ours to create (read-only, no permission): SQLite will say so when it opens
            pass


def database_config(env: dict, base_dir: Path) -> dict:
    """PostgreSQL (or any dj-database-url URL) from DATABASE_URL; SQLite otherwise.

    SQLite runs in WAL mode with a busy timeout and IMMEDIATE transactions so
    that concurrent writers queue instead of failing with "database is locked"."""
    url = env.get("DATABASE_URL", "").strip()
    if url:
        pool_max = env_int(env, "TINHSO_DB_POOL_MAX", 0, minimum=0)
        conn_max_age = env_int(env, "TINHSO_DB_CONN_MAX_AGE", 0 if pool_max else 60, minimum=0)
        # A health check costs one `SELECT 1` round trip per request; it lets a server survive a
        # database restart without errors. Operators behind PgBouncer may turn it off.
        health = env_bool(env, "TINHSO_DB_HEALTH_CHECKS", True)
        config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=health)
        if config["ENGINE"] == "django.db.backends.sqlite3":
            config.setdefault("OPTIONS", {}).update(_sqlite_options())
            _make_folder(config["NAME"])
        if pool_max:
            _add_pool(env, config, pool_max)
        if env_bool(env, "TINHSO_DB_PGBOUNCER", False):
            # PgBouncer in transaction mode: no server-side cursors, no prepared statements.
            config["DISABLE_SERVER_SIDE_CURSORS"] = True
            config.setdefault("OPTIONS", {})["prepare_threshold"] = None
        return config
    path = Path(env.get("TINHSO_SQLITE_PATH") or base_dir / "var" / "tinhso.sqlite3")
    _make_folder(path)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": _sqlite_options(),
    }


def env_int(env: dict, name: str, default: int, *, minimum: int | None = None) -> int:
    raw = env.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def _add_pool(env: dict, config: dict, pool_max: int) -> None:
    """Django 5.1+'s psycopg connection pool: each process keeps between
    TINHSO_DB_POOL_MIN and TINHSO_DB_POOL_MAX connections and lends them to its
    threads. A pool replaces persistent connections, so CONN_MAX_AGE must be 0."""
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("TINHSO_DB_POOL_MAX needs a PostgreSQL DATABASE_URL.")
    if config["CONN_MAX_AGE"]:
        raise ImproperlyConfigured(
            "TINHSO_DB_POOL_MAX and TINHSO_DB_CONN_MAX_AGE exclude each other: with a connection pool set "
            "TINHSO_DB_CONN_MAX_AGE=0 (or leave it unset).")
    pool_min = env_int(env, "TINHSO_DB_POOL_MIN", min(2, pool_max), minimum=0)
    if pool_min > pool_max:
        raise ImproperlyConfigured(f"TINHSO_DB_POOL_MIN ({pool_min}) is larger than TINHSO_DB_POOL_MAX ({pool_max}).")
    timeout = env_int(env, "TINHSO_DB_POOL_TIMEOUT", 10, minimum=1)
    # CONN_HEALTH_CHECKS (on) makes Django's pool check each connection before lending it.
    config.setdefault("OPTIONS", {})["pool"] = {"min_size": pool_min, "max_size": pool_max, "timeout": timeout}


def _sqlite_options() -> dict:
    return {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }


def security_config(env: dict) -> dict:
    """Debug, secret key and allowed hosts. Production refuses to start without
    an explicit secret key and allowed hosts."""
    production = env.get("TINHSO_ENV", "development").strip().lower() == "production"
    debug = env_bool(env, "TINHSO_DEBUG", not production)
    secret = env.get("TINHSO_SECRET_KEY", "").strip()
    hosts = env_list(env, "TINHSO_ALLOWED_HOSTS")
    if production:
        if not secret or secret == INSECURE_KEY or len(secret) < 32:
            raise ImproperlyConfigured(
                "TINHSO_ENV=production requires TINHSO_SECRET_KEY (at least 32 random characters)."
            )
        if not hosts:
            raise ImproperlyConfigured("TINHSO_ENV=production requires TINHSO_ALLOWED_HOSTS (comma-separated).")
        if debug:
            raise ImproperlyConfigured("TINHSO_DEBUG must be off when TINHSO_ENV=production.")
    return {
        "PRODUCTION": production,
        "DEBUG": debug,
        "SECRET_KEY": secret or INSECURE_KEY,
        "ALLOWED_HOSTS": hosts or ["127.0.0.1", "localhost", "[::1]", "testserver"],
    }


def redis_config(env: dict) -> dict:
    """Cache, sessions and the task queue. Without TINHSO_REDIS_URL: a cache
    private to each process, sessions in the database, the task queue in a
    SQLite file (one machine). With it: the cache and the task queue in Redis,
    shared by every app server and worker; sessions `cached_db` (read from
    Redis, written through to the database, so losing Redis logs nobody out)."""
    url = env.get("TINHSO_REDIS_URL", "").strip()
    prefix = env.get("TINHSO_CACHE_PREFIX", "tinhso").strip()
    if not url:
        return {
            "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
            "SESSION_ENGINE": "django.contrib.sessions.backends.db",
            "REDIS_URL": "",
        }
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"TINHSO_REDIS_URL must start with redis://, rediss:// or unix://, not {url!r}")
    return {
        "CACHES": {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
                               "KEY_PREFIX": prefix, "TIMEOUT": 300}},
        "SESSION_ENGINE": "django.contrib.sessions.backends.cached_db",
        "REDIS_URL": url,
    }


def storage_config(env: dict) -> dict:
    """Where uploaded files go: the local disk (TINHSO_MEDIA_ROOT) by default;
    an S3-compatible bucket (MinIO, Ceph, a cloud's object storage) when
    TINHSO_S3_BUCKET is set. The app reads files only through the storage API,
    so every app server and worker sees the same files."""
    bucket = env.get("TINHSO_S3_BUCKET", "").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        # Never overwrite: two uploads with the same name get distinct names, as on disk.
        "file_overwrite": False,
        "default_acl": None,  # the bucket's policy decides; keep the bucket private
        "querystring_auth": env_bool(env, "TINHSO_S3_QUERYSTRING_AUTH", True),
        "querystring_expire": env_int(env, "TINHSO_S3_URL_EXPIRE_SECONDS", 3600, minimum=1),
    }
    for name, option in (("TINHSO_S3_ENDPOINT_URL", "endpoint_url"), ("TINHSO_S3_REGION", "region_name"),
                         ("TINHSO_S3_ACCESS_KEY", "access_key"), ("TINHSO_S3_SECRET_KEY", "secret_key"),
                         ("TINHSO_S3_CUSTOM_DOMAIN", "custom_domain"), ("TINHSO_S3_LOCATION", "location"),
                         ("TINHSO_S3_ADDRESSING_STYLE", "addressing_style")):
        value = env.get(name, "").strip()
        if value:
            options[option] = value
    if options.get("addressing_style", "auto") not in ("auto", "path", "virtual"):
        raise ImproperlyConfigured("TINHSO_S3_ADDRESSING_STYLE must be auto, path or virtual.")
    if bool(options.get("access_key")) != bool(options.get("secret_key")):
        raise ImproperlyConfigured("Set both TINHSO_S3_ACCESS_KEY and TINHSO_S3_SECRET_KEY, or neither "
                                   "(then the usual AWS credential chain is used).")
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
