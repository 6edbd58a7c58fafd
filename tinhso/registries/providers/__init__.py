"""Clients of the national registries used at reception: population
(`population`), business registration (`business`) and civil status
(`civil_status`). Each module is one provider behind the small interface
here: `configured()`, its base URL and credentials from settings, and lookups
that go out through `tinhso.integration.outbound.call` (message log, timeouts,
retries, circuit breaker) and raise:

- `NotConfigured` when neither a URL nor the sandbox is set (callers say so);
- `outbound.Unavailable` when the system cannot be reached (callers go on and
  check later);
- `outbound.BadAnswer` when the answer is garbage (not JSON, wrong shape).

Answers are cached briefly (TINHSO_REGISTRY_CACHE_SECONDS) under a hash of
the query, so a clerk clicking twice calls once."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from tinhso.integration import outbound


class NotConfigured(Exception):
    """No address and no sandbox: the lookup is switched off here."""

    def __init__(self, service: str, name: str):
        self.service = service
        self.message = f"Chưa cấu hình kết nối {name}; cán bộ kiểm tra giấy tờ bản giấy như trước."
        super().__init__(self.message)


@dataclass(frozen=True)
class Endpoint:
    """Where one provider sends its calls and with which credentials."""

    service: str  # the integration registry's service code
    base_url: str
    client_id: str
    key: str


class Provider:
    """One national system. Subclasses set `service`, `name`, `setting`
    (the settings prefix, e.g. "POPULATION") and `sandbox_path`."""

    service = ""
    name = ""
    setting = ""
    sandbox_path = ""

    def endpoint(self) -> Endpoint:
        url = getattr(settings, f"TINHSO_{self.setting}_URL", "").rstrip("/")
        if not url and getattr(settings, f"TINHSO_{self.setting}_SANDBOX", False):
            url = f"{settings.TINHSO_BASE_URL.rstrip('/')}/sandbox/national/{self.sandbox_path}"
        if not url:
            raise NotConfigured(self.service, self.name)
        return Endpoint(self.service, url, getattr(settings, f"TINHSO_{self.setting}_CLIENT_ID", ""),
                        getattr(settings, f"TINHSO_{self.setting}_KEY", ""))

    def configured(self) -> bool:
        try:
            self.endpoint()
        except NotConfigured:
            return False
        return True

    def bad(self, detail: str) -> outbound.BadAnswer:
        """The error for a garbage answer; raised inside `outbound.call`'s check,
        it is logged as `bad_answer` and counted against the breaker."""
        return outbound.BadAnswer(self.service, f"{self.name} trả lời không đúng định dạng; vui lòng thử lại sau "
                                                f"hoặc báo quản trị hệ thống.", detail)

    def json_of(self, response) -> dict:
        try:
            body = response.json()
        except ValueError:
            raise self.bad(f"HTTP {response.status_code}: không phải JSON") from None
        if not isinstance(body, dict):
            raise self.bad(f"HTTP {response.status_code}: JSON không phải đối tượng")
        return body

    def cached(self, operation: str, query: dict, fetch):
        """`fetch()`'s answer, or the one cached for the same query (a few minutes)."""
        seconds = getattr(settings, "TINHSO_REGISTRY_CACHE_SECONDS", 300)
        raw = json.dumps([self.service, operation, query], sort_keys=True, ensure_ascii=False, default=str)
        key = "registries:" + hashlib.sha256((settings.SECRET_KEY + raw).encode()).hexdigest()
        if seconds > 0:
            hit = cache.get(key)
            if hit is not None:
                return hit
        answer = fetch()
        if seconds > 0:
            cache.set(key, answer, seconds)
        return answer


def text(value, limit: int = 500) -> str:
    """A string field of an answer (None -> ""), trimmed."""
    if value is None:
        return ""
    if not isinstance(value, (str, int)):
        raise TypeError("not text")
    return str(value).strip()[:limit]
