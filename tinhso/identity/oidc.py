"""The relying party: OpenID Connect authorization code flow with PKCE (S256).

Authlib's Django client does discovery, builds the authorization request
(state, nonce, PKCE verifier kept in the Django session) and redeems the code
at the token endpoint over HTTP (requests), authenticating the client with
client_secret_basic or client_secret_post. The ID token is then checked by
`validate_id_token` here: RS256 signature against the provider's JWKS, issuer,
audience (and azp), expiry, issued-at, nonce and at_hash.

Every back-channel call (discovery, JWKS, token, userinfo) is a real HTTP
request that Authlib prepares (client authentication, PKCE, bearer token)
and `OutboundAdapter` carries through the integration platform's outbound
client as the consumed service `vneid`: the service's breaker, retries of
the GETs (never of the token request: a code is single-use), one
message-log row per attempt with the bodies only as digests (tokens,
codes and the citizen's data never reach the log). A provider that cannot
be reached (or answers 5xx) is a `requests.ConnectionError` for Authlib, as
before. Tests route the calls with `outbound.TRANSPORT_MOUNTS` (see
tinhso.testing.DjangoTestClientAdapter); production code never sets it."""

from __future__ import annotations

import contextvars
import hashlib
import logging
import threading
import time

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App
from authlib.oidc.core import CodeIDToken
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from joserfc import jwt
from joserfc.errors import JoseError as JoseRfcError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from tinhso.identity import conf
from tinhso.identity.errors import IdentityError, InvalidIdToken
from tinhso.integration import outbound

log = logging.getLogger(__name__)

SIGNING_ALGORITHMS = ["RS256"]
LEEWAY_SECONDS = 60
METADATA_TTL_SECONDS = 3600
STATE_NAME = "tinhso_eid"
# The consumed service in the integration registry (tinhso/integration/registry.py).
SERVICE = "vneid"
# The message log's subject of the calls of one sign-in: a digest of its `state`, never the citizen's data.
_sign_in: contextvars.ContextVar[str] = contextvars.ContextVar("tinhso_eid_sign_in", default="")

_framework = DjangoIntegration(STATE_NAME)
_clients: dict[tuple, tuple[float, "RelyingPartyClient"]] = {}
_clients_lock = threading.Lock()


class OutboundAdapter(requests.adapters.BaseAdapter):
    """A `requests` transport adapter that sends what Authlib prepared through
    `tinhso.integration.outbound.call` (service `vneid`)."""

    def __init__(self, client: "RelyingPartyClient"):
        super().__init__()
        self.client = client

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        try:
            return outbound.call(SERVICE, request.method, request.url, data=request.body,
                                 headers=dict(request.headers), purpose=self.client.purpose_of(request.url),
                                 subject=_sign_in.get(), timeout=timeout)
        except outbound.Unavailable as exc:
            raise requests.ConnectionError(exc.detail, request=request) from exc

    def close(self):
        pass


class RelyingPartyClient(DjangoOAuth2App):
    """Authlib's Django OAuth2/OIDC client; every requests session it opens
    sends through the integration platform (`OutboundAdapter`)."""

    def _mount(self, session):
        adapter = OutboundAdapter(self)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        return session

    def _get_session(self):
        return self._mount(super()._get_session())

    def _get_oauth_client(self, **metadata):
        return self._mount(super()._get_oauth_client(**metadata))

    def purpose_of(self, url: str) -> str:
        """The message log's purpose of a back-channel call (by the provider's metadata)."""
        url = url.split("?")[0]
        metadata = self.server_metadata or {}
        if url.endswith(conf.DISCOVERY_SUFFIX):
            return "Tải cấu hình cổng định danh điện tử (OpenID discovery)"
        if url == metadata.get("jwks_uri"):
            return "Tải khóa công khai của cổng định danh điện tử (JWKS)"
        if url == metadata.get("token_endpoint"):
            return "Đổi mã đăng nhập lấy mã truy cập (đăng nhập bằng định danh điện tử)"
        if url == metadata.get("userinfo_endpoint"):
            return "Lấy thông tin người đăng nhập (userinfo)"
        return "Trao đổi với cổng định danh điện tử"


def reset_clients() -> None:
    """Forget cached provider metadata and keys (tests; a changed configuration)."""
    with _clients_lock:
        _clients.clear()


