"""The sandbox CSC API v1 server (/sandbox/csc/v1/...), on only when
TINHSO_SIGNATURES_SANDBOX. It signs with the staff member's demo personal
credential. Accounts: any active staff user, password
TINHSO_CSC_SANDBOX_PASSWORD (HTTP basic on auth/login). OTPs are not sent
anywhere: they are logged and listed at /sandbox/csc/outbox (the outbox).

Errors follow the CSC spec: HTTP 400/401 with {"error", "error_description"}."""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import logging
import secrets

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, utils
from cryptography.hazmat.primitives.serialization import Encoding
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import JsonResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt

from tinhso.signatures import pki
from tinhso.signatures.models import CscGrantKind, CscSandboxGrant, CredentialPurpose, SigningCredential

log = logging.getLogger(__name__)

TOKEN_TTL = datetime.timedelta(hours=1)
OTP_TTL = datetime.timedelta(minutes=5)
SAD_TTL = datetime.timedelta(minutes=5)

HASH_OIDS = {
    "2.16.840.1.101.3.4.2.1": hashes.SHA256,
    "2.16.840.1.101.3.4.2.2": hashes.SHA384,
    "2.16.840.1.101.3.4.2.3": hashes.SHA512,
}
SIGN_OIDS = {  # signAlgo -> implied hash (None: take hashAlgo)
    "1.2.840.113549.1.1.1": None,
    "1.2.840.113549.1.1.11": hashes.SHA256,
    "1.2.840.113549.1.1.12": hashes.SHA384,
    "1.2.840.113549.1.1.13": hashes.SHA512,
}


class CscError(Exception):
    def __init__(self, error: str, description: str, status: int = 400):
        self.error, self.description, self.status = error, description, status


def _json(request) -> dict:
    if not request.body:
        return {}
    try:
        data = json.loads(request.body)
    except ValueError:
        raise CscError("invalid_request", "Malformed JSON body")
    if not isinstance(data, dict):
        raise CscError("invalid_request", "JSON object expected")
    return data


def endpoint(view):
    @csrf_exempt
    def wrapped(request, *args, **kwargs):
        if not getattr(settings, "TINHSO_SIGNATURES_SANDBOX", False):
            return JsonResponse({"error": "not_found", "error_description": "CSC sandbox is off"}, status=404)
        if request.method not in ("POST", "GET"):
            return JsonResponse({"error": "invalid_request", "error_description": "POST expected"}, status=405)
        try:
            result = view(request, _json(request))
        except CscError as exc:
            return JsonResponse({"error": exc.error, "error_description": exc.description}, status=exc.status)
        if result is None:
            return _no_content()
        return JsonResponse(result)
    wrapped.__name__ = view.__name__
    return wrapped


def _no_content():
    from django.http import HttpResponse

    return HttpResponse(status=204)


def _now():
    return timezone.now()


def _bearer_user(request):
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        raise CscError("invalid_token", "Missing bearer token", 401)
    grant = CscSandboxGrant.objects.filter(kind=CscGrantKind.TOKEN, value=header[7:].strip(),
                                           expires_at__gt=_now()).select_related("user").first()
    if grant is None or not grant.user.is_active:
        raise CscError("invalid_token", "Invalid or expired access token", 401)
    return grant.user


def _credential(user, credential_id) -> SigningCredential:
    if not isinstance(credential_id, str) or not credential_id.startswith("tinhso-"):
        raise CscError("invalid_request", "Invalid parameter credentialID")
    try:
        pk = int(credential_id.removeprefix("tinhso-"))
    except ValueError:
        raise CscError("invalid_request", "Invalid parameter credentialID")
    cred = SigningCredential.objects.filter(pk=pk, user=user, purpose=CredentialPurpose.PERSONAL,
                                            is_active=True).first()
    if cred is None:
        raise CscError("invalid_request", "Invalid parameter credentialID")
    return cred


def _cred_id(cred: SigningCredential) -> str:
    return f"tinhso-{cred.pk}"


