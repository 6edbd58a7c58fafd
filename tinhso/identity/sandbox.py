"""The sandbox identity provider's logic: demo citizens, the signing key,
authorization codes, tokens. Views are in sandbox_views.py.

It is a small but real OpenID Connect provider (code flow, PKCE S256 required,
client_secret_basic / client_secret_post, RS256 ID tokens), so the relying
party in oidc.py talks to it exactly as it talks to the national e-ID."""

from __future__ import annotations

import base64
import datetime
import functools
import hashlib
import hmac
import json
import re
import secrets
import time
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from tinhso.identity import conf
from tinhso.identity.models import SandboxAccessToken, SandboxAuthorizationCode, SandboxSigningKey

CITIZENS_FILE = Path(__file__).with_name("sandbox_citizens.json")
CODE_TTL_SECONDS = 60
ACCESS_TOKEN_TTL_SECONDS = 600
ID_TOKEN_TTL_SECONDS = 300
OTP_WINDOW_SECONDS = 300
VERIFIER_RE = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")


class OAuthProblem(Exception):
    """An OAuth error response: `error` code, description, HTTP status."""

    def __init__(self, error: str, description: str = "", status: int = 400):
        super().__init__(description or error)
        self.error = error
        self.description = description
        self.status = status


# --- demo citizens --------------------------------------------------------------------------------

@functools.cache
def citizens() -> tuple[dict, ...]:
    return tuple(json.loads(CITIZENS_FILE.read_text(encoding="utf-8"))["citizens"])


def citizen(id_number: str) -> dict | None:
    return next((c for c in citizens() if c["id_number"] == id_number), None)


def one_time_code(id_number: str, at: float | None = None) -> str:
    """The simulated SMS one-time code of a demo citizen for the current 5-minute window."""
    window = int((at if at is not None else time.time()) // OTP_WINDOW_SECONDS)
    digest = hmac.new(settings.SECRET_KEY.encode(), f"sandbox-otp:{id_number}:{window}".encode(),
                      hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:4], 'big') % 1_000_000:06d}"


def check_secret(id_number: str, secret: str) -> bool:
    secret = (secret or "").strip()
    if not secret:
        return False
    if hmac.compare_digest(secret, settings.TINHSO_OIDC_SANDBOX_PASSWORD):
        return True
    now = time.time()
    return any(hmac.compare_digest(secret, one_time_code(id_number, now - back))
               for back in (0, OTP_WINDOW_SECONDS))


def subject(id_number: str) -> str:
    """A stable opaque `sub` for a citizen (not the id number itself)."""
    return hmac.new(settings.SECRET_KEY.encode(), f"sandbox-sub:{id_number}".encode(), hashlib.sha256).hexdigest()[:32]


def citizen_claims(person: dict, scope: str) -> dict:
    """The claims released for a scope. This sandbox, like the national e-ID,
    releases the whole citizen profile with `profile`."""
    scopes = set(scope.split())
    claims = {"sub": subject(person["id_number"])}
    if scopes & {"profile", "email", "phone", "address"}:
        claims["id_number"] = person["id_number"]
        claims["eid_level"] = person["eid_level"]
    if "profile" in scopes:
        claims.update({"name": person["full_name"], "birthdate": person["birth_date"], "gender": person["gender"]})
    if scopes & {"profile", "email"}:
        claims.update({"email": person["email"], "email_verified": True})
    if scopes & {"profile", "phone"}:
        claims.update({"phone_number": person["phone"], "phone_number_verified": True})
    if scopes & {"profile", "address"}:
        claims["address"] = {"formatted": person["address"], "country": "VN"}
    return claims


# --- the signing key ------------------------------------------------------------------------------

def signing_key() -> RSAKey:
    """The current RSA key, created once and shared by every process through the database."""
    row = SandboxSigningKey.objects.filter(slot="current").first()
    if row is None:
        key = RSAKey.generate_key(2048, private=True)
        pem = key.as_pem(private=True).decode()
        try:
            with transaction.atomic():
                row = SandboxSigningKey.objects.create(slot="current", kid=key.thumbprint(), private_pem=pem)
        except IntegrityError:  # another process created it first
            row = SandboxSigningKey.objects.get(slot="current")
    return RSAKey.import_key(row.private_pem, parameters={"kid": row.kid, "use": "sig", "alg": "RS256"})


def jwks() -> dict:
    keys = []
    for row in SandboxSigningKey.objects.order_by("created_at"):
        key = RSAKey.import_key(row.private_pem, parameters={"kid": row.kid, "use": "sig", "alg": "RS256"})
        keys.append(key.as_dict(private=False))
    if not keys:
        keys.append(signing_key().as_dict(private=False))
    return {"keys": keys}


def sign(claims: dict, key: RSAKey | None = None) -> str:
    key = key or signing_key()
    return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key, algorithms=["RS256"])


def key_set() -> KeySet:
    return KeySet.import_key_set(jwks())


# --- clients --------------------------------------------------------------------------------------

def redirect_uri_allowed(request, redirect_uri: str) -> bool:
    from django.urls import reverse

    registered = list(getattr(settings, "TINHSO_OIDC_SANDBOX_REDIRECT_URIS", []) or [])
    if not registered:
        registered = [request.build_absolute_uri(reverse("identity:callback"))]
    return redirect_uri in registered


