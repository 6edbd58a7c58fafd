"""Remote signing through the Cloud Signature Consortium API v1 (client side).

The key stays with the remote signing service (a CA's "ký số từ xa" under
Circular 16/2019/TT-BTTTT, or the sandbox at /sandbox/csc/v1/). The flow:

    auth/login (HTTP basic: the user's account at the service) -> bearer token
    credentials/list -> credentialID (or TINHSO_CSC_CREDENTIAL_ID)
    credentials/info -> certificate chain, algorithms, SCAL
    credentials/sendOTP            (request_remote_otp: the user receives an OTP)
    credentials/authorize (hash[], OTP) -> SAD      (hash-bound, SCAL 2)
    signatures/signHash (SAD, hash[]) -> signatures[]

pyHanko's CSCSigner (pyhanko.sign.signers.csc_signer) builds the CMS and calls
signHash on what it takes for an aiohttp session; here that is `OutboundHttp`,
which carries every call (ours and pyHanko's) through the integration
platform's outbound client as the consumed service `remote-signing`: the
breaker, retries only of the calls that change nothing (login, credentials
list and info; never sendOTP, authorize or signHash), one message-log row per
attempt with the bodies (credentials, OTP, hashes, signatures) only as
digests and a random reference of the signing session as subject. The calls
are made from inside pyHanko's event loop, so each runs in a helper thread
(`outbound.call_from_event_loop`); remote signing happens before any
transaction opens (a remote service must not wait on a row lock), so the
helper uses its own database connection unless given the caller's. Base URL:
TINHSO_CSC_URL (the part before /csc/v1/), default the sandbox on this server
when the sandbox is on."""

from __future__ import annotations

import logging
import secrets

import aiohttp
from django.conf import settings
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.csc_signer import (
    CSCAuthorizationInfo,
    CSCAuthorizationManager,
    CSCServiceSessionInfo,
    CSCSigner,
    fetch_certs_in_csc_credential,
)

from tinhso.core.errors import DomainError, InvalidInput
from tinhso.integration import outbound

log = logging.getLogger(__name__)

# The consumed service in the integration registry (tinhso/integration/registry.py).
SERVICE = "remote-signing"
# operation -> (the message log's purpose, may it be retried: it changes nothing at the service)
OPERATIONS = {
    "auth/login": ("Đăng nhập dịch vụ ký số từ xa", True),
    "credentials/list": ("Lấy danh sách chứng thư số ký từ xa", True),
    "credentials/info": ("Lấy thông tin chứng thư số ký từ xa", True),
    "credentials/sendOTP": ("Yêu cầu gửi mã OTP ký số từ xa", False),
    "credentials/authorize": ("Xác nhận ký số từ xa bằng mã OTP", False),
    "signatures/signHash": ("Ký số từ xa giá trị băm của văn bản", False),
}


class RemoteSigningRefused(DomainError):
    status = 422
    code = "remote_signing_refused"
    default_message = "Dịch vụ ký số từ xa từ chối yêu cầu."


class RemoteSigningUnavailable(DomainError):
    status = 502
    code = "remote_signing_unavailable"
    default_message = "Không kết nối được dịch vụ ký số từ xa. Vui lòng thử lại sau."


def service_url() -> str:
    url = (getattr(settings, "TINHSO_CSC_URL", "") or "").strip().rstrip("/")
    if url:
        return url
    if getattr(settings, "TINHSO_SIGNATURES_SANDBOX", False):
        return settings.TINHSO_BASE_URL.rstrip("/") + "/sandbox"
    raise RemoteSigningUnavailable("Chưa cấu hình dịch vụ ký số từ xa (TINHSO_CSC_URL).")


def _password(password: str | None) -> str:
    if password is not None:
        return password
    configured = getattr(settings, "TINHSO_CSC_PASSWORD", "")
    if configured:
        return configured
    if getattr(settings, "TINHSO_SIGNATURES_SANDBOX", False):
        return getattr(settings, "TINHSO_CSC_SANDBOX_PASSWORD", "")
    return ""


def _basic(user: str, password: str) -> str:
    import base64

    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def _timeout() -> float:
    return float(getattr(settings, "TINHSO_CSC_TIMEOUT", 30))


