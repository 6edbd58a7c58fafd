"""Identity configuration read at request time (so tests may override settings).

Which provider the relying party talks to:
- `TINHSO_OIDC_ISSUER` set: that provider (the national e-ID in production);
- unset and the sandbox on: the sandbox provider on this same server,
  at `<this server>/sandbox/idp`;
- unset and the sandbox off: not configured; login shows an error page."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.urls import reverse

from tinhso.identity.errors import IdentityError

DISCOVERY_SUFFIX = "/.well-known/openid-configuration"


def sandbox_enabled() -> bool:
    return bool(getattr(settings, "TINHSO_OIDC_SANDBOX", False))


def sandbox_issuer(request) -> str:
    """The sandbox's issuer identifier, as seen by this request (scheme + host + mount)."""
    discovery = reverse("sandbox_idp:discovery")
    return request.build_absolute_uri(discovery[: -len(DISCOVERY_SUFFIX)]).rstrip("/")


def issuer_for(request) -> str:
    configured = (getattr(settings, "TINHSO_OIDC_ISSUER", "") or "").strip()
    if configured:
        if not (getattr(settings, "TINHSO_OIDC_CLIENT_SECRET", "") or "").strip():
            raise IdentityError(
                "Chưa cấu hình khóa bí mật ứng dụng (TINHSO_OIDC_CLIENT_SECRET). Vui lòng liên hệ quản trị hệ thống.",
                code="not_configured", status=503)
        return configured
    if sandbox_enabled():
        return sandbox_issuer(request)
    raise IdentityError(
        "Chưa cấu hình nhà cung cấp định danh điện tử (TINHSO_OIDC_ISSUER). Vui lòng liên hệ quản trị hệ thống.",
        code="not_configured", status=503)


def client_id() -> str:
    return settings.TINHSO_OIDC_CLIENT_ID


def client_secret() -> str:
    """The configured secret; without one, a secret derived from SECRET_KEY that
    only the built-in sandbox provider knows (so no secret is hard-coded)."""
    secret = (getattr(settings, "TINHSO_OIDC_CLIENT_SECRET", "") or "").strip()
    if secret:
        return secret
    return hmac.new(settings.SECRET_KEY.encode(), b"tinhso-oidc-sandbox-client", hashlib.sha256).hexdigest()


def scopes() -> str:
    return getattr(settings, "TINHSO_OIDC_SCOPES", "openid profile") or "openid profile"


def claim_names() -> dict[str, str]:
    defaults = {"id_number": "id_number", "full_name": "name", "birth_date": "birthdate", "address": "address",
                "phone": "phone_number", "email": "email", "eid_level": "eid_level"}
    return {**defaults, **(getattr(settings, "TINHSO_OIDC_CLAIMS", None) or {})}