def authenticate_client(request) -> str:
    """client_secret_basic or client_secret_post; returns the client_id or raises invalid_client."""
    client_id = secret = None
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
            client_id, _, secret = decoded.partition(":")
            client_id, secret = unquote(client_id), unquote(secret)
        except (ValueError, UnicodeDecodeError):
            client_id = secret = None
    elif "client_secret" in request.POST:
        client_id, secret = request.POST.get("client_id"), request.POST.get("client_secret")
    if not client_id or secret is None or client_id != conf.client_id() \
            or not hmac.compare_digest(secret.encode(), conf.client_secret().encode()):
        raise OAuthProblem("invalid_client", "Client authentication failed.", status=401)
    return client_id


# --- codes and tokens -----------------------------------------------------------------------------

def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()


@transaction.atomic
def issue_code(*, client_id: str, redirect_uri: str, id_number: str, scope: str, nonce: str,
               code_challenge: str) -> str:
    code = secrets.token_urlsafe(32)
    now = timezone.now()
    SandboxAuthorizationCode.objects.create(
        code_hash=_hash(code), client_id=client_id, redirect_uri=redirect_uri, id_number=id_number, scope=scope,
        nonce=nonce, code_challenge=code_challenge, auth_time=now,
        expires_at=now + datetime.timedelta(seconds=CODE_TTL_SECONDS))
    return code


def exchange_code(*, issuer: str, client_id: str, code: str, redirect_uri: str, code_verifier: str) -> dict:
    """Redeem an authorization code once; return the token response."""
    row = SandboxAuthorizationCode.objects.filter(code_hash=_hash(code or "")).first()
    if row is None:
        raise OAuthProblem("invalid_grant", "Unknown authorization code.")
    now = timezone.now()
    with transaction.atomic():
        claimed = SandboxAuthorizationCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now)
        if not claimed:
            # A replayed code: revoke what was issued for it (RFC 6749 §4.1.2).
            SandboxAccessToken.objects.filter(code=row).update(revoked=True)
    if not claimed:
        raise OAuthProblem("invalid_grant", "Authorization code already used.")
    # The code is spent from here on, whatever the checks below decide.
    if row.expires_at <= now:
        raise OAuthProblem("invalid_grant", "Authorization code expired.")
    if row.client_id != client_id:
        raise OAuthProblem("invalid_grant", "Code was issued to another client.")
    if row.redirect_uri != redirect_uri:
        raise OAuthProblem("invalid_grant", "redirect_uri does not match the authorization request.")
    if not code_verifier or not VERIFIER_RE.match(code_verifier):
        raise OAuthProblem("invalid_grant", "Missing or malformed code_verifier.")
    if not hmac.compare_digest(s256(code_verifier), row.code_challenge):
        raise OAuthProblem("invalid_grant", "PKCE verification failed.")
    person = citizen(row.id_number)
    if person is None:
        raise OAuthProblem("invalid_grant", "Unknown subject.")
    access_token = secrets.token_urlsafe(32)
    with transaction.atomic():
        SandboxAccessToken.objects.create(
            token_hash=_hash(access_token), code=row, client_id=client_id, id_number=row.id_number,
            scope=row.scope, expires_at=now + datetime.timedelta(seconds=ACCESS_TOKEN_TTL_SECONDS))
    issued = int(time.time())
    id_claims = {
        **citizen_claims(person, row.scope),
        "iss": issuer, "aud": client_id, "azp": client_id, "iat": issued, "exp": issued + ID_TOKEN_TTL_SECONDS,
        "auth_time": int(row.auth_time.timestamp()), "acr": f"eid-level-{person['eid_level']}",
        "amr": ["pwd"], "at_hash": _at_hash(access_token),
    }
    if row.nonce:
        id_claims["nonce"] = row.nonce
    return {"access_token": access_token, "token_type": "Bearer", "expires_in": ACCESS_TOKEN_TTL_SECONDS,
            "scope": row.scope, "id_token": sign(id_claims)}


def _at_hash(access_token: str) -> str:
    digest = hashlib.sha256(access_token.encode()).digest()
    return base64.urlsafe_b64encode(digest[: len(digest) // 2]).rstrip(b"=").decode()


def userinfo(access_token: str) -> dict:
    row = SandboxAccessToken.objects.filter(token_hash=_hash(access_token or "")).first()
    if row is None or row.revoked or row.expires_at <= timezone.now():
        raise OAuthProblem("invalid_token", "The access token is invalid or expired.", status=401)
    person = citizen(row.id_number)
    if person is None:
        raise OAuthProblem("invalid_token", "Unknown subject.", status=401)
    return citizen_claims(person, row.scope)


def subject_from_hint(id_token_hint: str) -> str | None:
    """The `sub` of an ID token this sandbox signed (expired is fine for logout)."""
    try:
        token = jwt.decode(id_token_hint, key_set(), algorithms=["RS256"])
    except Exception:  # noqa: BLE001 - any bad hint is just ignored
        return None
    return token.claims.get("sub")


@transaction.atomic
def end_session(sub: str) -> None:
    """Revoke the access tokens of a subject (RP-initiated logout)."""
    for person in citizens():
        if subject(person["id_number"]) == sub:
            SandboxAccessToken.objects.filter(id_number=person["id_number"], revoked=False).update(revoked=True)
