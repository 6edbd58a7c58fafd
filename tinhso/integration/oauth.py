"""OAuth 2.0 token endpoint for client systems (RFC 6749 §4.4, client
credentials grant) and its metadata (RFC 8414).

`POST /oauth/token` with `grant_type=client_credentials`, the client
authenticated by HTTP Basic (client_id:client_secret, form-encoded as §2.3.1
says) or by `client_id`/`client_secret` in the body, and an optional `scope`
(space-separated service codes, a subset of the credential's). Answers
`{"access_token", "token_type": "Bearer", "expires_in", "scope"}`, or an RFC
6749 §5.2 error (`error` + a Vietnamese `error_description`). Each request is
a message-log row (service `oauth`)."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import unquote_plus

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from tinhso.core.errors import DomainError
from tinhso.integration.actions import issue_token, secret_hash
from tinhso.integration.gateway import Call, check_credential, count_refusal, too_many_refusals
from tinhso.integration.models import ApiKey, CredentialKind, Outcome
from tinhso.integration.registry import offered_codes


def _error(request, status: int, error: str, description: str, *, basic: bool = False) -> JsonResponse:
    response = JsonResponse({"error": error, "error_description": description}, status=status,
                            json_dumps_params={"ensure_ascii": False})
    if status == 401:
        response["WWW-Authenticate"] = 'Basic realm="tinhso"' if basic else 'Bearer realm="tinhso"'
    response["Cache-Control"] = "no-store"
    request._gateway_call.outcome = Outcome.REFUSED if status == 401 else Outcome.INVALID
    if status == 401:
        count_refusal(request)
    return response


def _client_auth(request) -> tuple[str, str, bool]:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header[:6].lower() == "basic ":
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return "", "", True
        client_id, _, secret = decoded.partition(":")
        return unquote_plus(client_id), unquote_plus(secret), True
    return request.POST.get("client_id", ""), request.POST.get("client_secret", ""), False


@csrf_exempt
@never_cache
def token_view(request):
    request._gateway_call = call = Call("oauth")
    if too_many_refusals(request, call):
        response = JsonResponse({"error": "slow_down", "error_description": "Quá nhiều lần xác thực sai từ địa chỉ "
                                 f"này; thử lại sau {call.retry_after} giây."}, status=429,
                                json_dumps_params={"ensure_ascii": False})
        response["Cache-Control"] = "no-store"
        return response
    if request.method != "POST":
        response = _error(request, 405, "invalid_request", "Chỉ nhận POST (application/x-www-form-urlencoded).")
        response["Allow"] = "POST"
        return response
    if not request.META.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        return _error(request, 400, "invalid_request", "Gửi tham số dạng application/x-www-form-urlencoded (RFC 6749).")
    client_id, secret, basic = _client_auth(request)
    if not client_id or not secret:
        return _error(request, 401, "invalid_client", "Thiếu client_id hoặc client_secret.", basic=True)
    row = (ApiKey.objects.select_related("client").filter(prefix=client_id, kind=CredentialKind.OAUTH).first())
    if row is None or row.key_hash != secret_hash(secret):
        return _error(request, 401, "invalid_client", "client_id hoặc client_secret không đúng.", basic=basic)
    call.credential, call.client = row, row.client
    try:
        check_credential(row)
    except DomainError as exc:
        return _error(request, 401, "invalid_client", exc.message, basic=basic)
    grant = request.POST.get("grant_type", "")
    if grant != "client_credentials":
        return _error(request, 400, "unsupported_grant_type" if grant else "invalid_request",
                      "Chỉ hỗ trợ grant_type=client_credentials." if grant else "Thiếu grant_type.")
    asked = request.POST.get("scope", "").split()
    if asked and not set(asked) <= set(row.scopes):
        return _error(request, 400, "invalid_scope", "Phạm vi không được cấp: "
                      + ", ".join(sorted(set(asked) - set(row.scopes))) + ".")
    scopes = sorted(set(asked or row.scopes))
    _token_row, token = issue_token(row, scopes)
    response = JsonResponse({"access_token": token, "token_type": "Bearer",
                             "expires_in": settings.TINHSO_OAUTH_TOKEN_SECONDS, "scope": " ".join(scopes)})
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    return response


@require_GET
def metadata_view(request):
    base = settings.TINHSO_BASE_URL.rstrip("/")
    return JsonResponse({
        "issuer": base, "token_endpoint": f"{base}/oauth/token",
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "scopes_supported": sorted(offered_codes()),
        "service_documentation": f"{base}/api/v1/docs"})
