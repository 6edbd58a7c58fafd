"""Health checks for the load balancer and the orchestrator (/api/v1/health).

* `GET /health` — liveness: the process answers; touches nothing else, so it
  is also the cheapest JSON endpoint of the server (the public API benchmark's
  baseline).
* `GET /health/ready` — readiness: the database answers `SELECT 1` and, when
  the cache is Redis (TINHSO_REDIS_URL), Redis answers through it. 503 otherwise.

Both are anonymous and say nothing about the failure beyond which dependency
failed (the detail goes to the log)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from ninja import Router, Schema

router = Router(tags=["Tình trạng hệ thống"])
log = logging.getLogger(__name__)


class Liveness(Schema):
    status: str


class Readiness(Schema):
    status: str
    checks: dict[str, str]


@router.get("", auth=None, response=Liveness, summary="Kiểm tra tiến trình (liveness)",
            description="Luôn trả `{\"status\": \"ok\"}` khi máy chủ ứng dụng đang chạy; không truy cập cơ sở dữ liệu.")
def live(request):
    return {"status": "ok"}


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _redis() -> None:
    from django.core.cache import cache

    cache.set("tinhso:health", "ok", 10)
    if cache.get("tinhso:health") != "ok":
        raise RuntimeError("Redis did not return the value just written")


@router.get("/ready", auth=None, response={200: Readiness, 503: Readiness}, summary="Kiểm tra sẵn sàng (readiness)",
            description="Kiểm tra kết nối cơ sở dữ liệu và Redis (khi có cấu hình TINHSO_REDIS_URL). Trả 200 khi "
                        "tất cả sẵn sàng, 503 khi có thành phần lỗi (`checks` cho biết thành phần nào).")
def ready(request):
    checks = {"database": _database}
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        checks["redis"] = _redis
    results = {}
    for name, check in checks.items():
        try:
            check()
            results[name] = "ok"
        except Exception:  # noqa: BLE001 - any failure means "not ready"
            log.exception("readiness check %s failed", name)
            results[name] = "error"
    healthy = all(v == "ok" for v in results.values())
    return (200 if healthy else 503), {"status": "ok" if healthy else "unavailable", "checks": results}

