"""A service request posted over Open311: the spec's fields read into a
report (the commune from `attribute[xa_phuong]` or named in
`address_string`, the attributes, the photo in `media`), refused as a replay
when the same client sent the same body within a day (a unique row, so two
copies arriving together make one report)."""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from tinhso.core.errors import InvalidInput
from tinhso.core.text import fold
from tinhso.fieldreports.actions.submit import categories_in_force, communes, submit_report
from tinhso.fieldreports.media import check_media
from tinhso.fieldreports.models import Channel, ReplayGuard

COMMUNE_ATTRIBUTE = "xa_phuong"
REPLAY_HOURS = 24


def _bad(message: str, code: str = "invalid_request") -> InvalidInput:
    return InvalidInput(message, code=code)


def commune_of(post) -> str | None:
    raw = (post.get(f"attribute[{COMMUNE_ATTRIBUTE}]") or "").strip()
    if raw:
        return raw
    address = fold(post.get("address_string") or "")
    if not address:
        return None
    found = sorted((u for u in communes() if fold(u.name) in address), key=lambda u: -len(u.name))
    return str(found[0].pk) if found else None  # "Vị Thanh 1" before "Vị Thanh": the longest name wins


def attributes_of(post) -> dict:
    out = {}
    for name in post:
        if name.startswith("attribute[") and name.endswith("][]"):  # multivaluelist: attribute[code][]=…
            out[name[10:-3]] = post.getlist(name)
        elif name.startswith("attribute[") and name.endswith("]") and name != f"attribute[{COMMUNE_ATTRIBUTE}]":
            out[name[10:-1]] = post.get(name)
    return out


def _email(raw: str) -> str:
    raw = (raw or "").strip()
    if raw:
        try:
            validate_email(raw)
        except ValidationError:
            raise _bad("email không hợp lệ.", "bad_email") from None
    return raw


@transaction.atomic
def submit_request(*, client, post, media=(), digest: str):
    """Returns (report, token). Raises InvalidInput with the Open311 message."""
    code = (post.get("service_code") or "").strip()
    if not code:
        raise _bad("Thiếu service_code.")
    if not categories_in_force().filter(code=code).exists():
        raise _bad(f"service_code “{code}” không tồn tại.", "unknown_service")
    if not (post.get("lat") and post.get("long")) and not post.get("address_string"):
        raise _bad("Thiếu vị trí: gửi lat và long, hoặc address_string (address_id chưa được hỗ trợ).")
    unit = commune_of(post)
    if unit is None:
        raise _bad(f"Thiếu xã, phường: gửi attribute[{COMMUNE_ATTRIBUTE}] (xem services/{code}) hoặc ghi rõ tên xã, "
                   "phường trong address_string.")
    ReplayGuard.objects.filter(created_at__lt=timezone.now() - datetime.timedelta(hours=REPLAY_HOURS)).delete()
    try:
        with transaction.atomic():
            guard = ReplayGuard.objects.create(client=client, digest=digest)
    except IntegrityError:
        raise _bad("Yêu cầu lặp lại: nội dung này đã được gửi trong 24 giờ qua; không tạo yêu cầu mới. Dùng GET "
                   "requests để xem yêu cầu đã gửi.", "replay") from None
    files = [check_media(f, "media") for f in media]
    name = " ".join(p for p in (post.get("first_name", "").strip(), post.get("last_name", "").strip()) if p)
    token = uuid.uuid4().hex
    report = submit_report(
        acting_user=None, client=client, category_code=code, description=post.get("description", ""), unit_id=unit,
        lat=post.get("lat") or None, lng=post.get("long") or None, address=post.get("address_string", ""),
        files=files, channel=Channel.API, reporter_name=name, reporter_phone=post.get("phone", ""),
        reporter_email=_email(post.get("email", "")), attributes=attributes_of(post), submit_key=f"open311:{token}")
    guard.report = report
    guard.save(update_fields=["report"])
    return report, token
