"""State changes of the working calendar. Each function is one transition:
atomic, restricted to system administrators, audited, and it bumps the
calendar revision in the same transaction so every app server rebuilds its
cached engine."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import require_role
from tinhso.audit.actions import diff, record
from tinhso.core.errors import Conflict, InvalidInput, NotFound
from tinhso.workcalendar import engine, lunar
from tinhso.workcalendar.models import CalendarDay, CalendarRevision, DayKind, WorkSchedule

MIN_YEAR, MAX_YEAR = 1900, 2199
DAY_FIELDS = ["date", "kind", "name", "source", "confirmed"]
SCHEDULE_FIELDS = ["valid_from", "morning_start", "morning_end", "afternoon_start", "afternoon_end", "weekdays",
                   "source"]


def _changed() -> None:
    """Calendar data changed: new revision token (same transaction), and this
    process re-reads it at once; after commit, every thread here does too."""
    CalendarRevision.bump()
    engine.invalidate_local()
    transaction.on_commit(engine.invalidate_local)


def _check_year(year: int) -> None:
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput(f"Năm phải từ {MIN_YEAR} đến {MAX_YEAR}.", code="invalid_year")


def _clean_day(*, day: datetime.date, kind: str, name: str) -> None:
    if kind not in DayKind.values:
        raise InvalidInput("Loại ngày không hợp lệ.", code="invalid_kind")
    if not (name or "").strip():
        raise InvalidInput("Vui lòng nhập tên ngày nghỉ / ngày làm bù.", code="name_required")
    _check_year(day.year)
    if kind == DayKind.MAKEUP_WORKDAY and day.isoweekday() not in (6, 7):
        raise InvalidInput("Ngày làm việc bù phải là Thứ Bảy hoặc Chủ nhật.", code="makeup_not_weekend")


@transaction.atomic
def add_day(*, acting_user, date: datetime.date, kind: str, name: str, source: str = "",
            confirmed: bool = True) -> CalendarDay:
    """Add a day off or a make-up working day (confirmed by default: an
    administrator entering it from the official notice)."""
    require_role(acting_user, Role.SYSTEM_ADMIN)
    _clean_day(day=date, kind=kind, name=name)
    if CalendarDay.objects.filter(date=date).exists():
        raise Conflict(f"Ngày {date:%d/%m/%Y} đã có trong lịch; hãy sửa dòng đã có.", code="day_exists")
    day = CalendarDay.objects.create(date=date, kind=kind, name=name.strip(), source=source.strip(),
                                     confirmed=confirmed)
    _changed()
    record(actor=acting_user, action="workcalendar.day.added", obj=day,
           changes={"date": date.isoformat(), "kind": kind, "name": day.name, "source": day.source,
                    "confirmed": confirmed})
    return day


@transaction.atomic
def update_day(*, acting_user, day: CalendarDay, **values) -> CalendarDay:
    require_role(acting_user, Role.SYSTEM_ADMIN)
    unknown = set(values) - set(DAY_FIELDS)
    if unknown:
        raise InvalidInput("Trường không hợp lệ: " + ", ".join(sorted(unknown)))
    day = CalendarDay.objects.select_for_update().filter(pk=day.pk).first()
    if day is None:
        raise NotFound("Ngày này không còn trong lịch.")
    new = {f: values.get(f, getattr(day, f)) for f in DAY_FIELDS}
    new["name"] = (new["name"] or "").strip()
    new["source"] = (new["source"] or "").strip()
    _clean_day(day=new["date"], kind=new["kind"], name=new["name"])
    if new["date"] != day.date and CalendarDay.objects.filter(date=new["date"]).exclude(pk=day.pk).exists():
        raise Conflict(f"Ngày {new['date']:%d/%m/%Y} đã có trong lịch.", code="day_exists")
    changes = diff(day, DAY_FIELDS, new)
    if not changes:
        return day
    for f, v in new.items():
        setattr(day, f, v)
    day.save()
    _changed()
    record(actor=acting_user, action="workcalendar.day.updated", obj=day, changes=changes)
    return day


@transaction.atomic
def remove_day(*, acting_user, day: CalendarDay) -> None:
    """Remove a day (e.g. a day off that turns out not to be one, or a
    rejected proposal)."""
    require_role(acting_user, Role.SYSTEM_ADMIN)
    record(actor=acting_user, action="workcalendar.day.removed", obj=day,
           changes={"date": day.date.isoformat(), "kind": day.kind, "name": day.name,
                    "confirmed": day.confirmed})
    CalendarDay.objects.filter(pk=day.pk).delete()
    _changed()


@transaction.atomic
def confirm_day(*, acting_user, day: CalendarDay) -> CalendarDay:
    require_role(acting_user, Role.SYSTEM_ADMIN)
    updated = CalendarDay.objects.filter(pk=day.pk, confirmed=False).update(confirmed=True)
    day.refresh_from_db()
    if updated:
        _changed()
        record(actor=acting_user, action="workcalendar.day.confirmed", obj=day,
               changes={"confirmed": [False, True]})
    return day


@transaction.atomic
def confirm_year(*, acting_user, year: int) -> int:
    """Confirm every proposal of a year at once; returns how many."""
    require_role(acting_user, Role.SYSTEM_ADMIN)
    _check_year(year)
    dates = [d.isoformat() for d in CalendarDay.objects.proposals().in_year(year).values_list("date", flat=True)]
    count = CalendarDay.objects.proposals().in_year(year).update(confirmed=True)
    if count:
        _changed()
        record(actor=acting_user, action="workcalendar.year.confirmed", obj=None,
               changes={"year": year, "dates": dates}, note=f"Xác nhận {count} đề xuất năm {year}")
    return count


@transaction.atomic
def discard_proposals(*, acting_user, year: int) -> int:
    """Delete every unconfirmed proposal of a year; returns how many."""
    require_role(acting_user, Role.SYSTEM_ADMIN)
    _check_year(year)
    qs = CalendarDay.objects.proposals().in_year(year)
    dates = [d.isoformat() for d in qs.values_list("date", flat=True)]
    count, _ = qs.delete()
    if count:
        _changed()
        record(actor=acting_user, action="workcalendar.proposals.discarded", obj=None,
               changes={"year": year, "dates": dates})
    return count


def _clean_schedule(values: dict) -> None:
    probe = WorkSchedule(**values)
    try:
        probe.full_clean(exclude=["valid_from"], validate_unique=False)
    except ValidationError as exc:
        messages = exc.messages
        raise InvalidInput(messages[0] if messages else None, code="invalid_schedule",
                           errors=[{"field": f, "message": m} for f, ms in exc.message_dict.items()
                                   for m in ms]) from None
    _check_year(values["valid_from"].year)


@transaction.atomic
def add_schedule(*, acting_user, valid_from: datetime.date, morning_start: datetime.time,
                 morning_end: datetime.time, afternoon_start: datetime.time, afternoon_end: datetime.time,
                 weekdays: str = "12345", source: str = "") -> WorkSchedule:
    require_role(acting_user, Role.SYSTEM_ADMIN)
    values = dict(valid_from=valid_from, morning_start=morning_start, morning_end=morning_end,
                  afternoon_start=afternoon_start, afternoon_end=afternoon_end,
                  weekdays="".join(sorted(weekdays)), source=(source or "").strip())
    _clean_schedule(values)
    if WorkSchedule.objects.filter(valid_from=valid_from).exists():
        raise Conflict(f"Đã có lịch giờ làm việc áp dụng từ {valid_from:%d/%m/%Y}.", code="schedule_exists")
    schedule = WorkSchedule.objects.create(**values)
    _changed()
    record(actor=acting_user, action="workcalendar.schedule.added", obj=schedule,
           changes={k: str(v) for k, v in values.items()})
    return schedule


@transaction.atomic
def update_schedule(*, acting_user, schedule: WorkSchedule, **values) -> WorkSchedule:
    require_role(acting_user, Role.SYSTEM_ADMIN)
    unknown = set(values) - set(SCHEDULE_FIELDS)
    if unknown:
        raise InvalidInput("Trường không hợp lệ: " + ", ".join(sorted(unknown)))
    schedule = WorkSchedule.objects.select_for_update().filter(pk=schedule.pk).first()
    if schedule is None:
        raise NotFound("Lịch giờ làm việc này không còn.")
    new = {f: values.get(f, getattr(schedule, f)) for f in SCHEDULE_FIELDS}
    new["weekdays"] = "".join(sorted(new["weekdays"] or ""))
    new["source"] = (new["source"] or "").strip()
    _clean_schedule(new)
    if (new["valid_from"] != schedule.valid_from
            and WorkSchedule.objects.filter(valid_from=new["valid_from"]).exclude(pk=schedule.pk).exists()):
        raise Conflict(f"Đã có lịch giờ làm việc áp dụng từ {new['valid_from']:%d/%m/%Y}.",
                       code="schedule_exists")
    changes = diff(schedule, SCHEDULE_FIELDS, new)
    if not changes:
        return schedule
    for f, v in new.items():
        setattr(schedule, f, v)
    schedule.save()
    _changed()
    record(actor=acting_user, action="workcalendar.schedule.updated", obj=schedule, changes=changes)
    return schedule


@transaction.atomic
def remove_schedule(*, acting_user, schedule: WorkSchedule) -> None:
    require_role(acting_user, Role.SYSTEM_ADMIN)
    if WorkSchedule.objects.count() <= 1:
        raise InvalidInput("Phải còn ít nhất một lịch giờ làm việc.", code="last_schedule")
    record(actor=acting_user, action="workcalendar.schedule.removed", obj=schedule,
           changes={"valid_from": schedule.valid_from.isoformat()})
    WorkSchedule.objects.filter(pk=schedule.pk).delete()
    _changed()


# ----- generator -----------------------------------------------------------

@dataclass
class Proposal:
    date: datetime.date
    kind: str
    name: str


@dataclass
class ProposalResult:
    year: int
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    kept_confirmed: list = field(default_factory=list)


SOURCE_GENERATED = "Đề xuất tự động theo Điều 112 Bộ Luật Lao động 2019 (âm lịch Việt Nam, UTC+7)"


def statutory_holidays(year: int, weekdays: str = "12345") -> list[Proposal]:
    """The statutory days off of `year` (Labor Code 2019 art. 112) and a
    compensatory weekday for each one on a weekly day off.

    Tết: the last day of the old lunar year and days 1-4 of the new one.
    National Day: 2 Sep plus 1 Sep as the adjacent day (the government picks
    1 or 3 Sep each year; the official notice overrides). Compensatory days
    are the next working weekdays after the holiday that are not themselves
    holidays or compensatory days, taken in date order (so a weekend inside
    the Tết block pushes its compensatory day after the block)."""
    _check_year(year)
    tet = lunar.tet(year)
    out = [Proposal(datetime.date(year, 1, 1), DayKind.HOLIDAY, "Tết Dương lịch")]
    out.append(Proposal(tet - datetime.timedelta(days=1), DayKind.HOLIDAY, "Tết Nguyên đán (ngày cuối năm Âm lịch)"))
    for i in range(4):
        out.append(Proposal(tet + datetime.timedelta(days=i), DayKind.HOLIDAY, f"Tết Nguyên đán (mùng {i + 1})"))
    out.append(Proposal(lunar.hung_kings_day(year), DayKind.HOLIDAY, "Giỗ Tổ Hùng Vương (10/3 âm lịch)"))
    out.append(Proposal(datetime.date(year, 4, 30), DayKind.HOLIDAY, "Ngày Chiến thắng (30/4)"))
    out.append(Proposal(datetime.date(year, 5, 1), DayKind.HOLIDAY, "Ngày Quốc tế Lao động (1/5)"))
    out.append(Proposal(datetime.date(year, 9, 1), DayKind.HOLIDAY, "Quốc khánh (ngày liền kề)"))
    out.append(Proposal(datetime.date(year, 9, 2), DayKind.HOLIDAY, "Quốc khánh (2/9)"))
    out.sort(key=lambda p: p.date)
    taken = {p.date for p in out}
    working = {int(c) for c in weekdays}
    comp = []
    for p in out:
        if p.date.isoweekday() in working:
            continue
        d = p.date + datetime.timedelta(days=1)
        while d.isoweekday() not in working or d in taken:
            d += datetime.timedelta(days=1)
        taken.add(d)
        comp.append(Proposal(d, DayKind.COMPENSATORY, f"Nghỉ bù {p.name} ({p.date:%d/%m/%Y})"))
    return sorted(out + comp, key=lambda p: p.date)


@transaction.atomic
def propose_holidays(*, acting_user, year: int) -> ProposalResult:
    """Write the statutory days of `year` as UNCONFIRMED proposals. Confirmed
    rows are never touched; existing proposals are refreshed."""
    if acting_user is not None:
        require_role(acting_user, Role.SYSTEM_ADMIN)
    _check_year(year)
    schedule = WorkSchedule.objects.filter(valid_from__lte=datetime.date(year, 1, 1)).order_by("-valid_from").first()
    result = ProposalResult(year)
    for p in statutory_holidays(year, schedule.weekdays if schedule else "12345"):
        existing = CalendarDay.objects.select_for_update().filter(date=p.date).first()
        if existing is None:
            CalendarDay.objects.create(date=p.date, kind=p.kind, name=p.name, source=SOURCE_GENERATED,
                                       confirmed=False)
            result.created.append(p.date)
        elif existing.confirmed:
            result.kept_confirmed.append(p.date)
        elif (existing.kind, existing.name) != (p.kind, p.name):
            existing.kind, existing.name, existing.source = p.kind, p.name, SOURCE_GENERATED
            existing.save()
            result.updated.append(p.date)
    if result.created or result.updated:
        _changed()  # proposals do not change the engine, but keep one rule: data changed, token changes
    record(actor=acting_user, action="workcalendar.holidays.proposed", obj=None,
           changes={"year": year, "created": [d.isoformat() for d in result.created],
                    "updated": [d.isoformat() for d in result.updated],
                    "kept_confirmed": [d.isoformat() for d in result.kept_confirmed]})
    return result
