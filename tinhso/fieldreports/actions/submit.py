"""A new report: from the portal, a phone, the centre's hotline, the API or
Open311. Everything is checked before anything is written; a retried
submission (same key) returns the first report."""

from __future__ import annotations

import datetime
import hashlib
import math
import re
import secrets

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from tinhso.addresses.recognition import recognise
from tinhso.core.counters import next_value
from tinhso.core.errors import InvalidInput, PermissionDenied, TooManyAttempts
from tinhso.core.security import rate_limited
from tinhso.fieldreports import geo, policies
from tinhso.fieldreports.actions.common import (
    clean_text, enter_stage, is_centre, log, save, tell_citizens, tell_staff,
)
from tinhso.fieldreports.media import check_media, kind_of, public_copy
from tinhso.fieldreports.models import (
    Channel, FieldReport, PhoneConfirmation, ReportCategory, ReportCounter, ReportFollower, ReportMedia, Status,
)
from tinhso.fieldreports.models.category import in_force
from tinhso.fieldreports.people import centre_staff
from tinhso.units.models import AdministrativeUnit

MAX_MEDIA = 5
PHONE = re.compile(r"^(?:\+?84|0)(?:3|5|7|8|9)\d{8}$")
CODE_MINUTES = 10
CODE_TRIES = 5


def normalise_phone(raw: str) -> str:
    digits = re.sub(r"[\s.\-()]", "", raw or "")
    if not PHONE.match(digits):
        raise InvalidInput("Số điện thoại di động không hợp lệ (ví dụ 0912345678).", code="invalid_phone",
                           errors=[{"field": "phone", "message": "Số điện thoại không hợp lệ."}])
    return "0" + digits[-9:]


def categories_in_force(day: datetime.date | None = None):
    return in_force(ReportCategory.objects.all(), day or timezone.localdate())


def communes():
    """Today's communes (the 2025 units) of the province this installation
    serves: the province of the top agency (UBND tỉnh/thành phố)."""
    from tinhso.agencies.models import Agency

    qs = AdministrativeUnit.objects.filter(level="commune", valid_to__isnull=True)
    provinces = Agency.objects.filter(parent__isnull=True, unit__level="province").values("unit_id")
    if provinces.exists():
        qs = qs.filter(parent_id__in=provinces)
    return qs.order_by("name")


def commune_from_address(address: str, errors: list):
    """No pin and no commune chosen: the commune read from the address
    (`addresses.recognition`, old or new form) when sure and in the province;
    otherwise the communes it may be are named in the error."""
    found = recognise(address)
    ours = communes()
    if found.accepted and (unit := ours.filter(pk=found.unit.pk).first()) is not None:
        return unit
    maybe = list(ours.filter(pk__in=[c.unit.pk for c in found.candidates]).values_list("name", flat=True))
    if maybe:
        errors.append({"field": "unit", "message": "Chọn xã, phường nơi xảy ra sự việc (theo địa chỉ, có thể là: "
                                                   f"{', '.join(maybe)})."})
    return None


def check_location(lat, lng, address: str, unit, errors: list, at) -> tuple[float | None, float | None]:
    if unit is None and not any(e["field"] == "unit" for e in errors):
        errors.append({"field": "unit", "message": "Chọn xã, phường nơi xảy ra sự việc."})
    if lat in (None, "") and lng in (None, ""):
        if not address:
            errors.append({"field": "location", "message": "Chọn vị trí trên bản đồ hoặc nhập địa chỉ cụ thể."})
        return None, None
    try:
        lat, lng = float(lat), float(lng)
    except (TypeError, ValueError):
        errors.append({"field": "location", "message": "Tọa độ không hợp lệ."})
        return None, None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        errors.append({"field": "location", "message": "Tọa độ không hợp lệ."})
    elif not geo.inside(lat, lng, policies.service_area(at)):
        errors.append({"field": "location", "message": "Vị trí nằm ngoài địa bàn tỉnh; hệ thống chỉ tiếp nhận phản ánh "
                                                        "trong địa bàn."})
    return lat, lng