class OutboundHttp:
    """What pyHanko's CSC client uses of an aiohttp session (`post(...)` as an
    async context manager; the answer's `status`, `reason` and `json()`),
    sent through `outbound` (service `remote-signing`). Failures are aiohttp's
    exceptions, which pyHanko turns into SigningError as before."""

    def __init__(self, *, connection=None):
        self.connection = connection
        self.subject = f"ky-so-tu-xa:{secrets.token_hex(6)}"  # the signing session's calls, nothing about the signer

    def post(self, url: str, *, json=None, headers=None, raise_for_status: bool = False, timeout=None):
        return _Exchange(self, url, json, headers, raise_for_status, timeout)

    async def close(self):
        pass


class _Exchange:
    def __init__(self, http: OutboundHttp, url, json, headers, raise_for_status, timeout):
        self.http, self.url, self.json, self.headers = http, url, json, headers
        self.raise_for_status, self.timeout = raise_for_status, timeout

    async def __aenter__(self):
        operation = self.url.split("/csc/v1/", 1)[-1]
        purpose, idempotent = OPERATIONS.get(operation, ("Trao đổi với dịch vụ ký số từ xa", False))
        seconds = getattr(self.timeout, "total", None) or _timeout()  # pyHanko's own for info and signHash
        try:
            response = outbound.call_from_event_loop(
                SERVICE, "POST", self.url, json=self.json if self.json is not None else {}, headers=self.headers,
                purpose=purpose, subject=self.http.subject, retry=idempotent, timeout=seconds,
                connection=self.http.connection)
        except outbound.Unavailable as exc:
            raise aiohttp.ClientConnectionError(exc.detail) from exc
        if self.raise_for_status and response.status_code >= 400:
            raise aiohttp.ClientError(f"HTTP {response.status_code} from {operation}")
        return _Answer(response, self.http)

    async def __aexit__(self, exc_type, exc, tb):
        return False


class _Answer:
    def __init__(self, response, http: OutboundHttp):
        self.response, self.http = response, http
        self.status, self.reason = response.status_code, response.reason

    async def json(self, content_type=None):
        try:
            return self.response.json()
        except ValueError:
            detail = f"HTTP {self.status}: not JSON: {self.response.text[:200]!r}"
            outbound.outside_loop(outbound.record_bad_answer, SERVICE, detail, connection=self.http.connection)
            raise aiohttp.ClientPayloadError(detail) from None


async def _post(http: OutboundHttp, url: str, *, json=None, headers=None) -> dict:
    try:
        async with http.post(url, json=json if json is not None else {}, headers=headers or {}) as res:
            body = await res.json() if res.status != 204 else {}
            if res.status >= 400:
                description = (body or {}).get("error_description") or (body or {}).get("error") or res.reason
                raise RemoteSigningRefused(f"Dịch vụ ký số từ xa từ chối yêu cầu: {description}",
                                           code=(body or {}).get("error") or "remote_signing_refused")
            return body or {}
    except aiohttp.ClientError as exc:
        raise RemoteSigningUnavailable() from exc


class _OtpAuthorization(CSCAuthorizationManager):
    """credentials/authorize with the user's OTP, bound to the hashes about to
    be signed when the service requires it (SCAL 2). A refusal is kept in
    `refused` (pyHanko's signer swallows the exception and reports only that
    no signature came back)."""

    def __init__(self, session_info, credential_info, *, http, otp: str):
        super().__init__(session_info, credential_info)
        self.http, self.otp, self.refused = http, otp, None

    async def authorize_signature(self, hash_b64s: list[str]) -> CSCAuthorizationInfo:
        body = self.format_csc_auth_request(
            num_signatures=len(hash_b64s), otp=self.otp,
            hash_b64s=hash_b64s if self.credential_info.hash_pinning_required else None)
        try:
            data = await _post(self.http, self.csc_session_info.endpoint_url("credentials/authorize"), json=body,
                               headers=self.auth_headers)
        except DomainError as exc:
            self.refused = exc
            raise SigningError(exc.message) from exc
        return self.parse_csc_auth_response(data)


