"""Signing and verifying PDFs (PAdES), and the registry of issued documents.

    sign_pdf(pdf, agency=a, person=u)   person's signature, then the agency seal (PAdES B-T)
    sign_pdf_remote(pdf, user=u, otp=…) the person's signature through a CSC API v1 service
    verify_pdf(pdf)                     a report of every signature and an overall verdict
    register_signed_document(pdf, kind) keep an issued PDF under a code for /xac-thuc/?ma=<code>
    verification_url(document)          the link printed (as a QR code) on the document
"""

from __future__ import annotations

import asyncio
import datetime
import hashlib
import io
import logging
import secrets
import threading
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.content import PdfContent
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError, get_pyca_cryptography_hash
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import process_pss_params

from tinhso.audit.actions import record
from tinhso.core.errors import InvalidInput
from tinhso.signatures import appearance, pki, tsa
from tinhso.signatures.models import SignedDocument, SigningCredential

log = logging.getLogger(__name__)

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
POSITIONS = ("bottom-right", "top-right")


class SigningFailed(InvalidInput):
    status = 502
    code = "signing_failed"
    default_message = "Không ký được văn bản. Vui lòng thử lại sau."


# --- helpers ------------------------------------------------------------------

def now_vn() -> datetime.datetime:
    return timezone.now().astimezone(VN_TZ).replace(microsecond=0)


def _require_pdf(data: bytes, field: str = "file") -> None:
    if not data or not data.lstrip()[:5].startswith(b"%PDF-"):
        message = "Tệp không phải là tệp PDF."
        raise InvalidInput(message, code="invalid_file", errors=[{"field": field, "message": message}])


def _image_xobject(writer, png: bytes):
    """The image as a PDF image XObject in `writer` (soft mask for the
    transparency), from data encoded once per process."""
    img = appearance.encoded_image(png)
    head = {"/Type": generic.pdf_name("/XObject"), "/Subtype": generic.pdf_name("/Image"),
            "/Width": generic.NumberObject(img.width), "/Height": generic.NumberObject(img.height),
            "/BitsPerComponent": generic.NumberObject(8), "/Filter": generic.pdf_name("/FlateDecode")}
    obj = generic.StreamObject({**head, "/ColorSpace": generic.pdf_name("/DeviceRGB")}, encoded_data=img.rgb)
    if img.alpha is not None:
        obj["/SMask"] = writer.add_object(generic.StreamObject(
            {**head, "/ColorSpace": generic.pdf_name("/DeviceGray")}, encoded_data=img.alpha))
    return writer.add_object(obj)


class _StampContent(PdfContent):
    """The widget's appearance: the stamp's images, then its text page (a
    one-page PDF in memory, imported as a form XObject)."""

    def __init__(self, stamp: appearance.Stamp):
        self.stamp = stamp
        super().__init__()

    def render(self) -> bytes:
        w = self._ensure_writer
        token = secrets.token_hex(8)
        ops = []
        for i, placed in enumerate(self.stamp.images):
            name = f"/StampImage{i}{token}"
            self.resources.xobject[name] = _image_xobject(w, placed.png)
            ops.append(f"q {placed.width:.4f} 0 0 {placed.height:.4f} {placed.x:.4f} {placed.y:.4f} cm "
                       f"{name} Do Q")
        xobj = w.import_page_as_xobject(PdfFileReader(io.BytesIO(self.stamp.pdf)), page_ix=0)
        name = "/ImportStamp" + token
        self.resources.xobject[name] = xobj
        x1, y1, x2, y2 = xobj.get_object()["/BBox"]
        self.box = layout.BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        ops.append(f"{name} Do")
        return " ".join(ops).encode()


def _style(stamp: appearance.Stamp) -> StaticStampStyle:
    return StaticStampStyle(
        background=_StampContent(stamp), border_width=0, background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(x_align=layout.AxisAlignment.ALIGN_MID,
                                                      y_align=layout.AxisAlignment.ALIGN_MID,
                                                      margins=layout.Margins.uniform(0)))