@transaction.atomic
def submit_report(*, acting_user, category_code: str, description: str, unit_id, lat=None, lng=None,
                  address: str = "", files=(), channel: str = Channel.WEB, hide_location: bool = False,
                  anonymous: bool = False, reporter_name: str = "", reporter_phone: str = "",
                  reporter_email: str = "", phone_confirmed: bool = False, attributes: dict | None = None,
                  submit_key: str | None = None, client=None, at: datetime.datetime | None = None) -> FieldReport:
    """`acting_user`: the signed-in citizen, or centre staff taking a call
    (channel "phone"); None with `phone_confirmed` (a one-time code was
    checked) or with `client` (an Open311 system whose key was checked)."""
    at = at or timezone.now()
    if submit_key:
        earlier = FieldReport.objects.filter(submit_key=submit_key).first()
        if earlier is not None:
            return earlier
    citizen = acting_user if getattr(acting_user, "is_citizen", False) else None
    staff = acting_user if acting_user is not None and citizen is None else None
    if staff is not None and not is_centre(staff):
        raise PermissionDenied("Chỉ cán bộ Trung tâm điều hành được ghi nhận phản ánh qua điện thoại.",
                               code="centre_only")
    if acting_user is None and client is None and not phone_confirmed:
        raise PermissionDenied("Đăng nhập bằng định danh điện tử hoặc xác nhận số điện thoại để gửi phản ánh.",
                               code="identity_required")
    errors: list[dict] = []
    category = categories_in_force(timezone.localdate(at)).filter(code=(category_code or "").strip()).first()
    if category is None:
        errors.append({"field": "category", "message": "Chọn lĩnh vực phản ánh."})
    try:
        description = clean_text(description, "description", "nội dung phản ánh")
    except InvalidInput as exc:
        errors.extend(exc.errors)
    address = (address or "").strip()[:300]
    unit = communes().filter(pk=unit_id).first() if str(unit_id or "").isdecimal() else None
    if unit is None and unit_id:
        errors.append({"field": "unit", "message": "Xã, phường không thuộc địa bàn tỉnh (dùng đơn vị hành chính hiện "
                                                   "hành)."})
    from_address = unit is None and not unit_id and lat in (None, "") and lng in (None, "") and bool(address)
    if from_address:
        unit = commune_from_address(address, errors)
    lat, lng = check_location(lat, lng, address, unit, errors, at)
    checked = []
    if len(files) > MAX_MEDIA:
        errors.append({"field": "photos", "message": f"Gửi tối đa {MAX_MEDIA} ảnh hoặc video."})
    for upload in files:
        try:
            checked.append(upload if hasattr(upload, "sha256") else check_media(upload))
        except InvalidInput as exc:
            errors.extend(exc.errors)
    attributes = _check_attributes(category, attributes or {}, errors) if category else {}
    if staff is not None and not (reporter_phone or reporter_name):
        errors.append({"field": "reporter_name", "message": "Ghi họ tên hoặc số điện thoại người gọi đến."})
    if reporter_phone:
        try:
            reporter_phone = normalise_phone(reporter_phone)
        except InvalidInput as exc:
            errors.extend(exc.errors)
    if errors:
        raise InvalidInput(errors[0]["message"] if len(errors) == 1 else "Phản ánh chưa gửi được; xem các lỗi bên dưới.",
                           code="invalid_report", errors=errors)

    number = next_value(ReportCounter, {"day": timezone.localdate(at)})
    report = FieldReport(
        code=f"PA-{timezone.localdate(at):%y%m%d}-{number:04d}", category=category, description=description,
        lat=lat, lng=lng, unit=unit, address=address, hide_location=hide_location, anonymous=anonymous,
        attributes=attributes, reporter=citizen, reporter_name=(reporter_name or (citizen.get_full_name()
                                                                                  if citizen else ""))[:200],
        reporter_phone=reporter_phone, reporter_email=(reporter_email or "")[:254], channel=channel,
        taken_by=staff, client=client, submit_key=submit_key, status=Status.NEW, created_at=at)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # the same submission raced in twice: the first one wins
        earlier = FieldReport.objects.filter(submit_key=submit_key).first() if submit_key else None
        if earlier is None:
            raise
        return earlier
    enter_stage(report, "confirm", at)
    save(report)
    _store_files(report, checked, role="report", user=acting_user)
    if citizen is not None or reporter_phone or reporter_email:
        ReportFollower.objects.create(report=report, user=citizen, phone=reporter_phone if not citizen else "",
                                      email="")
    event = log(report, "submit", Status.NEW, actor=acting_user, at=at, from_status="",
                note="", data={"channel": channel, **({"unit_from_address": True} if from_address else {})})
    tell_staff(centre_staff(), report, "fieldreport.new", f"Phản ánh mới: {report.code}",
               f"{category.name} · {unit.name}")
    tell_citizens(report, event, "fr_received")
    return report


