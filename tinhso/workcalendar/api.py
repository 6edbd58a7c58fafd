"""Public API of the working calendar: due dates, working time between two
moments, and the days off of a year. No authentication: the data is public
(it is printed on every receipt slip)."""

from __future__ import annotations

import datetime
from enum import Enum

from ninja import Field, Query, Router, Schema

from tinhso.core.api import ErrorOut
from tinhso.core.errors import InvalidInput
from tinhso.workcalendar import engine
from tinhso.workcalendar.engine import get_calendar
from tinhso.workcalendar.models import CalendarDay

router = Router(tags=["Lịch làm việc"])

MIN_YEAR, MAX_YEAR = 1976, 2199  # Vietnam has been on UTC+7 since 1975
MAX_AMOUNT = {engine.WORKING_DAYS: 2000, engine.WORKING_HOURS: 16000, engine.DAYS: 3650}
UNIT_LABELS = {engine.WORKING_DAYS: "ngày làm việc", engine.WORKING_HOURS: "giờ làm việc", engine.DAYS: "ngày"}
ERRORS = {422: ErrorOut}


class Unit(str, Enum):
    working_days = engine.WORKING_DAYS
    working_hours = engine.WORKING_HOURS
    days = engine.DAYS


class DueQuery(Schema):
    start: datetime.datetime = Field(
        ..., description="Thời điểm tiếp nhận hợp lệ, ISO 8601 (ví dụ 2026-01-05T08:00:00+07:00). "
                         "Không có múi giờ thì hiểu là giờ Việt Nam.")
    amount: int = Field(..., ge=0, le=100000, description="Thời hạn giải quyết (số nguyên, không âm).")
    unit: Unit = Field(Unit.working_days, description="Đơn vị: working_days (ngày làm việc), working_hours "
                                                       "(giờ làm việc), days (ngày theo lịch).")


class DueOut(Schema):
    start: str = Field(..., description="Thời điểm tiếp nhận, giờ Việt Nam.")
    counting_from: str = Field(..., description="Thời điểm bắt đầu tính thời hạn (giờ mở cửa kế tiếp nếu "
                                                "tiếp nhận ngoài giờ, giờ nghỉ trưa hoặc ngày nghỉ).")
    amount: int
    unit: str
    due: str = Field(..., description="Thời hạn trả kết quả, ISO 8601 với +07:00.")
    due_date: datetime.date
    calendar_revision: str = Field(..., description="Mã phiên bản dữ liệu lịch đã dùng.")


class WorkingTimeQuery(Schema):
    start: datetime.datetime = Field(..., description="Từ thời điểm, ISO 8601; không có múi giờ là giờ Việt Nam.")
    end: datetime.datetime = Field(..., description="Đến thời điểm, ISO 8601; không trước `start`.")


class WorkingTimeOut(Schema):
    start: str
    end: str
    seconds: int = Field(..., description="Số giây làm việc trong khoảng.")
    hours: float = Field(..., description="Số giờ làm việc trong khoảng.")
    working_days: float = Field(..., description="Quy đổi ra ngày làm việc (8 giờ/ngày theo lịch mặc định).")


class DaysQuery(Schema):
    year: int = Field(..., ge=MIN_YEAR, le=MAX_YEAR, description="Năm dương lịch, ví dụ 2026.")


class DayOut(Schema):
    date: datetime.date
    weekday: int = Field(..., description="Thứ trong tuần theo ISO: 1 = Thứ Hai … 7 = Chủ nhật.")
    kind: str = Field(..., description="holiday | compensatory | swapped_day_off | makeup_workday")
    kind_label: str
    day_off: bool = Field(..., description="true nếu là ngày nghỉ; false nếu là ngày làm việc bù.")
    name: str
    source: str


class DaysOut(Schema):
    year: int
    days: list[DayOut]
    working_days_in_year: int


def _iso(t: datetime.datetime) -> str:
    return engine.WorkCalendar.local(t).isoformat()


def _check_moment(name: str, t: datetime.datetime) -> None:
    year = engine.WorkCalendar.local(t).year if t.tzinfo else t.year
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput(errors=[{"field": name, "message": f"Năm phải từ {MIN_YEAR} đến {MAX_YEAR}."}])


@router.get("/due", response={200: DueOut, **ERRORS}, summary="Tính thời hạn giải quyết",
            description="Thời hạn trả kết quả tính theo ngày làm việc, giờ làm việc hoặc ngày theo lịch, "
                        "theo giờ làm việc, ngày nghỉ lễ, Tết, nghỉ bù và ngày làm bù đã xác nhận.")
def due(request, q: Query[DueQuery]):
    _check_moment("start", q.start)
    unit = q.unit.value
    if q.amount > MAX_AMOUNT[unit]:
        raise InvalidInput(errors=[{"field": "amount",
                                    "message": f"Thời hạn tối đa là {MAX_AMOUNT[unit]} {UNIT_LABELS[unit]}."}])
    cal = get_calendar()
    counting = cal.start_of_counting(q.start)
    due_at = cal.add(q.start, q.amount, unit)
    return {"start": _iso(q.start), "counting_from": counting.isoformat(), "amount": q.amount, "unit": unit,
            "due": due_at.isoformat(), "due_date": due_at.date(), "calendar_revision": cal.token}


@router.get("/working-time", response={200: WorkingTimeOut, **ERRORS}, summary="Thời gian làm việc giữa hai thời điểm")
def working_time(request, q: Query[WorkingTimeQuery]):
    _check_moment("start", q.start)
    _check_moment("end", q.end)
    if engine.WorkCalendar.local(q.end) < engine.WorkCalendar.local(q.start):
        raise InvalidInput(errors=[{"field": "end", "message": "Thời điểm kết thúc không được trước thời điểm bắt đầu."}])
    delta = get_calendar().working_time_between(q.start, q.end)
    seconds = int(delta.total_seconds())
    return {"start": _iso(q.start), "end": _iso(q.end), "seconds": seconds, "hours": round(seconds / 3600, 4),
            "working_days": round(seconds / (8 * 3600), 4)}