class _PdfSigner(signers.PdfSigner):
    """PdfSigner with the signing time fixed by us, so that the time printed
    in the stamp is exactly the signature's /M and signingTime."""

    def __init__(self, *args, system_time: datetime.datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self._system_time = system_time

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._system_time
        return session


def _first_page_size(reader) -> tuple[float, float]:
    node = reader.root["/Pages"]
    box = node.get("/MediaBox")
    while node.get("/Type") != "/Page" and "/Kids" in node:
        node = node["/Kids"][0].get_object()
        box = node.get("/MediaBox", box)
    if box is None:
        return 595.0, 842.0
    x1, y1, x2, y2 = (float(v) for v in box)
    return abs(x2 - x1), abs(y2 - y1)


def _field_name(reader, base: str) -> str:
    existing = {name for name, _value, _ref in fields.enumerate_sig_fields(reader)}
    name, n = base, 1
    while name in existing:
        n += 1
        name = f"{base}{n}"
    return name


def _open(data: bytes) -> IncrementalPdfFileWriter:
    try:
        return IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        message = "Không đọc được tệp PDF (tệp bị hỏng hoặc không đúng chuẩn)."
        raise InvalidInput(message, code="invalid_file", errors=[{"field": "file", "message": message}]) from exc


@dataclass(frozen=True)
class _KeyParts:
    """What a signer needs from a loaded credential, in pyHanko's (asn1crypto)
    types: converting costs a DER round trip of key and certificates."""
    loaded: pki.LoadedCredential
    cert: object
    key: object
    chain: tuple


class _LoadedKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner, signing with the key object decrypted once
    (`pki.load`). The stock class re-parses the DER key on every signature,
    which with `cryptography`'s RSA key checks costs ~30 ms, and pyHanko
    signs twice per signature (a dry run sizes the /Contents placeholder). So
    an RSA key signs with the loaded object, and the dry run gets placeholder
    bytes of the exact signature length, as the Signer API allows
    (`async_sign_raw(dry_run=True)`: "placeholder bytes that would suffice to
    contain an actual signature"). Other key types keep pyHanko's code.
    A signer is made per signature (pyHanko may set state on it); only the
    converted key and certificates are kept."""

    def __init__(self, parts: _KeyParts):
        super().__init__(signing_cert=parts.cert, signing_key=parts.key,
                         cert_registry=SimpleCertificateStore.from_certs(parts.chain))
        self._key = parts.loaded.key

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run=False) -> bytes:
        if dry_run and isinstance(self._key, rsa.RSAPrivateKey):
            return bytes((self._key.key_size + 7) // 8)
        return self.sign_raw(data, digest_algorithm)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        if isinstance(self._key, rsa.RSAPrivateKey):
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            try:  # as in SimpleSigner.sign_raw
                name = mechanism.signature_algo
            except ValueError:
                name = mechanism["algorithm"].native
            if name == "rsassa_pkcs1v15":
                return self._key.sign(data, padding.PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
            if name == "rsassa_pss":
                pss_padding, hash_algo = process_pss_params(mechanism["parameters"])
                return self._key.sign(data, pss_padding, hash_algo)
        return super().sign_raw(data, digest_algorithm)


_parts_lock = threading.Lock()
_parts: dict[int, _KeyParts] = {}


def _key_parts(loaded: pki.LoadedCredential) -> _KeyParts:
    """Kept per credential for the process, made again when `pki.load` hands
    out another key for it (its certificate changed). The process already
    keeps the decrypted key (`pki.load`): this adds no exposure."""
    hit = _parts.get(loaded.credential_id)
    if hit is not None and hit.loaded is loaded:
        return hit
    parts = _KeyParts(loaded, loaded.asn1_cert, loaded.asn1_key, tuple(loaded.asn1_chain))
    with _parts_lock:
        _parts[loaded.credential_id] = parts
    return parts


def _simple_signer(loaded: pki.LoadedCredential) -> signers.SimpleSigner:
    return _LoadedKeySigner(_key_parts(loaded))


@dataclass
class _Pass:
    """One signature to add: who signs, where, with which picture."""
    signer: signers.Signer
    field: str
    box: appearance.Box
    stamp: appearance.Stamp
    system_time: datetime.datetime


def _pdf_signer(p: _Pass, *, reason: str, location: str, timestamper) -> _PdfSigner:
    meta = signers.PdfSignatureMetadata(
        field_name=p.field, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None, location=location or None)
    spec = fields.SigFieldSpec(sig_field_name=p.field, on_page=0, box=p.box.as_ints())
    return _PdfSigner(meta, signer=p.signer, timestamper=timestamper, stamp_style=_style(p.stamp),
                      new_field_spec=spec, system_time=p.system_time)


def _agency_name(cred: SigningCredential, agency) -> str:
    return agency.name if agency is not None else cred.label


def _appearance_png(cred: SigningCredential, generate) -> bytes:
    if cred.appearance_png:
        return bytes(cred.appearance_png)
    png = generate()
    SigningCredential.objects.filter(pk=cred.pk).update(appearance_png=png, appearance_generated=True)
    cred.appearance_png = png
    return png


def seal_image(cred: SigningCredential) -> bytes:
    return _appearance_png(cred, lambda: appearance.seal_png(cred.agency.name if cred.agency else cred.label))


def signature_image(cred: SigningCredential) -> bytes:
    return _appearance_png(cred, lambda: appearance.signature_png(cred.label))


def _seal_pass(reader, *, agency, seal_cred, origin, with_person: bool) -> _Pass:
    t = now_vn()
    stamp = appearance.seal_stamp(seal=seal_image(seal_cred), agency_name=_agency_name(seal_cred, agency),
                                      signing_time=t.isoformat(), with_person=with_person)
    return _Pass(_simple_signer(pki.load(seal_cred)), _field_name(reader, "ChuKyCoQuan"),
                 appearance.seal_box(origin, with_person=with_person), stamp, t)


def _person_pass(reader, *, person_name: str, agency_name: str, person_cred, signer, origin) -> _Pass:
    t = now_vn()
    stamp = appearance.person_stamp(signature=signature_image(person_cred), person_name=person_name,
                                        agency_name=agency_name, signing_time=t.isoformat())
    return _Pass(signer, _field_name(reader, "ChuKyCaNhan"), appearance.person_box(origin), stamp, t)


def run_coroutine(coro):
    """Run pyHanko's coroutine to completion from synchronous code. When this
    thread already runs an event loop (an ASGI server, or a test driving a
    browser), the coroutine runs on a fresh loop in a helper thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    import threading

    outcome: dict = {}

    def target():
        try:
            outcome["value"] = asyncio.run(coro)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=target, name="pyhanko-sign")
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


async def _apply(data: bytes | IncrementalPdfFileWriter, p: _Pass, *, reason, location, timestamper) -> bytes:
    writer = data if isinstance(data, IncrementalPdfFileWriter) else _open(data)
    out = io.BytesIO()
    try:
        await _pdf_signer(p, reason=reason, location=location, timestamper=timestamper).async_sign_pdf(
            writer, output=out)
    except SigningError as exc:
        log.warning("signing failed: %s", exc)
        raise SigningFailed(f"Không ký được văn bản: {exc}") from exc
    except Exception as exc:  # the TSA or the remote service failed mid-way
        from pyhanko.sign.timestamps.common_utils import TimestampRequestError

        if isinstance(exc, TimestampRequestError):
            raise SigningFailed("Không lấy được dấu thời gian từ máy chủ dấu thời gian (TSA). "
                                "Vui lòng thử lại sau.") from exc
        raise
    return out.getvalue()


def _check_position(position: str) -> None:
    if position not in POSITIONS:
        raise InvalidInput(f"Vị trí chữ ký phải là một trong: {', '.join(POSITIONS)}.")


# --- signing --------------------------------------------------------------------

def usable_timestamper():
    """The configured TSA client, checked before anything is signed.

    When the TSA cannot be reached the document is signed without a
    time-stamp (PAdES B-B: the signing time is the signer's clock) rather than
    refusing the leader's result, unless TINHSO_TSA_REQUIRED says a time-stamp
    is mandatory; then signing is refused with a clear message and nothing
    changes (the transition has not started). Either way it is logged. The
    check costs nothing more than signing would: pyHanko asks the TSA for a
    sample token anyway, and that sample is cached (tsa.DUMMY_MAX_AGE_SECONDS)."""
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError

    stamper = tsa.timestamper()
    if stamper is None:
        return None
    try:
        run_coroutine(stamper.async_dummy_response("sha256"))
    except (TimestampRequestError, OSError) as exc:
        if getattr(settings, "TINHSO_TSA_REQUIRED", False):
            log.error("time-stamping authority unreachable, signing refused (TINHSO_TSA_REQUIRED): %s", exc)
            raise SigningFailed("Không lấy được dấu thời gian từ máy chủ dấu thời gian (TSA), nên chưa ký được. "
                                "Hồ sơ chưa thay đổi; vui lòng thử lại sau.", code="tsa_unavailable") from exc
        log.warning("time-stamping authority unreachable, signing without a time-stamp (PAdES B-B): %s", exc)
        return None
    return stamper


def sign_pdf_person(pdf_bytes: bytes, *, person, agency, reason: str = "", location: str = "",
                    timestamp: bool = True, position: str = "bottom-right") -> bytes:
    """Only `person`'s signature, with the key the platform holds for them;
    the agency seal comes later (`sign_pdf(..., after_person=True)`), e.g.
    when the clerical office numbers and issues an official document."""
    _require_pdf(pdf_bytes)
    _check_position(position)
    person_cred = pki.credential_for_user(person)
    stamper = usable_timestamper() if timestamp else None
    writer = _open(pdf_bytes)
    origin = appearance.group_origin(*_first_page_size(writer.prev), position)
    p = _person_pass(writer.prev, person_name=person.get_full_name(), agency_name=agency.name,
                     person_cred=person_cred, signer=_simple_signer(pki.load(person_cred)), origin=origin)
    return run_coroutine(_apply(writer, p, reason=reason, location=location, timestamper=stamper))


def sign_pdf(pdf_bytes: bytes, *, agency, person=None, reason: str = "", location: str = "",
             timestamp: bool = True, position: str = "bottom-right", after_person: bool = False) -> bytes:
    """Sign a PDF for `agency` (the seal), preceded by `person`'s signature
    when given. PAdES baseline; B-T (RFC 3161 signature timestamp) when a TSA
    is configured and `timestamp` is true. Visible on page 1 (see
    appearance.py for the layout). `after_person`: the PDF already carries the
    person's signature (signed earlier, locally or remotely); the seal is laid
    out beside it."""
    _require_pdf(pdf_bytes)
    _check_position(position)
    seal_cred = pki.credential_for_agency(agency)
    person_cred = pki.credential_for_user(person) if person is not None else None
    stamper = usable_timestamper() if timestamp else None
    writer = _open(pdf_bytes)  # each pass reads the PDF once: its reader names the field, its writer signs
    origin = appearance.group_origin(*_first_page_size(writer.prev), position)
    if person_cred is not None:
        p = _person_pass(writer.prev, person_name=person.get_full_name(), agency_name=agency.name,
                         person_cred=person_cred, signer=_simple_signer(pki.load(person_cred)), origin=origin)
        writer = _open(run_coroutine(_apply(writer, p, reason=reason, location=location, timestamper=stamper)))
    p = _seal_pass(writer.prev, agency=agency, seal_cred=seal_cred, origin=origin,
                   with_person=person_cred is not None or after_person)
    return run_coroutine(_apply(writer, p, reason=reason, location=location, timestamper=stamper))


def sign_pdf_remote(pdf_bytes: bytes, *, user, otp: str, password: str | None = None, agency=None,
                    reason: str = "", location: str = "", timestamp: bool = True,
                    position: str = "bottom-right", seal: bool = False) -> bytes:
    """The person's signature made by a remote signing service (CSC API v1):
    the key never leaves the service; the user authorises with an OTP sent by
    `request_remote_otp`. With `seal=True` the agency seal (local credential)
    is added after it."""
    from tinhso.signatures import csc

    _require_pdf(pdf_bytes)
    _check_position(position)
    agency = agency or pki.user_agency(user)
    if seal and agency is None:
        raise InvalidInput("Cán bộ chưa thuộc cơ quan nào nên không thể đóng dấu cơ quan.")
    stamper = usable_timestamper() if timestamp else None
    reader = _open(pdf_bytes).prev
    origin = appearance.group_origin(*_first_page_size(reader), position)
    agency_name = agency.name if agency else ""

    # Everything that touches the database happens here, before the event
    # loop: inside it Django hands out a separate connection.
    person_cred = pki.credential_for_user(user) if pki.demo_enabled() else None
    sig_png = signature_image(person_cred) if person_cred else appearance.signature_png(user.get_full_name())
    field = _field_name(reader, "ChuKyCaNhan")
    otp = csc.check_otp_format(otp)
    session_args = {"user_name": user.get_username(), "password": password, "otp": otp}

    async def remote():
        async with csc.RemoteSigningSession(**session_args) as remote_session:
            t = now_vn()
            stamp = appearance.person_stamp(signature=sig_png, person_name=user.get_full_name(),
                                                agency_name=agency_name, signing_time=t.isoformat())
            p = _Pass(remote_session.signer, field, appearance.person_box(origin), stamp, t)
            return await _apply(pdf_bytes, p, reason=reason, location=location, timestamper=stamper)

    data = run_coroutine(remote())
    if seal:
        seal_cred = pki.credential_for_agency(agency)
        p = _seal_pass(_open(data).prev, agency=agency, seal_cred=seal_cred, origin=origin, with_person=True)
        data = run_coroutine(_apply(data, p, reason=reason, location=location, timestamper=stamper))
    return data


# --- verification -------------------------------------------------------------

COVERAGE_TEXT = {
    "ENTIRE_FILE": "Chữ ký bao trùm toàn bộ tệp: tệp chưa bị thay đổi sau khi ký.",
    "ENTIRE_REVISION": "Chữ ký bao trùm một phiên bản của tệp; sau đó tệp có thêm cập nhật.",
    "CONTIGUOUS_BLOCK_FROM_START": "Chữ ký chỉ bao trùm một phần đầu tệp.",
    "UNCLEAR": "Không xác định được phạm vi chữ ký.",
}
MODIFICATION_TEXT = {
    "NONE": "không có thay đổi",
    "LTA_UPDATES": "chỉ bổ sung dữ liệu kiểm tra dài hạn (dấu thời gian, thông tin thu hồi)",
    "FORM_FILLING": "chỉ thêm chữ ký hoặc điền biểu mẫu (được phép)",
    "ANNOTATIONS": "thêm ghi chú (annotation)",
    "OTHER": "thay đổi nội dung",
}
VERDICT_TEXT = {
    "valid": "Văn bản có chữ ký số hợp lệ, chưa bị thay đổi sau khi ký, chứng thư được tin cậy.",
    "untrusted": "Chữ ký còn nguyên vẹn nhưng chứng thư số KHÔNG thuộc tổ chức chứng thực được tin cậy.",
    "invalid": "Chữ ký số KHÔNG hợp lệ hoặc văn bản đã bị thay đổi sau khi ký.",
    "unsigned": "Văn bản không có chữ ký số.",
}


def _dt(value) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value.astimezone(VN_TZ).replace(microsecond=0).isoformat()


def _subject(cert) -> dict:
    native = cert.subject.native
    return {
        "common_name": native.get("common_name", ""),
        "organization": native.get("organization_name", ""),
        "organization_identifier": native.get("organization_identifier", ""),
        "text": cert.subject.human_friendly,
    }


def validation_context():
    from pyhanko_certvalidator import ValidationContext

    fetch = bool(getattr(settings, "TINHSO_VERIFY_FETCH_REVOCATION", False))
    return ValidationContext(trust_roots=pki.trusted_roots(), allow_fetching=fetch, revocation_mode="soft-fail")


def _aware(value):
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value


def _registry_revocation(cert, ts, registered_at) -> tuple[str, str, datetime.datetime | None]:
    """Revocation as this platform's own register records it (the
    directory's revoke sets `SigningCredential.revoked_at`), judged at the
    moment the signature is proven to have existed, as PAdES does: the time of
    a trusted, intact signature time-stamp, else the time the platform
    registered this very file as issued (`SignedDocument`). The signer's
    own claimed time proves nothing: a revoked key could write any. Returns
    (state, message, revoked_at): state "" (not revoked, or not ours),
    "revoked" (revoked before the proven time, or no proof) or
    "revoked_after_signing" (the signature keeps its value)."""
    fingerprint = cert.sha256.hex()
    revoked_at = (SigningCredential.objects.filter(fingerprint=fingerprint, revoked_at__isnull=False)
                  .values_list("revoked_at", flat=True).first())
    if revoked_at is None:
        return "", "", None
    proofs = []
    if ts is not None and ts.intact and ts.valid and ts.trusted and ts.timestamp is not None:
        proofs.append(_aware(ts.timestamp))
    if registered_at is not None:
        proofs.append(registered_at)
    when = _dt(revoked_at)
    if not proofs:
        return "revoked", (f"Chữ ký không hợp lệ: chứng thư số đã bị thu hồi (lúc {when}) và chữ ký không có dấu thời "
                           "gian tin cậy nên không chứng minh được đã ký trước khi thu hồi."), revoked_at
    proven = min(proofs)
    if revoked_at <= proven:
        return "revoked", (f"Chữ ký không hợp lệ: chứng thư số đã bị thu hồi lúc {when}, trước thời điểm ký "
                           f"({_dt(proven)})."), revoked_at
    return "revoked_after_signing", (f"Chứng thư số bị thu hồi lúc {when}, sau thời điểm ký ({_dt(proven)}): "
                                     "chữ ký này vẫn có giá trị."), revoked_at


def _one(embedded, vc_factory, registered_at=None) -> dict:
    from pyhanko.sign.validation import async_validate_pdf_signature

    # The async API through run_coroutine: pyHanko's sync wrapper calls
    # asyncio.run, which fails where an event loop already runs (ASGI, tests).
    status = run_coroutine(async_validate_pdf_signature(embedded, signer_validation_context=vc_factory(),
                                                        ts_validation_context=vc_factory()))
    cert = status.signing_cert
    coverage = status.coverage.name if status.coverage is not None else "UNCLEAR"
    level = status.modification_level.name if status.modification_level is not None else None
    intact = bool(status.intact and status.valid)
    modified = coverage != "ENTIRE_FILE" and level not in (None, "NONE", "LTA_UPDATES", "FORM_FILLING")
    docmdp_ok = status.docmdp_ok is not False
    ts = status.timestamp_validity
    register_state, register_message, revoked_at = _registry_revocation(cert, ts, registered_at)
    if status.revoked or register_state == "revoked":
        trust = "revoked"
    elif status.trusted:
        trust = "trusted"
    else:
        trust = "untrusted"
    timestamp = None
    if ts is not None:
        timestamp = {"time": _dt(ts.timestamp), "authority": ts.signing_cert.subject.human_friendly,
                     "intact": bool(ts.intact and ts.valid), "trusted": bool(ts.trusted)}
    if not intact:
        verdict, message = "invalid", "Chữ ký không khớp với nội dung: văn bản đã bị thay đổi sau khi ký."
    elif modified or not docmdp_ok:
        verdict, message = "invalid", "Văn bản đã bị sửa đổi sau khi ký (ngoài các thay đổi được phép)."
    elif trust == "revoked":
        verdict, message = "invalid", register_message or "Chứng thư số của người ký đã bị thu hồi."
    elif trust != "trusted":
        verdict, message = "untrusted", ("Chữ ký nguyên vẹn nhưng chứng thư số không dẫn về chứng thư gốc "
                                         "được tin cậy.")
    else:
        verdict, message = "valid", "Chữ ký hợp lệ."
    if status.revoked or register_state == "revoked":
        revocation = "revoked"
    elif register_state:
        revocation = register_state
        message = f"{message} {register_message}"
    elif getattr(settings, "TINHSO_VERIFY_FETCH_REVOCATION", False):
        revocation = "checked"
    else:
        revocation = "not_checked"
    return {
        "field": embedded.field_name,
        "signer": _subject(cert),
        "issuer": cert.issuer.human_friendly,
        "serial": format(cert.serial_number, "x"),
        "certificate_valid_from": _dt(cert.not_valid_before),
        "certificate_valid_to": _dt(cert.not_valid_after),
        "signing_time": _dt(status.signer_reported_dt),
        "timestamp": timestamp,
        "intact": intact,
        "coverage": coverage.lower(),
        "covers_whole_file": coverage == "ENTIRE_FILE",
        "coverage_text": COVERAGE_TEXT.get(coverage, ""),
        "modification": level.lower() if level else None,
        "modification_text": MODIFICATION_TEXT.get(level, "") if level else "",
        "trust": trust,
        "revocation": revocation,
        "revoked_at": _dt(revoked_at),
        "verdict": verdict,
        "message": message,
    }


def verify_pdf(pdf_bytes: bytes) -> dict:
    """A report on every signature in the PDF and an overall verdict
    ("valid", "untrusted", "invalid", "unsigned"). Raises InvalidInput only
    for something that is not a PDF; a damaged signed PDF is reported invalid."""
    _require_pdf(pdf_bytes)
    report = {"sha256": hashlib.sha256(pdf_bytes).hexdigest(), "size": len(pdf_bytes), "signatures": []}
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        log.info("verify: unreadable PDF: %s", exc)
        report.update(verdict="invalid", signature_count=0,
                      verdict_text="Không đọc được tệp PDF: tệp bị hỏng hoặc đã bị sửa đổi.")
        return report
    registered_at = (SignedDocument.objects.filter(sha256=report["sha256"]).order_by("created_at")
                     .values_list("created_at", flat=True).first()) if embedded else None
    for sig in embedded:
        try:
            report["signatures"].append(_one(sig, validation_context, registered_at))
        except Exception as exc:  # a malformed signature is a finding, never a 500
            log.info("verify: signature %s unreadable: %s", getattr(sig, "field_name", "?"), exc)
            report["signatures"].append({
                "field": getattr(sig, "field_name", ""), "verdict": "invalid", "intact": False, "trust": "unknown",
                "message": "Không đọc được chữ ký (dữ liệu chữ ký bị hỏng hoặc không đúng chuẩn).",
                "signer": {"common_name": "", "organization": "", "organization_identifier": "", "text": ""},
                "issuer": "", "serial": "", "signing_time": None, "timestamp": None, "coverage": "unclear",
                "covers_whole_file": False, "coverage_text": "", "modification": None, "modification_text": "",
                "revocation": "not_checked", "revoked_at": None, "certificate_valid_from": None,
                "certificate_valid_to": None,
            })
    verdicts = [s["verdict"] for s in report["signatures"]]
    if not verdicts:
        verdict = "unsigned"
    elif "invalid" in verdicts:
        verdict = "invalid"
    elif "untrusted" in verdicts:
        verdict = "untrusted"
    else:
        verdict = "valid"
    report.update(verdict=verdict, verdict_text=VERDICT_TEXT[verdict], signature_count=len(verdicts))
    if verdict == "invalid":
        from tinhso.core import security

        security.emit("signature_invalid", detail={"sha256": report["sha256"], "messages": [
            s.get("message", "") for s in report["signatures"] if s.get("verdict") == "invalid"][:5]})
    return report


# --- the registry of issued documents -------------------------------------------

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _new_code() -> str:
    return "VB" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def register_signed_document(pdf_bytes: bytes, kind: str, code: str | None = None, *, actor=None) -> SignedDocument:
    """Keep an issued, signed PDF so that /xac-thuc/?ma=<code> can verify it."""
    _require_pdf(pdf_bytes)
    digest = hashlib.sha256(pdf_bytes).hexdigest()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                doc = SignedDocument.objects.create(code=code or _new_code(), kind=kind[:40], sha256=digest,
                                                    pdf=pdf_bytes, size=len(pdf_bytes))
                record(actor=actor, action="signatures.document_registered", obj=doc,
                       changes={"kind": kind, "sha256": digest})
                return doc
        except IntegrityError:
            if code:
                raise InvalidInput(f"Mã văn bản “{code}” đã tồn tại.", code="duplicate_code")
    raise IntegrityError("could not allocate a unique document code")


def verification_url(document: SignedDocument | str) -> str:
    code = document.code if isinstance(document, SignedDocument) else document
    return settings.TINHSO_BASE_URL.rstrip("/") + reverse("signatures:verify") + f"?ma={code}"