@endpoint
def info(request, data):
    return {
        "specs": "1.0.4.0", "name": "Tỉnh Số — CSC sandbox", "logo": "", "region": "VN", "lang": "vi-VN",
        "description": "Dịch vụ ký số từ xa thử nghiệm (không dùng cho văn bản thật)",
        "authType": ["basic"], "oauth2": "",
        "methods": ["auth/login", "credentials/list", "credentials/info", "credentials/sendOTP",
                    "credentials/authorize", "signatures/signHash"],
    }


@endpoint
def login(request, data):
    header = request.headers.get("Authorization", "")
    if not header.startswith("Basic "):
        raise CscError("invalid_request", "HTTP basic authentication expected", 401)
    try:
        username, _, password = base64.b64decode(header[6:]).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise CscError("invalid_request", "Malformed basic authentication", 401)
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    expected = getattr(settings, "TINHSO_CSC_SANDBOX_PASSWORD", "")
    if user is None or not expected or not constant_time_compare(password, expected):
        raise CscError("authentication_error", "Invalid username or password", 401)
    token = secrets.token_urlsafe(32)
    CscSandboxGrant.objects.create(kind=CscGrantKind.TOKEN, value=token, user=user, expires_at=_now() + TOKEN_TTL)
    return {"access_token": token, "expires_in": int(TOKEN_TTL.total_seconds())}


@endpoint
def credentials_list(request, data):
    user = _bearer_user(request)
    cred = pki.credential_for_user(user)  # the demo credential, issued on first use
    return {"credentialIDs": [_cred_id(cred)]}


@endpoint
def credentials_info(request, data):
    user = _bearer_user(request)
    cred = _credential(user, data.get("credentialID"))
    loaded = pki.load(cred)
    certs = [loaded.cert, *loaded.chain]
    if data.get("certificates", "single") == "single":
        certs = certs[:1]
    elif data.get("certificates") == "none":
        certs = []
    return {
        "description": cred.label,
        "key": {"status": "enabled", "algo": ["1.2.840.113549.1.1.11", "1.2.840.113549.1.1.1"],
                "len": loaded.key.key_size},
        "cert": {"status": "valid", "certificates": [base64.b64encode(c.public_bytes(Encoding.DER)).decode()
                                                     for c in certs],
                 "issuerDN": loaded.cert.issuer.rfc4514_string(), "serialNumber": format(loaded.cert.serial_number, "x"),
                 "subjectDN": loaded.cert.subject.rfc4514_string()},
        "authMode": "explicit", "SCAL": "2",
        "PIN": {"presence": "false"},
        "OTP": {"presence": "true", "type": "online", "ID": "sandbox-sms", "provider": "Tỉnh Số sandbox",
                "format": "N", "label": "Mã OTP", "description": "Mã 6 chữ số gửi qua tin nhắn (thử nghiệm)"},
        "multisign": 1,
        "lang": "vi-VN",
    }


@endpoint
def send_otp(request, data):
    user = _bearer_user(request)
    cred = _credential(user, data.get("credentialID"))
    otp = f"{secrets.randbelow(1_000_000):06d}"
    CscSandboxGrant.objects.create(kind=CscGrantKind.OTP, value=otp, user=user, credential=cred,
                                   expires_at=_now() + OTP_TTL)
    log.info("CSC sandbox outbox: OTP %s for %s (credential %s)", otp, user.get_username(), _cred_id(cred))
    return None


def _b64_list(value, name) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise CscError("invalid_request", f"Missing or invalid parameter {name}")
    try:
        return [base64.b64encode(base64.b64decode(v, validate=True)).decode() for v in value]
    except binascii.Error:
        raise CscError("invalid_request", f"Invalid base64 in {name}")