def _store_files(report, checked, *, role: str, user, event=None) -> list[ReportMedia]:
    rows = []
    for item in checked:
        kind = kind_of(item.content_type)
        media = ReportMedia(report=report, role=role, kind=kind, original_name=item.name,
                            content_type=item.content_type, size=len(item.data), sha256=item.sha256,
                            uploaded_by=user if getattr(user, "is_authenticated", False) else None,
                            withheld=kind == "video")  # a video is shown once staff have watched it
        media.file.save(item.name, item.content(), save=False)
        if kind == "photo":
            media.public_file.save("public.jpg", public_copy(item), save=False)
        media.save()
        rows.append(media)
    return rows


def _check_attributes(category, given: dict, errors: list) -> dict:
    out = {}
    for attribute in category.attributes.all():
        raw = given.get(attribute.code)
        if raw in (None, "", []):
            if attribute.required:
                errors.append({"field": f"attribute[{attribute.code}]", "message": f"Trả lời: {attribute.label}."})
            continue
        keys = {v.get("key") for v in attribute.values or []}
        values = raw if isinstance(raw, list) else [raw]
        if attribute.datatype in ("singlevaluelist", "multivaluelist") and any(str(v) not in keys for v in values):
            errors.append({"field": f"attribute[{attribute.code}]",
                           "message": f"Giá trị không có trong danh sách: {attribute.label}."})
            continue
        if attribute.datatype == "number":
            try:
                if not math.isfinite(float(values[0])):  # "nan", "inf" are not a number a person means
                    raise ValueError
            except (TypeError, ValueError):
                errors.append({"field": f"attribute[{attribute.code}]", "message": f"Phải là số: {attribute.label}."})
                continue
        out[attribute.code] = [str(v)[:500] for v in values] if attribute.datatype == "multivaluelist" \
            else str(values[0])[:2000]
    return out


def _code_hash(phone: str, code: str) -> str:
    return hashlib.sha256(f"{phone}:{code}".encode()).hexdigest()


def send_phone_code(*, phone: str, at=None, address: str = "") -> PhoneConfirmation:
    """A 6-digit code by SMS to a reporter who does not sign in; at most one
    new code a minute per number. A refused resend is a security event
    (`api_limited`, limiter `fieldreports.phone_code`, from the client
    `address` the caller passes; no phone number in it), recorded after the
    refused transaction has rolled back so that it stays."""
    try:
        return _send_phone_code(phone=phone, at=at)
    except TooManyAttempts:
        rate_limited("fieldreports.phone_code", address=address, window_seconds=60)
        raise


@transaction.atomic
def _send_phone_code(*, phone: str, at=None) -> PhoneConfirmation:
    from tinhso.notifications.citizen import queue_messages
    from tinhso.notifications.models import Channel as MessageChannel
    from tinhso.notifications.tasks import deliver_citizen_messages

    at = at or timezone.now()
    phone = normalise_phone(phone)
    recent = PhoneConfirmation.objects.filter(phone=phone, created_at__gte=at - datetime.timedelta(minutes=1))
    if recent.exists():
        raise TooManyAttempts("Mã vừa được gửi; vui lòng đợi một phút rồi gửi lại.", code="code_recently_sent")
    code = f"{secrets.randbelow(10**6):06d}"
    row = PhoneConfirmation.objects.create(phone=phone, code_hash=_code_hash(phone, code),
                                           expires_at=at + datetime.timedelta(minutes=CODE_MINUTES))
    queued = queue_messages("phone_code", [(MessageChannel.SMS, phone)], {"ma_xac_nhan": code, "phut": CODE_MINUTES},
                            f"otp:{row.pk}")
    ids = [m.pk for m in queued]
    transaction.on_commit(lambda: deliver_citizen_messages(ids) if ids else None)
    return row


def confirm_phone(*, phone: str, code: str, at=None) -> PhoneConfirmation:
    """Check a code; a wrong one counts as a try (kept even though the call
    fails), and after 5 the code is dead."""
    at = at or timezone.now()
    phone = normalise_phone(phone)
    row = (PhoneConfirmation.objects.filter(phone=phone, used_at__isnull=True, expires_at__gt=at)
           .order_by("-created_at").first())
    bad = InvalidInput("Mã xác nhận không đúng hoặc đã hết hạn; bấm “Gửi mã” để nhận mã mới.", code="invalid_code",
                       errors=[{"field": "code", "message": "Mã xác nhận không đúng hoặc đã hết hạn."}])
    if row is None or row.attempts >= CODE_TRIES:
        raise bad
    if not secrets.compare_digest(row.code_hash, _code_hash(phone, (code or "").strip())):
        PhoneConfirmation.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
        raise bad
    if not PhoneConfirmation.objects.filter(pk=row.pk, used_at__isnull=True).update(confirmed_at=at, used_at=at):
        raise bad
    return row
