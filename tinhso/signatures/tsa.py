"""RFC 3161 time-stamping: the client used when signing, and the sandbox TSA.

Client: `timestamper()` posts `application/timestamp-query` to TINHSO_TSA_URL
through the integration platform's outbound client as the consumed service
`tsa` (breaker, retries: a time-stamp request changes nothing at the TSA; one
message-log row per attempt, the request and the token only as digests, the
subject a prefix of the hashed message). pyHanko asks from inside an asyncio
event loop, so the call runs in a helper thread that borrows the signing
code's database connection (`outbound.call_from_event_loop`): the row is
written in the caller's transaction. Tests mount a transport adapter on
`outbound.TRANSPORT_MOUNTS` which hands the request to Django's test client:
the request and response bytes are the real protocol, only the socket is
skipped.

With the sandbox on and no TINHSO_TSA_URL (the demo), or TINHSO_TSA_URL=sandbox,
the platform's own sandbox TSA answers in process (`SandboxTimeStamper`): the
same TimeStampReq/TimeStampResp bytes, handed to the code behind /sandbox/tsa/
without a socket, so signing never depends on this very server being up (the
demo seeds before it starts the server). Never used in production, where the
sandbox is off.

Sandbox server (`tsa_view`, /sandbox/tsa/): parses the TimeStampReq and
answers a TimeStampResp signed by the demo TSA certificate (issued by the demo
root), built with pyHanko's DummyTimeStamper."""

from __future__ import annotations

import base64
import logging
import threading
import time

from asn1crypto import cms, tsp
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError, set_tsp_headers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from tinhso.integration import outbound
from tinhso.signatures import pki

log = logging.getLogger(__name__)

# The consumed service in the integration registry (tinhso/integration/registry.py).
SERVICE = "tsa"
PURPOSE = "Lấy dấu thời gian cho chữ ký số"
PURPOSE_SAMPLE = "Lấy dấu thời gian mẫu (ước lượng kích thước chữ ký)"


def sandbox_enabled() -> bool:
    return bool(getattr(settings, "TINHSO_SIGNATURES_SANDBOX", False))


IN_PROCESS = "sandbox"


def tsa_url() -> str:
    """The TSA's URL, IN_PROCESS for the in-process sandbox, or "" for none."""
    url = (getattr(settings, "TINHSO_TSA_URL", "") or "").strip()
    if url.lower() == "off":  # explicitly no time-stamping (signatures are then PAdES B-B)
        return ""
    if url.lower() == IN_PROCESS:
        return IN_PROCESS if sandbox_enabled() else ""
    if url:
        return url
    if sandbox_enabled():
        return IN_PROCESS
    return ""


class SessionTimeStamper(TimeStamper):
    """pyHanko's RFC 3161 client, sending through `outbound` (service `tsa`).
    Made in synchronous code (`timestamper()`), where it takes the caller's
    database connection for the calls made later inside pyHanko's loop."""

    def __init__(self, url: str, *, timeout: float = 10, auth=None):
        self.url, self.timeout, self.auth = url, timeout, auth
        self.purpose = PURPOSE
        self.connection = connections[DEFAULT_DB_ALIAS]
        super().__init__()

    async def async_dummy_response(self, md_algorithm) -> cms.ContentInfo:
        """pyHanko sizes the signature's placeholder with a sample token that
        it fetches from the TSA once per timestamper, i.e. once per signed
        document here: an extra round trip per result. The sample is kept per
        process for a few minutes instead (it only sizes the placeholder,
        with pyHanko's 50% margin)."""
        key = (self.url, self.auth[0] if self.auth else "", md_algorithm)
        hit = _dummies.get(key)
        if hit is not None and time.monotonic() - hit[1] < DUMMY_MAX_AGE_SECONDS:
            if md_algorithm not in self._dummy_response_cache:
                self._register_dummy(md_algorithm, hit[0])
            return hit[0]
        self.purpose = PURPOSE_SAMPLE
        try:
            dummy = await super().async_dummy_response(md_algorithm)
        finally:
            self.purpose = PURPOSE
        with _dummies_lock:
            _dummies[key] = (dummy, time.monotonic())
        return dummy

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        # pyHanko runs this coroutine under asyncio.run in our sync code path;
        # a blocking call here is fine (one request per signature).
        headers = set_tsp_headers({})
        if self.auth:
            headers["Authorization"] = "Basic " + base64.b64encode(":".join(self.auth).encode()).decode()
        imprint = req["message_imprint"]["hashed_message"].native.hex()
        try:
            res = outbound.call_from_event_loop(
                SERVICE, "POST", self.url, data=req.dump(), headers=headers, purpose=self.purpose,
                subject=f"imprint:{imprint[:16]}", retry=True, timeout=self.timeout, connection=self.connection)
        except outbound.Unavailable as exc:
            raise TimestampRequestError("Không kết nối được máy chủ dấu thời gian") from exc
        if res.status_code != 200 or res.headers.get("Content-Type") != "application/timestamp-reply":
            outbound.outside_loop(outbound.record_bad_answer, SERVICE,
                                  f"HTTP {res.status_code} {res.headers.get('Content-Type', '')}",
                                  connection=self.connection)
            raise TimestampRequestError(f"Máy chủ dấu thời gian trả lời không hợp lệ (HTTP {res.status_code})")
        return tsp.TimeStampResp.load(res.content)


