"""Reading schedules: a week of an agency (entries and, read-only, the online
meetings it hosts or attends), today's entries, and the iCalendar feed."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from tinhso.agencies.models import Agency
from tinhso.schedules import weeks
from tinhso.schedules.models import ScheduleEntry, WeekPublication

DAY_NAMES = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]


def meetings_for(agency, start, end) -> list:
    """The hook to online meetings (tinhso.meetings.queries.meetings_for):
    read-only rows shown beside the entries. Empty if that app is absent."""
    try:
        from tinhso.meetings.queries import meetings_for as meetings
    except ImportError:  # pragma: no cover - the meetings app is optional
        return []
    return list(meetings(agency, start, end))


def public_agencies():
    """Agencies with at least one published week."""
    return (Agency.objects.filter(is_active=True)
            .filter(Exists(WeekPublication.objects.filter(agency=OuterRef("pk")))).order_by("path"))


def public_agency(code: str) -> Agency | None:
    return public_agencies().filter(code=code.replace("\x00", "")[:40]).first()


def is_published(agency, week_start) -> bool:
    return WeekPublication.objects.filter(agency=agency, week_start=week_start).exists()


def week(agency: Agency, week_start: datetime.date, *, public: bool) -> dict:
    """The week's days with entries (and meetings), in order. A public week
    that is not published shows nothing."""
    start, end = weeks.bounds(week_start)
    published = is_published(agency, week_start)
    entries = list(ScheduleEntry.objects.filter(agency=agency, start__gte=start, start__lt=end).order_by(
        "start", "id")) if published or not public else []
    meetings = meetings_for(agency, start, end) if published or not public else []
    today = timezone.localdate()
    days = []
    for offset in range(7):
        day = week_start + datetime.timedelta(days=offset)
        items = [{"kind": "entry", "entry": e, "start": timezone.localtime(e.start)} for e in entries
                 if timezone.localtime(e.start).date() == day]
        items += [{"kind": "meeting", "meeting": m, "start": timezone.localtime(m.start)} for m in meetings
                  if timezone.localtime(m.start).date() == day]
        items.sort(key=lambda i: i["start"])
        days.append({"date": day, "name": DAY_NAMES[offset], "today": day == today, "items": items})
    return {"agency": agency, "week_start": week_start, "week": weeks.label(week_start),
            "week_end": week_start + datetime.timedelta(days=6), "published": published, "days": days,
            "prev": weeks.label(week_start - datetime.timedelta(days=7)),
            "next": weeks.label(week_start + datetime.timedelta(days=7)),
            "this": weeks.label(weeks.monday(today))}


def today_entries(agency: Agency | None = None):
    day = timezone.localdate()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())
    qs = ScheduleEntry.objects.filter(start__gte=start, start__lt=start + datetime.timedelta(days=1))
    if agency is not None:
        qs = qs.filter(agency=agency)
    week_start = weeks.monday(day)
    return (qs.filter(Exists(WeekPublication.objects.filter(agency=OuterRef("agency"), week_start=week_start)))
            .select_related("agency").order_by("start", "agency__path", "id"))


def ics(agency: Agency) -> bytes:
    """The agency's published entries from 8 weeks back as an iCalendar
    feed: one VEVENT per entry with a stable UID and its SEQUENCE; a
    cancelled entry is STATUS:CANCELLED."""
    from icalendar import Calendar, Event

    since = weeks.monday(timezone.localdate()) - datetime.timedelta(weeks=8)
    published = set(WeekPublication.objects.filter(agency=agency, week_start__gte=since).values_list(
        "week_start", flat=True))
    cal = Calendar()
    cal.add("prodid", "-//Tinh So//Lich cong tac//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Lịch công tác - {agency.name}")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    start, _ = weeks.bounds(since)
    for entry in ScheduleEntry.objects.filter(agency=agency, start__gte=start).order_by("start", "id"):
        if weeks.monday(timezone.localtime(entry.start).date()) not in published:
            continue
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", entry.updated_at)
        event.add("dtstart", timezone.localtime(entry.start))
        event.add("dtend", timezone.localtime(entry.end or entry.start + datetime.timedelta(hours=1)))
        event.add("sequence", entry.sequence)
        event.add("summary", entry.content.splitlines()[0][:200] if entry.content else "")
        description = [entry.content, f"Lãnh đạo: {entry.leaders}"]
        if entry.participants:
            description.append(f"Thành phần: {entry.participants}")
        if entry.host_unit:
            description.append(f"Chủ trì, chuẩn bị: {entry.host_unit}")
        if entry.change_note:
            description.append(entry.change_note)
        event.add("description", "\n".join(description))
        if entry.place:
            event.add("location", entry.place)
        event.add("status", "CANCELLED" if entry.is_cancelled else "CONFIRMED")
        cal.add_component(event)
    cal.add_missing_timezones()  # RFC 5545 §3.2.19: a VTIMEZONE for the TZID the times name
    return cal.to_ical()
