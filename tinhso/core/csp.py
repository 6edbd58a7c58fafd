"""Content-Security-Policy on every response (pages and API).

No inline script or style is allowed anywhere ('unsafe-inline' is absent from
every directive): behaviour lives in static JS files and looks in static CSS.
Forms and the redirects that follow them may go only to this site and to the
national systems the settings name (the e-ID provider, the payment platform),
so a tampered form cannot post a citizen's data elsewhere.

The policy is built once from settings (TINHSO_CSP_* in docs/operations.md);
`csp_policy()` is what the middleware sends."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings


def _origin(url: str) -> str | None:
    parts = urlsplit((url or "").strip())
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


@lru_cache(maxsize=4)
def _build(form_targets: tuple[str, ...], report_uri: str, image_hosts: tuple[str, ...] = ()) -> str:
    form_action = ["'self'", *sorted({o for o in (_origin(u) for u in form_targets) if o})]
    images = sorted({o for o in (_origin(u.replace("{s}", "a")) for u in image_hosts) if o})
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", *images],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "frame-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": form_action,
    }
    policy = "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())
    if report_uri:
        policy += f"; report-uri {report_uri}"
    return policy


def csp_policy() -> str:
    targets = (getattr(settings, "TINHSO_OIDC_ISSUER", ""), getattr(settings, "TINHSO_PAYGOV_PAY_URL", ""),
               *getattr(settings, "TINHSO_CSP_FORM_ACTION", ()))
    # Map tiles come from the configured tile server (TINHSO_MAP_TILE_URL).
    return _build(tuple(targets), getattr(settings, "TINHSO_CSP_REPORT_URI", ""),
                  (getattr(settings, "TINHSO_MAP_TILE_URL", ""),))


class ContentSecurityPolicyMiddleware:
    """Adds the policy (and a few companion headers) unless a view set its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", csp_policy())
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()")
        return response