@router.get("/days", response={200: DaysOut, **ERRORS}, summary="Ngày nghỉ và ngày làm bù trong năm",
            description="Các ngày nghỉ lễ, Tết, nghỉ bù, nghỉ hoán đổi và ngày làm việc bù đã được xác nhận.")
def days(request, q: Query[DaysQuery]):
    rows = CalendarDay.objects.confirmed().in_year(q.year)
    cal = get_calendar()
    first = datetime.date(q.year, 1, 1)
    count = sum(1 for i in range((datetime.date(q.year + 1, 1, 1) - first).days)
                if cal.is_working_day(first + datetime.timedelta(days=i)))
    return {"year": q.year, "working_days_in_year": count,
            "days": [{"date": d.date, "weekday": d.date.isoweekday(), "kind": d.kind,
                      "kind_label": str(d.get_kind_display()), "day_off": d.is_day_off, "name": d.name,
                      "source": d.source} for d in rows]}


# --- changes (system administrators; through tinhso/workcalendar/actions.py, audited) ------------------------------

from ninja.security import django_auth  # noqa: E402

from tinhso.core.errors import NotFound  # noqa: E402
from tinhso.workcalendar import actions  # noqa: E402
from tinhso.workcalendar.models import DayKind  # noqa: E402

CHANGE_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class DayIn(Schema):
    date: datetime.date
    kind: DayKind
    name: str = Field(..., min_length=1, max_length=200)
    source: str = Field("", max_length=300, description="Căn cứ: số hiệu văn bản thông báo")


class DayOut(Schema):
    date: datetime.date
    kind: str
    name: str
    source: str
    confirmed: bool


@router.post("/days", auth=django_auth, response={201: DayOut, **CHANGE_ERRORS}, summary="Thêm ngày nghỉ, ngày làm bù",
             description="Quản trị hệ thống; mọi thời hạn tính lại theo lịch mới ngay.")
def add_day(request, payload: DayIn):
    day = actions.add_day(acting_user=request.user, date=payload.date, kind=payload.kind.value, name=payload.name,
                          source=payload.source)
    return 201, {"date": day.date, "kind": day.kind, "name": day.name, "source": day.source,
                 "confirmed": day.confirmed}


@router.delete("/days/{day}", auth=django_auth, response={204: None, **CHANGE_ERRORS}, summary="Xóa một ngày khỏi lịch")
def remove_day(request, day: datetime.date):
    row = CalendarDay.objects.filter(date=day).first()
    if row is None:
        raise NotFound("Ngày này không có trong lịch.")
    actions.remove_day(acting_user=request.user, day=row)
    return 204, None


class ScheduleIn(Schema):
    valid_from: datetime.date
    morning_start: datetime.time
    morning_end: datetime.time
    afternoon_start: datetime.time
    afternoon_end: datetime.time
    weekdays: str = Field("12345", pattern=r"^[1-7]{1,7}$", description="Ngày làm việc: 1 = thứ Hai … 7 = Chủ nhật")
    source: str = Field("", max_length=300)


class ScheduleOut(Schema):
    valid_from: datetime.date
    morning_start: datetime.time
    morning_end: datetime.time
    afternoon_start: datetime.time
    afternoon_end: datetime.time
    weekdays: str
    source: str


class YearIn(Schema):
    year: int = Field(..., ge=MIN_YEAR, le=MAX_YEAR)


class ProposalOut(Schema):
    year: int
    created: list[datetime.date]
    updated: list[datetime.date]
    kept_confirmed: list[datetime.date]


class CountOut(Schema):
    count: int


@router.get("/schedules", response=list[ScheduleOut], summary="Giờ làm việc theo thời kỳ")
def schedules(request):
    from tinhso.workcalendar.models import WorkSchedule

    return list(WorkSchedule.objects.order_by("valid_from"))


@router.post("/schedules", auth=django_auth, response={201: ScheduleOut, **CHANGE_ERRORS},
             summary="Thêm giờ làm việc áp dụng từ một ngày", description="Quản trị hệ thống.")
def add_schedule(request, payload: ScheduleIn):
    return 201, actions.add_schedule(acting_user=request.user, **payload.dict())


@router.post("/proposals", auth=django_auth, response={201: ProposalOut, **CHANGE_ERRORS},
             summary="Đề xuất ngày nghỉ lễ, Tết của một năm",
             description="Theo Điều 112 Bộ luật Lao động (âm lịch); là đề xuất, chờ xác nhận theo thông báo chính thức.")
def propose(request, payload: YearIn):
    result = actions.propose_holidays(acting_user=request.user, year=payload.year)
    return 201, {"year": result.year, "created": result.created, "updated": result.updated,
                 "kept_confirmed": result.kept_confirmed}


@router.post("/proposals/confirm", auth=django_auth, response={200: CountOut, **CHANGE_ERRORS},
             summary="Xác nhận mọi đề xuất của một năm")
def confirm(request, payload: YearIn):
    return {"count": actions.confirm_year(acting_user=request.user, year=payload.year)}


@router.post("/proposals/discard", auth=django_auth, response={200: CountOut, **CHANGE_ERRORS},
             summary="Bỏ mọi đề xuất chưa xác nhận của một năm")
def discard(request, payload: YearIn):
    return {"count": actions.discard_proposals(acting_user=request.user, year=payload.year)}