def get_client(issuer: str) -> RelyingPartyClient:
    from django.conf import settings

    key = (issuer, conf.client_id(), conf.client_secret(), conf.scopes(), settings.TINHSO_OIDC_TOKEN_AUTH_METHOD)
    now = time.monotonic()
    with _clients_lock:
        cached = _clients.get(key)
        if cached and now - cached[0] < METADATA_TTL_SECONDS:
            return cached[1]
        client = RelyingPartyClient(
            framework=_framework,
            name=STATE_NAME,
            client_id=conf.client_id(),
            client_secret=conf.client_secret(),
            server_metadata_url=issuer.rstrip("/") + conf.DISCOVERY_SUFFIX,
            client_kwargs={
                "scope": conf.scopes(),
                "code_challenge_method": "S256",
                "token_endpoint_auth_method": settings.TINHSO_OIDC_TOKEN_AUTH_METHOD,
                "default_timeout": settings.TINHSO_OIDC_TIMEOUT,
            },
        )
        _clients[key] = (now, client)
        return client


def load_metadata(client: RelyingPartyClient, issuer: str) -> dict:
    """Discovery document; its `issuer` must be exactly the configured issuer."""
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError) as exc:
        log.warning("OIDC discovery failed for %s: %s", issuer, exc)
        raise _unreachable() from exc
    if metadata.get("issuer") != issuer:
        reset_clients()
        raise IdentityError("Cấu hình cổng định danh không khớp (issuer). Vui lòng liên hệ quản trị hệ thống.",
                            code="issuer_mismatch", status=502)
    return metadata


def _unreachable() -> IdentityError:
    return IdentityError("Không kết nối được với cổng định danh điện tử. Vui lòng thử lại sau ít phút.",
                         code="provider_unreachable", status=502)


def safe_next(request, candidate: str | None) -> str:
    """`candidate` if it stays on this host, else the portal home."""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                                     require_https=request.is_secure()):
        return candidate
    return reverse("portal:home")


# --- ID token validation ----------------------------------------------------------------------------

def validate_id_token(id_token: str, *, jwks: dict, issuer: str, client_id: str, nonce: str | None,
                      access_token: str | None = None, now: int | None = None) -> dict:
    """Verify an ID token and return its claims, or raise InvalidIdToken.

    Signature: RS256 only, key chosen by `kid` from the provider's JWKS.
    Claims: iss == issuer, aud contains client_id (azp == client_id when
    several audiences), exp not passed, iat present, nonce == the nonce we
    sent, at_hash matches the access token when present."""
    try:
        key_set = KeySet.import_key_set(jwks)
        token = jwt.decode(id_token, key=key_set, algorithms=SIGNING_ALGORITHMS,
                           registry=JWSRegistry(algorithms=SIGNING_ALGORITHMS))
    except (JoseRfcError, ValueError, TypeError, KeyError) as exc:
        raise InvalidIdToken(code=_jose_code(exc)) from exc
    if token.header.get("alg") not in SIGNING_ALGORITHMS:
        raise InvalidIdToken(code="invalid_token")
    params = {"client_id": client_id, "nonce": nonce}
    if access_token:
        params["access_token"] = access_token
    claims = CodeIDToken(
        token.claims, token.header,
        options={"iss": {"essential": True, "value": issuer},
                 "aud": {"essential": True, "values": [client_id]},
                 "exp": {"essential": True},
                 "sub": {"essential": True}},
        params=params,
    )
    if not nonce:
        raise InvalidIdToken(code="invalid_token")
    try:
        claims.validate(now=now, leeway=LEEWAY_SECONDS)
    except JoseRfcError as exc:
        raise InvalidIdToken(code=f"invalid_token:{getattr(exc, 'error', 'claims')}") from exc
    return dict(claims)


def _jose_code(exc: Exception) -> str:
    name = type(exc).__name__
    return "unknown_key" if name == "InvalidKeyIdError" else "invalid_token"


# --- the flow ---------------------------------------------------------------------------------------

def start_login(request, next_url: str) -> str:
    """Prepare an authorization request; return the provider URL to redirect to."""
    issuer = conf.issuer_for(request)
    client = get_client(issuer)
    load_metadata(client, issuer)
    redirect_uri = request.build_absolute_uri(reverse("identity:callback"))
    try:
        rv = client.create_authorization_url(redirect_uri=redirect_uri)
    except (requests.RequestException, AuthlibBaseError, RuntimeError) as exc:
        raise _unreachable() from exc
    url = rv.pop("url")
    client.save_authorize_data(request, redirect_uri=redirect_uri, next=next_url, issuer=issuer, **rv)
    return url


