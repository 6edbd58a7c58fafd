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


def database_config(env: dict, base_dir: Path) -> dict:
    """PostgreSQL (or any dj-database-url URL) from DATABASE_URL; SQLite otherwise.

    SQLite runs in WAL mode with a busy timeout and IMMEDIATE transactions so
    that concurrent writers queue instead of failing with "database is locked"."""
    url = env.get("DATABASE_URL", "").strip()
    if url:
        config = dj_database_url.parse(url, conn_max_age=int(env.get("TINHSO_DB_CONN_MAX_AGE", "60")),
                                       conn_health_checks=True)
        if config["ENGINE"] == "django.db.backends.sqlite3":
            config.setdefault("OPTIONS", {}).update(_sqlite_options())
        return config
    path = Path(env.get("TINHSO_SQLITE_PATH") or base_dir / "var" / "tinhso.sqlite3")
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": _sqlite_options(),
    }


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