_dummies_lock = threading.Lock()
_dummies: dict[tuple[str, str, str], tuple[cms.ContentInfo, float]] = {}
DUMMY_MAX_AGE_SECONDS = 600


class SandboxTimeStamper(SessionTimeStamper):
    """The sandbox TSA answering in process: the request is DER-encoded and the
    answer parsed back exactly as over HTTP (see the module docstring)."""

    def __init__(self):
        super().__init__(IN_PROCESS)
        # Loaded here, in the caller's synchronous context: pyHanko calls the TSA
        # from inside an event loop, where Django allows no database query.
        self.signer = sandbox_stamper()

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        status, body = sandbox_answer(req.dump(), signer=self.signer)
        if status != 200:
            raise TimestampRequestError(f"Máy chủ dấu thời gian thử nghiệm từ chối yêu cầu ({status})")
        return tsp.TimeStampResp.load(body)


def timestamper() -> TimeStamper | None:
    url = tsa_url()
    if not url:
        return None
    if url == IN_PROCESS:
        return SandboxTimeStamper()
    auth = None
    user = getattr(settings, "TINHSO_TSA_USERNAME", "")
    if user:
        auth = (user, getattr(settings, "TINHSO_TSA_PASSWORD", ""))
    return SessionTimeStamper(url, timeout=float(getattr(settings, "TINHSO_TSA_TIMEOUT", 10)), auth=auth)


# --- the sandbox server -----------------------------------------------------

_stamper_lock = threading.Lock()
_stamper: dict = {}
STAMPER_RECHECK_SECONDS = 600


def sandbox_stamper():
    """The sandbox TSA's signer, kept per process and re-read from the
    database every few minutes (a timestamp request costs no query)."""
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    now = time.monotonic()
    hit = _stamper.get("stamper")
    if hit is not None and now - _stamper["at"] < STAMPER_RECHECK_SECONDS:
        return hit
    with _stamper_lock:
        cred = pki.tsa_credential()
        if hit is None or _stamper.get("fingerprint") != cred.fingerprint:
            loaded = pki.load(cred)
            hit = DummyTimeStamper(tsa_cert=loaded.asn1_cert, tsa_key=loaded.asn1_key,
                                   certs_to_embed=SimpleCertificateStore.from_certs(loaded.asn1_chain))
        _stamper.update(stamper=hit, fingerprint=cred.fingerprint, at=now)
    return hit


@csrf_exempt
@require_POST
def tsa_view(request):
    if not sandbox_enabled():
        return HttpResponse("Máy chủ dấu thời gian thử nghiệm đang tắt.", status=404,
                            content_type="text/plain; charset=utf-8")
    if request.content_type != "application/timestamp-query":
        return HttpResponse("Cần Content-Type: application/timestamp-query (RFC 3161).", status=415,
                            content_type="text/plain; charset=utf-8")
    status, body = sandbox_answer(request.body)
    return HttpResponse(body, content_type="application/timestamp-reply", status=status)


def sandbox_answer(body: bytes, signer=None) -> tuple[int, bytes]:
    """The sandbox TSA: a DER TimeStampReq in, (HTTP status, DER TimeStampResp) out."""
    try:
        req = tsp.TimeStampReq.load(body)
        req.native  # parse everything now: a malformed request must not reach the signer
    except (ValueError, TypeError, OverflowError):
        status = tsp.PKIStatusInfo({"status": tsp.PKIStatus("rejection"),
                                    "fail_info": tsp.PKIFailureInfo({"bad_data_format"})}).dump()
        return 400, b"\x30" + bytes([len(status)]) + status  # TimeStampResp without a token (RFC 3161 §2.4.2)
    resp = (signer or sandbox_stamper()).request_tsa_response(req)
    log.info("sandbox TSA: stamped a %s imprint", req["message_imprint"]["hash_algorithm"]["algorithm"].native)
    return 200, resp.dump()
