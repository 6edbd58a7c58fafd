"""The gateway in front of Tỉnh Số's machine interfaces: who is calling
(an API key or an OAuth 2.0 bearer token), may they call this service
(scope), within their rate limit, and one message-log row per call.

Used by the JSON API (`GatewayAuth` on a router, next to the session auth
of people) and by Open311 (`admit` with its `api_key` parameter); the
`InboundLogMiddleware` writes the log row once the response is known."""

from __future__ import annotations

import datetime
import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils import timezone
from ninja.security import APIKeyHeader, HttpBearer

from tinhso.core.errors import DomainError, PermissionDenied
from tinhso.integration import log as message_log
from tinhso.integration.actions import secret_hash
from tinhso.integration.models import AccessToken, ApiKey, CredentialKind, Outcome, ServiceStatus

TOUCH_EVERY = datetime.timedelta(minutes=1)


class Unauthenticated(DomainError):
    status = 401
    code = "credential_invalid"
    default_message = "Thông tin xác thực không hợp lệ."


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"
    default_message = "Hệ thống của bạn đã vượt giới hạn lượt gọi; vui lòng thử lại sau."


class Call:
    """What the gateway learnt about an inbound call (kept on the request for the log row)."""

    __slots__ = ("service", "started", "credential", "client", "outcome", "retry_after", "quiet", "deprecated")

    def __init__(self, service: str):
        self.service = service
        self.started = time.monotonic()
        self.credential = None
        self.client = None
        self.outcome = None
        self.retry_after = 0
        self.quiet = False  # refused again from an address already over its refusal limit: no new log row
        self.deprecated = False


def presented(request) -> tuple[str, str] | None:
    """('bearer', token) or ('key', key) from the headers, or None."""
    auth = request.META.get("HTTP_AUTHORIZATION", "")
    if auth[:7].lower() == "bearer ":
        return "bearer", auth[7:].strip()
    key = request.META.get("HTTP_X_API_KEY", "").strip()
    if key:
        return "key", key
    return None


def _from_key(raw: str) -> ApiKey:
    row = (ApiKey.objects.select_related("client", "client__service_user")
           .filter(key_hash=secret_hash(raw), kind=CredentialKind.API_KEY).first())
    if row is None:
        raise Unauthenticated("Khóa API không đúng.", code="credential_invalid")
    return row


def _from_token(raw: str) -> tuple[ApiKey, list[str]]:
    token = (AccessToken.objects.select_related("credential", "credential__client", "credential__client__service_user")
             .filter(token_hash=secret_hash(raw)).first())
    if token is None:
        raise Unauthenticated("Mã truy cập (access token) không đúng; hãy xin mã mới tại /oauth/token.",
                              code="token_invalid")
    if token.expires_at <= timezone.now():
        raise Unauthenticated("Mã truy cập đã hết hạn; hãy xin mã mới tại /oauth/token.", code="token_expired")
    return token.credential, token.scopes


def check_credential(row: ApiKey) -> None:
    now = timezone.now()
    if row.revoked_at is not None:
        raise Unauthenticated("Thông tin xác thực đã bị thu hồi.", code="credential_revoked")
    if row.expires_at is not None and row.expires_at <= now:
        raise Unauthenticated("Thông tin xác thực đã hết hạn; liên hệ quản trị hệ thống để được cấp mới.",
                              code="credential_expired")
    if not row.client.is_active:
        raise Unauthenticated("Hệ thống kết nối đang bị tạm dừng.", code="client_inactive")


def _rate(call: Call, row: ApiKey) -> None:
    """A fixed one-minute window per client system, counted in the cache
    (shared by every process when the cache is Redis)."""
    window = int(time.time() // 60)
    key = f"ts:rl:{row.client_id}:{window}"
    if cache.add(key, 1, 120):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, 120)
            count = 1
    if count > row.client.rate_limit:
        call.retry_after = 60 - int(time.time() % 60)
        raise RateLimited(f"Hệ thống “{row.client.name}” đã gọi quá {row.client.rate_limit} lượt trong một phút; "
                          f"thử lại sau {call.retry_after} giây.")


class ServiceRetired(DomainError):
    status = 410
    code = "service_retired"
    default_message = "Dịch vụ đã ngừng cung cấp."


def _service_status(service: str) -> str:
    """The registry's status of an offered service (cached briefly: an
    administrator's change is seen within `SERVICE_STATUS_SECONDS`)."""
    from tinhso.integration.models import Service

    key = f"ts:svc-status:{service}"
    status = cache.get(key)
    if status is None:
        status = Service.objects.filter(code=service).values_list("status", flat=True).first() or "active"
        cache.set(key, status, SERVICE_STATUS_SECONDS)
    return status


SERVICE_STATUS_SECONDS = 30