def pop_state(request) -> dict | None:
    """The data saved for this response's `state`, removed from the session (single use)."""
    state = request.GET.get("state")
    if not state:
        return None
    data = _framework.get_state_data(request.session, state)
    _framework.clear_state_data(request.session, state)
    return data


def finish_login(request, state_data: dict | None) -> tuple[dict, dict]:
    """Handle the provider's redirect back: return (claims, token) or raise IdentityError."""
    error = request.GET.get("error")
    if error == "access_denied":
        raise IdentityError("Bạn đã hủy đăng nhập tại cổng định danh điện tử.", code="access_denied")
    if error:
        raise IdentityError(code=f"provider:{error[:50]}")
    if not state_data:
        raise IdentityError("Phiên đăng nhập không hợp lệ hoặc đã hết hạn (state không khớp). Vui lòng thử lại.",
                            code="state_mismatch")
    issuer = state_data["issuer"]
    if request.GET.get("iss") and request.GET["iss"] != issuer:  # RFC 9207 mix-up defence
        raise IdentityError(code="issuer_mismatch")
    code = request.GET.get("code")
    if not code:
        raise IdentityError(code="missing_code")
    client = get_client(issuer)
    load_metadata(client, issuer)
    marker = _sign_in.set("dang-nhap:" + hashlib.sha256(request.GET.get("state", "").encode()).hexdigest()[:16])
    try:
        return _redeem(client, state_data, code, issuer)
    finally:
        _sign_in.reset(marker)


def _redeem(client, state_data: dict, code: str, issuer: str) -> tuple[dict, dict]:
    """The back channel of a sign-in: the code for tokens, the ID token checked, userinfo."""
    try:
        token = client.fetch_access_token(redirect_uri=state_data["redirect_uri"], code=code,
                                          code_verifier=state_data.get("code_verifier"))
    except requests.RequestException as exc:
        raise _unreachable() from exc
    except (AuthlibBaseError, ValueError) as exc:
        log.warning("OIDC token request refused: %s", exc)
        raise IdentityError("Cổng định danh từ chối mã đăng nhập. Vui lòng thử lại.", code="token_error") from exc
    id_token = token.get("id_token")
    if not id_token:
        raise InvalidIdToken(code="missing_id_token")
    claims = _validated(client, id_token, issuer=issuer, nonce=state_data.get("nonce"),
                        access_token=token.get("access_token"))
    claims = {**_userinfo(client, token, claims["sub"]), **claims}
    return claims, token


def _validated(client, id_token, **kwargs) -> dict:
    try:
        jwks = client.fetch_jwk_set()
    except (requests.RequestException, ValueError, RuntimeError) as exc:
        raise _unreachable() from exc
    try:
        return validate_id_token(id_token, jwks=jwks, client_id=client.client_id, **kwargs)
    except InvalidIdToken as exc:
        if exc.code != "unknown_key":
            raise
    try:  # the provider rotated its key: fetch the JWKS again, once
        jwks = client.fetch_jwk_set(force=True)
    except (requests.RequestException, ValueError, RuntimeError) as exc:
        raise _unreachable() from exc
    return validate_id_token(id_token, jwks=jwks, client_id=client.client_id, **kwargs)


def _userinfo(client, token: dict, sub: str) -> dict:
    """Claims from the userinfo endpoint (if any); its `sub` must match the ID token's."""
    if not client.load_server_metadata().get("userinfo_endpoint"):
        return {}
    try:
        info = dict(client.userinfo(token=token))
    except requests.RequestException as exc:
        raise _unreachable() from exc
    except (AuthlibBaseError, ValueError) as exc:
        raise InvalidIdToken(code="userinfo_error") from exc
    if info.get("sub") != sub:
        raise InvalidIdToken(code="userinfo_sub_mismatch")
    return info


def logout_url(request, id_token: str | None, issuer: str | None) -> str | None:
    """RP-initiated logout at the provider's end_session_endpoint, if it has one."""
    if not issuer:
        return None
    client = get_client(issuer)
    try:
        metadata = load_metadata(client, issuer)
    except IdentityError:
        return None
    if not metadata.get("end_session_endpoint"):
        return None
    return client.create_logout_url(
        post_logout_redirect_uri=request.build_absolute_uri(reverse("portal:home")),
        id_token_hint=id_token, client_id=client.client_id)["url"]
