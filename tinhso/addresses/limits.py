"""The public recognition's rate limit, per client address, counted in the
shared cache like the public dossier look-up's failure count
(`tinhso.dossiers.lookup`), so every app server sees one count. The address
is `REMOTE_ADDR` (set by the reverse proxy); nothing else about the caller is
kept, and the count expires with its minute. Each refused call is a security
event (`api_limited`, limiter `addresses.recognise`), as the gateway's are."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

from tinhso.core.errors import TooManyAttempts
from tinhso.core.security import rate_limited


def per_minute() -> int:
    return int(getattr(settings, "TINHSO_ADDRESS_RECOGNISE_PER_MINUTE", 60))


def check(request) -> None:
    limit = per_minute()
    if not limit:
        return
    key = f"addr-recognise:{request.META.get('REMOTE_ADDR', '')}:{int(time.time() // 60)}"
    cache.add(key, 0, 90)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 90)
        count = 1
    if count > limit:
        rate_limited("addresses.recognise", request=request, limit=limit, window_seconds=60)
        raise TooManyAttempts("Bạn đã nhận dạng quá nhiều địa chỉ trong một phút. Vui lòng thử lại sau.",
                              code="too_many_requests")
