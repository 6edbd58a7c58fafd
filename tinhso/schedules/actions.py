"""State changes of leaders' work schedules. Who edits an agency's schedule:
its leader (lãnh đạo đơn vị) or clerical office (văn thư), held in the agency
or above it, or the clerical office of the agency's own office (văn phòng,
a child of kind "office"); and the system administrator."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import has_role, require_role
from tinhso.agencies.models import Agency, AgencyKind
from tinhso.audit.actions import record
from tinhso.core.errors import InvalidInput, NotFound, field_error, is_pk
from tinhso.schedules import weeks
from tinhso.schedules.models import ScheduleEntry, WeekPublication

ROLES = (Role.LEADER, Role.CLERICAL_OFFICE, Role.SYSTEM_ADMIN)
FIELDS = {"start": "thời gian bắt đầu", "end": "thời gian kết thúc", "place": "địa điểm", "content": "nội dung",
          "leaders": "lãnh đạo dự", "participants": "thành phần", "host_unit": "đơn vị chủ trì"}


def may_edit(user, agency: Agency) -> bool:
    if has_role(user, ROLES, agency):
        return True
    offices = Agency.objects.filter(parent=agency, kind=AgencyKind.OFFICE, is_active=True)
    return any(has_role(user, Role.CLERICAL_OFFICE, office) for office in offices)


def _require(user, agency: Agency) -> None:
    if user is not None and not may_edit(user, agency):
        require_role(user, ROLES, agency)  # raises with the usual message


def _agency(agency_id) -> Agency:
    agency = Agency.objects.filter(pk=agency_id, is_active=True).first() if is_pk(agency_id) else None
    if agency is None:
        raise field_error("agency", "Chọn cơ quan.", "invalid_agency")
    return agency


def _text(value, field, limit, required=False) -> str:
    value = str(value or "").strip()
    if field != "content":
        value = " ".join(value.split())
    label = FIELDS[field]
    if required and not value:
        raise field_error(field, f"Cần nhập {label}.")
    if len(value) > limit:
        raise field_error(field, f"{label[0].upper() + label[1:]} dài quá {limit} ký tự.")
    return value


def _moment(value, field, required) -> datetime.datetime | None:
    if value in (None, ""):
        if required:
            raise field_error(field, f"Cần nhập {FIELDS[field]}.")
        return None
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value.strip())
        except ValueError:
            raise field_error(field, f"{FIELDS[field].capitalize()} không đúng dạng (YYYY-MM-DD HH:MM).") from None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _published(agency: Agency, start: datetime.datetime) -> bool:
    week = weeks.monday(timezone.localtime(start).date())
    return WeekPublication.objects.filter(agency=agency, week_start=week).exists()


@transaction.atomic
def save_entry(*, acting_user, agency_id, start, content, leaders, end=None, place="", participants="",
               host_unit="", entry_id=None) -> ScheduleEntry:
    """Add an entry, or edit one (`entry_id`). Editing an entry of a published
    week raises its iCalendar sequence and marks it changed, naming the fields."""
    agency = _agency(agency_id)
    _require(acting_user, agency)
    values = {"start": _moment(start, "start", True), "end": _moment(end, "end", False),
              "place": _text(place, "place", 300), "content": _text(content, "content", 2000, True),
              "leaders": _text(leaders, "leaders", 300, True),
              "participants": _text(participants, "participants", 500),
              "host_unit": _text(host_unit, "host_unit", 300)}
    if values["end"] is not None and values["end"] <= values["start"]:
        raise field_error("end", "Thời gian kết thúc phải sau thời gian bắt đầu.")
    if values["end"] is not None and values["end"] - values["start"] > datetime.timedelta(days=7):
        raise field_error("end", "Một mục lịch không kéo dài quá 7 ngày.")
    now = timezone.now()
    if entry_id is None:
        entry = ScheduleEntry(agency=agency, created_by=acting_user if acting_user else None, **values)
        if _published(agency, entry.start):
            entry.changed_at, entry.change_note = now, "Bổ sung sau khi công bố lịch"
        entry.save()
        record(actor=acting_user, action="schedules.entry.created", obj=entry,
               changes={k: str(v) for k, v in values.items() if v})
        return entry
    entry = ScheduleEntry.objects.select_for_update().filter(pk=entry_id, agency=agency).first()
    if entry is None:
        raise NotFound("Không tìm thấy mục lịch.", code="entry_not_found")
    if entry.is_cancelled:
        raise InvalidInput("Mục lịch đã hủy, không sửa được.", code="entry_cancelled")
    changed = {k: (str(getattr(entry, k) or ""), str(v or "")) for k, v in values.items() if getattr(entry, k) != v}
    if not changed:
        return entry
    was_public = _published(agency, entry.start) or _published(agency, values["start"])
    for key, value in values.items():
        setattr(entry, key, value)
    if was_public:
        entry.sequence += 1
        entry.changed_at = now
        entry.change_note = ("Thay đổi " + ", ".join(FIELDS[k] for k in changed))[:500]
    entry.save()
    record(actor=acting_user, action="schedules.entry.changed", obj=entry, changes=changed)
    return entry


@transaction.atomic
def cancel_entry(*, acting_user, entry_id, reason="") -> ScheduleEntry:
    entry = ScheduleEntry.objects.select_for_update().select_related("agency").filter(
        pk=entry_id if is_pk(entry_id) else None).first()
    if entry is None:
        raise NotFound("Không tìm thấy mục lịch.", code="entry_not_found")
    _require(acting_user, entry.agency)
    if entry.is_cancelled:
        raise InvalidInput("Mục lịch đã hủy trước đó.", code="entry_cancelled")
    entry.cancelled_at = timezone.now()
    entry.cancel_reason = " ".join(str(reason or "").split())[:300]
    entry.sequence += 1
    entry.save(update_fields=["cancelled_at", "cancel_reason", "sequence", "updated_at"])
    record(actor=acting_user, action="schedules.entry.cancelled", obj=entry, note=entry.cancel_reason)
    return entry


@transaction.atomic
def publish_week(*, acting_user, agency_id, week) -> WeekPublication:
    """Publish the agency's schedule of a week (idempotent: publishing again
    keeps the first publication)."""
    agency = _agency(agency_id)
    _require(acting_user, agency)
    week_start = weeks.parse(week)
    start, end = weeks.bounds(week_start)
    if not ScheduleEntry.objects.filter(agency=agency, start__gte=start, start__lt=end).exists():
        raise InvalidInput("Tuần này chưa có mục lịch nào để công bố.", code="empty_week")
    publication, created = WeekPublication.objects.get_or_create(
        agency=agency, week_start=week_start,
        defaults={"published_at": timezone.now(), "published_by": acting_user if acting_user else None})
    if created:
        record(actor=acting_user, action="schedules.week.published", obj=publication,
               changes={"agency": agency.code, "week": weeks.label(week_start)})
    return publication
