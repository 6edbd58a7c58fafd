"""A security event raised by any app (a failed sign-in, a refused two-factor
code, a signature that does not verify), without that app depending on the
one that watches: `emit(...)` sends a Django signal; `tinhso.secwatch`
receives it and stores the event (docs/security-watch.md). With no receiver
installed it costs nothing."""

from __future__ import annotations

from django.dispatch import Signal

security_event = Signal()


def emit(kind: str, severity: str = "warning", *, username: str = "", address: str = "", detail: dict | None = None,
         obj=None) -> None:
    security_event.send(sender=None, kind=kind, severity=severity, username=username, address=address,
                        detail=detail or {}, obj=obj)


def rate_limited(limiter: str, *, request=None, address: str = "", username: str = "", **detail) -> None:
    """A limiter refused a call: the `api_limited` event ("rate limit hit"),
    the kind the integration gateway's refused calls become (pulled from its
    message log). `limiter` names which (e.g. "addresses.recognise"); the
    client address and account come from `request` when given. Never raises:
    a limiter keeps refusing even when nothing watches."""
    if request is not None:
        address = address or (request.META.get("REMOTE_ADDR") or "")
        user = getattr(request, "user", None)
        if not username and getattr(user, "is_authenticated", False):
            username = user.get_username()
        detail.setdefault("path", request.path[:300])
    try:
        emit("api_limited", "warning", username=username, address=address[:64], detail={"limiter": limiter, **detail})
    except Exception:  # noqa: BLE001 - a receiver's failure must not turn a 429 into a 500
        import logging

        logging.getLogger("tinhso.security").exception("could not emit the rate-limit event of %s", limiter)