@endpoint
def authorize(request, data):
    user = _bearer_user(request)
    cred = _credential(user, data.get("credentialID"))
    try:
        num = int(data.get("numSignatures"))
    except (TypeError, ValueError):
        raise CscError("invalid_request", "Missing or invalid parameter numSignatures")
    hashes_b64 = _b64_list(data.get("hash"), "hash")  # SCAL 2: the SAD is bound to these hashes
    if num != len(hashes_b64) or num < 1:
        raise CscError("invalid_request", "numSignatures does not match the number of hashes")
    otp = str(data.get("OTP") or "")
    with transaction.atomic():
        grant = (CscSandboxGrant.objects.select_for_update()
                 .filter(kind=CscGrantKind.OTP, user=user, credential=cred, used=False, expires_at__gt=_now())
                 .order_by("-created_at").first())
        ok = grant is not None and bool(otp) and constant_time_compare(otp, grant.value)
        if grant is not None:
            # used up either way: one wrong guess burns the OTP (ask for a new one)
            grant.used = True
            grant.save(update_fields=["used"])
        if ok:
            sad = secrets.token_urlsafe(32)
            CscSandboxGrant.objects.create(kind=CscGrantKind.SAD, value=sad, user=user, credential=cred,
                                           hashes=hashes_b64, remaining=num, expires_at=_now() + SAD_TTL)
    if not ok:
        raise CscError("invalid_otp", "The OTP is invalid or expired")
    return {"SAD": sad, "expiresIn": int(SAD_TTL.total_seconds())}


@endpoint
def sign_hash(request, data):
    user = _bearer_user(request)
    cred = _credential(user, data.get("credentialID"))
    hashes_b64 = _b64_list(data.get("hash"), "hash")
    sign_algo = data.get("signAlgo")
    if sign_algo not in SIGN_OIDS:
        raise CscError("invalid_request", "Unsupported signAlgo")
    hash_cls = SIGN_OIDS[sign_algo] or HASH_OIDS.get(data.get("hashAlgo"))
    if hash_cls is None or (data.get("hashAlgo") and HASH_OIDS.get(data["hashAlgo"]) is not hash_cls):
        raise CscError("invalid_request", "Unsupported or inconsistent hashAlgo")
    with transaction.atomic():
        grant = (CscSandboxGrant.objects.select_for_update()
                 .filter(kind=CscGrantKind.SAD, value=str(data.get("SAD") or ""), user=user, credential=cred,
                         expires_at__gt=_now()).first())
        if grant is None or grant.remaining < len(hashes_b64):
            raise CscError("invalid_request", "Invalid or expired SAD")
        if any(h not in grant.hashes for h in hashes_b64):
            raise CscError("invalid_request", "Hash not authorized by the SAD")
        grant.remaining -= len(hashes_b64)
        grant.save(update_fields=["remaining"])
    key = pki.load(cred).key
    digest_size = hash_cls().digest_size
    signatures = []
    for h in hashes_b64:
        digest = base64.b64decode(h)
        if len(digest) != digest_size:
            raise CscError("invalid_request", "Hash length does not match hashAlgo")
        signatures.append(base64.b64encode(key.sign(digest, padding.PKCS1v15(), utils.Prehashed(hash_cls()))).decode())
    return {"signatures": signatures}


@csrf_exempt
def outbox(request):
    """The OTPs the sandbox "sent" to the signed-in user in the last hour
    (sandbox only): the stand-in for the SMS the user would receive."""
    if not getattr(settings, "TINHSO_SIGNATURES_SANDBOX", False):
        return JsonResponse({"error": "not_found"}, status=404)
    if not request.user.is_authenticated:
        return JsonResponse({"error": "not_authenticated"}, status=401)
    since = _now() - datetime.timedelta(hours=1)
    rows = (CscSandboxGrant.objects.filter(kind=CscGrantKind.OTP, user=request.user, created_at__gte=since)
            .select_related("user")[:50])
    return JsonResponse({"messages": [{"to": g.user.get_username(), "otp": g.value, "used": g.used,
                                       "sent_at": g.created_at.isoformat()} for g in rows]},
                        json_dumps_params={"ensure_ascii": False})
