"""/api/v1/schedules: published leaders' work schedules (public, no personal
data beyond the leaders' names and titles the agency publishes)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from ninja import Router, Schema

from tinhso.agencies.models import Agency
from tinhso.core.api import ErrorOut
from tinhso.core.errors import NotFound, is_pk
from tinhso.schedules import queries, weeks

router = Router(tags=["Lịch công tác (công khai)"])


class AgencyOut(Schema):
    id: int
    code: str
    name: str


class EntryOut(Schema):
    uid: str
    agency: str
    start: datetime.datetime
    end: datetime.datetime | None
    place: str
    content: str
    leaders: str
    participants: str
    host_unit: str
    sequence: int
    changed_at: datetime.datetime | None
    change_note: str
    cancelled: bool
    cancel_reason: str


class MeetingOut(Schema):
    title: str
    start: datetime.datetime
    end: datetime.datetime
    host: str


class DayOut(Schema):
    date: datetime.date
    name: str
    today: bool
    entries: list[EntryOut]
    meetings: list[MeetingOut]


class WeekOut(Schema):
    agency: AgencyOut
    week: str
    start: datetime.date
    end: datetime.date
    prev_week: str
    next_week: str
    published: bool
    ics_url: str
    days: list[DayOut]


def _entry(e) -> dict:
    return {"uid": e.uid, "agency": e.agency.code, "start": timezone.localtime(e.start),
            "end": timezone.localtime(e.end) if e.end else None, "place": e.place, "content": e.content,
            "leaders": e.leaders, "participants": e.participants, "host_unit": e.host_unit, "sequence": e.sequence,
            "changed_at": e.changed_at, "change_note": e.change_note, "cancelled": e.is_cancelled,
            "cancel_reason": e.cancel_reason}


def _agency(value: str) -> Agency:
    value = (value or "").replace("\x00", "").strip()[:40]
    qs = queries.public_agencies()
    agency = qs.filter(pk=int(value)).first() if is_pk(value) else qs.filter(code=value).first()
    if agency is None:
        raise NotFound("Không có lịch công tác công khai của cơ quan này.", code="agency_not_found")
    return agency


@router.get("/agencies", auth=None, response=list[AgencyOut], summary="Cơ quan có lịch công tác công khai")
def agencies(request):
    return [{"id": a.pk, "code": a.code, "name": a.name} for a in queries.public_agencies()[:500]]


@router.get("", auth=None, response={200: WeekOut, 404: ErrorOut, 422: ErrorOut},
            summary="Lịch công tác một tuần của một cơ quan")
def week(request, agency: str, week: str = ""):
    """`agency`: the agency's id or code; `week`: ISO week `2026-W49` or any
    day `2026-12-03` of it (default this week)."""
    found = _agency(agency)
    data = queries.week(found, weeks.parse(week), public=True)
    days = []
    for day in data["days"]:
        days.append({"date": day["date"], "name": day["name"], "today": day["today"],
                     "entries": [_entry(i["entry"]) for i in day["items"] if i["kind"] == "entry"],
                     "meetings": [{"title": i["meeting"].title, "start": i["start"],
                                   "end": timezone.localtime(i["meeting"].end), "host": i["meeting"].host.name}
                                  for i in day["items"] if i["kind"] == "meeting"]})
    from django.urls import reverse

    return {"agency": {"id": found.pk, "code": found.code, "name": found.name}, "week": data["week"],
            "start": data["week_start"], "end": data["week_end"], "prev_week": data["prev"],
            "next_week": data["next"], "published": data["published"],
            "ics_url": reverse("schedules:ics", args=[found.code]), "days": days}


@router.get("/today", auth=None, response={200: list[EntryOut], 404: ErrorOut},
            summary="Lịch công tác hôm nay (mọi cơ quan, hoặc một cơ quan)")
def today(request, agency: str = ""):
    found = _agency(agency) if agency else None
    return [_entry(e) for e in queries.today_entries(found)[:300]]
