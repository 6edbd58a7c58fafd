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
