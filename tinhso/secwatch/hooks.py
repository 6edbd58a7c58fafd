"""Small hooks that feed events in as they happen: the `core.security`
signal (failed sign-ins and two-factor codes, invalid signatures) and a
middleware that notes every 403 answer (pages and the API alike)."""

from __future__ import annotations

from tinhso.secwatch.models import Kind, Severity


def on_security_event(sender, *, kind, severity, username="", address="", detail=None, obj=None, **kwargs):
    from tinhso.secwatch.events import record_event

    record_event(kind, severity, username=username, address=address, detail=detail, obj=obj)


def _address(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "")[:64]


class PermissionRefusedMiddleware:
    """A 403 answer (a page's PermissionDenied, an API DomainError 403, a CSRF
    failure) becomes a `permission_denied` event with the path and method."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            from tinhso.secwatch.events import record_event

            user = getattr(request, "user", None)
            username = user.get_username() if getattr(user, "is_authenticated", False) else ""
            record_event(Kind.PERMISSION_DENIED, Severity.WARNING, username=username, address=_address(request),
                         detail={"path": request.path[:300], "method": request.method})
        return response
