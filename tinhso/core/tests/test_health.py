"""Liveness and readiness checks (/api/v1/health): anonymous JSON for the load balancer."""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


def test_liveness_is_ok_without_touching_the_database(client, db):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/health")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert len(queries) == 0


def test_liveness_answers_even_when_the_database_is_down(client):
    # no `db` fixture: any database access would raise
    assert client.get("/api/v1/health").json() == {"status": "ok"}


def test_readiness_checks_the_database(client, db):
    response = client.get("/api/v1/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


def test_readiness_is_503_when_the_database_fails(client, db):
    with mock.patch("tinhso.core.health._database", side_effect=RuntimeError("connection refused")):
        response = client.get("/api/v1/health/ready")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "error"}}
    assert "connection refused" not in response.content.decode()


@pytest.mark.parametrize("works", [True, False])
def test_readiness_checks_redis_when_the_cache_is_redis(client, db, settings, works):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}
    with mock.patch("tinhso.core.health._redis", side_effect=None if works else ConnectionError("down")) as redis:
        response = client.get("/api/v1/health/ready")
    assert redis.called
    assert response.status_code == (200 if works else 503)
    assert response.json()["checks"] == {"database": "ok", "redis": "ok" if works else "error"}


def test_redis_check_round_trips_through_the_cache(db):
    from tinhso.core.health import _redis

    _redis()  # the test cache (locmem) stands in for Redis
    from django.core.cache import cache

    assert cache.get("tinhso:health") == "ok"