def _refusals(request, add: bool = False) -> int:
    """Refused credentials from one address in the current minute (cache):
    past the limit, the address is answered 429 at once, without a database
    lookup and with one log row per minute instead of one per attempt (no
    flooding of the chained log, no guessing of keys)."""
    window = int(time.time() // 60)
    key = f"ts:refused:{request.META.get('REMOTE_ADDR', '')}:{window}"
    if not add:
        return cache.get(key, 0)
    if cache.add(key, 1, 120):
        return 1
    try:
        return cache.incr(key)
    except ValueError:
        cache.add(key, 1, 120)
        return 1


def too_many_refusals(request, call: Call) -> bool:
    """Is this address over its refusal limit this minute? Then the call is
    answered 429 and only the first such answer of the minute is logged."""
    refused = _refusals(request)
    limit = getattr(settings, "TINHSO_GATEWAY_REFUSALS_PER_MINUTE", 30)
    if refused < limit:
        return False
    call.outcome, call.quiet = Outcome.LIMITED, refused > limit
    call.retry_after = 60 - int(time.time() % 60)
    _refusals(request, add=True)
    return True


def count_refusal(request) -> None:
    _refusals(request, add=True)


def admit(request, service: str, kind: str, raw: str) -> ApiKey:
    """Check a presented credential for `service`; raises Unauthenticated,
    PermissionDenied, RateLimited or ServiceRetired. The outcome is kept for
    the log row."""
    call = request._gateway_call = Call(service)
    if too_many_refusals(request, call):
        raise RateLimited(f"Quá nhiều lần xác thực sai từ địa chỉ này; thử lại sau {call.retry_after} giây.",
                          code="too_many_refusals")
    try:
        if kind == "bearer":
            row, scopes = _from_token(raw)
        else:
            row = _from_key(raw)
            scopes = row.scopes
        call.credential, call.client = row, row.client
        check_credential(row)
        if service not in scopes or service not in row.scopes:
            raise PermissionDenied(f"Hệ thống “{row.client.name}” chưa được cấp quyền dùng dịch vụ “{service}”.",
                                   code="scope_not_granted")
        status = _service_status(service)
        if status == ServiceStatus.RETIRED:
            raise ServiceRetired(f"Dịch vụ “{service}” đã ngừng cung cấp; liên hệ quản trị hệ thống tích hợp.")
        call.deprecated = status == ServiceStatus.DEPRECATED
        _rate(call, row)
    except RateLimited:
        call.outcome = Outcome.LIMITED
        raise
    except Unauthenticated:
        call.outcome = Outcome.REFUSED
        count_refusal(request)
        raise
    except DomainError:
        call.outcome = Outcome.REFUSED
        raise
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY:
        ApiKey.objects.filter(pk=row.pk).update(last_used_at=now)
    return row


def _enter(request, service: str, kind: str, raw: str):
    row = admit(request, service, kind, raw)
    request.user = row.client.service_user or AnonymousUser()
    request.gateway_client = row.client
    return row


class GatewayBearer(HttpBearer):
    """`Authorization: Bearer <token>`: an OAuth 2.0 access token (client
    credentials grant at /oauth/token) with `service` in its scope. The
    caller acts as its client system's service account."""

    def __init__(self, service: str):
        super().__init__()
        self.service = service

    def authenticate(self, request, token):
        return _enter(request, self.service, "bearer", token) if token else None


class GatewayKey(APIKeyHeader):
    """`X-API-Key: <key>`, for partners that can only send a key."""

    param_name = "X-API-Key"

    def __init__(self, service: str):
        super().__init__()
        self.service = service

    def authenticate(self, request, key):
        return _enter(request, self.service, "key", key.strip()) if key and key.strip() else None


def machine_or_person(service: str) -> list:
    """The auth list of a router both people (session) and client systems
    (gateway) call: machines first, so a call with credentials never falls
    back to a session."""
    from ninja.security import django_auth

    return [GatewayBearer(service), GatewayKey(service), django_auth]


class InboundLogMiddleware:
    """Writes the message-log row of every gateway call once the response is
    known (status, digests, latency), and the Retry-After of a 429."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        call = getattr(request, "_gateway_call", None)
        if call is not None:
            if call.retry_after and response.status_code == 429:
                response["Retry-After"] = str(call.retry_after)
            if call.deprecated:  # RFC 9745: the registry marks the service as about to be retired
                response["Deprecation"] = "true"
            if not call.quiet:
                log_inbound(request, response, call)
        return response


def log_inbound(request, response, call: Call, subject: str = "") -> None:
    status = response.status_code
    if not subject and request.resolver_match is not None:  # the dossier, report or document the call was about
        subject = str(request.resolver_match.kwargs.get("code") or request.resolver_match.kwargs.get("pk") or "")
    outcome = call.outcome or (Outcome.OK if status < 400 else Outcome.INVALID if status < 500 else Outcome.ERROR)
    body = getattr(request, "_body", None)
    message_log.append(
        direction="in", client=call.client, credential=call.credential, service=call.service,
        operation=f"{request.method} {request.path}", purpose=request.META.get("HTTP_X_PURPOSE", "")[:200],
        subject=subject, request_digest=message_log.digest(body),
        response_digest=message_log.digest(response.content if not response.streaming else None),
        status=status, outcome=outcome, latency_ms=int((time.monotonic() - call.started) * 1000),
        address=request.META.get("REMOTE_ADDR", ""))