class RemoteSigningSession:
    """`async with RemoteSigningSession(user_name=n, password=p, otp=o) as s:` logs
    in, picks the credential, and exposes `s.signer` (a pyHanko CSCSigner).
    `connection`: the caller's database connection, taken before the event
    loop started, for the message log (see OutboundHttp)."""

    def __init__(self, *, user_name: str, password: str | None = None, otp: str | None = None, connection=None):
        self.user_name, self.password, self.otp = user_name, _password(password), otp
        self.connection = connection
        self.http: OutboundHttp | None = None
        self.signer: CSCSigner | None = None
        self.auth: _OtpAuthorization | None = None

    async def __aenter__(self):
        self.http = OutboundHttp(connection=self.connection)
        try:
            await self._setup()
        except BaseException:
            await self.http.close()
            raise
        return self

    async def __aexit__(self, exc_type, exc, tb):
        await self.http.close()
        if self.auth is not None and self.auth.refused is not None:
            # pyHanko reported "no signing results"; tell the user why
            raise self.auth.refused from exc

    async def login(self) -> tuple[str, str]:
        base = service_url()
        data = await _post(self.http, f"{base}/csc/v1/auth/login", json={"rememberMe": False},
                           headers={"Authorization": _basic(self.user_name, self.password)})
        token = data.get("access_token")
        if not token:
            raise RemoteSigningRefused("Đăng nhập dịch vụ ký số từ xa không thành công.")
        headers = {"Authorization": f"Bearer {token}"}
        cred_id = getattr(settings, "TINHSO_CSC_CREDENTIAL_ID", "")
        if not cred_id:
            listing = await _post(self.http, f"{base}/csc/v1/credentials/list", json={"maxResults": 10},
                                  headers=headers)
            ids = listing.get("credentialIDs") or []
            if not ids:
                raise RemoteSigningRefused("Tài khoản ký số từ xa chưa có chứng thư số nào.")
            cred_id = ids[0]
        return token, cred_id

    async def _setup(self):
        token, cred_id = await self.login()
        self.session_info = CSCServiceSessionInfo(service_url=service_url(), credential_id=cred_id,
                                                  oauth_token=token)
        if self.otp is None:
            return
        try:
            cred_info = await fetch_certs_in_csc_credential(self.http, self.session_info)
        except SigningError as exc:
            raise RemoteSigningUnavailable("Không lấy được chứng thư số từ dịch vụ ký số từ xa.") from exc
        self.auth = _OtpAuthorization(self.session_info, cred_info, http=self.http, otp=self.otp)
        self.signer = CSCSigner(self.http, self.auth)

    async def send_otp(self):
        await _post(self.http, self.session_info.endpoint_url("credentials/sendOTP"),
                    json={"credentialID": self.session_info.credential_id}, headers=self.session_info.auth_headers)


def request_remote_otp(user, password: str | None = None) -> None:
    """Ask the remote signing service to send the user an OTP (SMS/app)."""
    from django.db import DEFAULT_DB_ALIAS, connections

    from tinhso.signatures.service import run_coroutine as _run

    name = user.get_username()
    connection = connections[DEFAULT_DB_ALIAS]  # here, before the event loop (see RemoteSigningSession)

    async def run():
        async with RemoteSigningSession(user_name=name, password=password, connection=connection) as s:
            await s.send_otp()

    _run(run())


def check_otp_format(otp: str) -> str:
    otp = (otp or "").strip()
    if not otp:
        raise InvalidInput("Vui lòng nhập mã OTP.", errors=[{"field": "otp", "message": "Vui lòng nhập mã OTP."}])
    return otp


def sandbox_hint(user) -> str:
    """In the sandbox, the code just sent (shown on the page, since no phone
    receives it); empty in production."""
    from django.conf import settings
    from django.utils.translation import gettext as _

    if not getattr(settings, "TINHSO_SIGNATURES_SANDBOX", False):
        return ""
    from tinhso.signatures.models import CscGrantKind, CscSandboxGrant

    grant = CscSandboxGrant.objects.filter(kind=CscGrantKind.OTP, user=user).order_by("-created_at").first()
    return _(" (môi trường thử nghiệm: mã là %(otp)s)") % {"otp": grant.value} if grant else ""
