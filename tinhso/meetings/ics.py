"""The calendar entry (iCalendar, RFC 5545/5546) that rides with every
invitation: METHOD:REQUEST for the meeting and each change, METHOD:CANCEL
when it is cancelled. UID is the meeting's for its whole life; SEQUENCE is
the meeting's version, so a calendar client replaces the entry it has."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

ICT = "Asia/Ho_Chi_Minh"


def organizer_address(meeting) -> str:
    from email.utils import parseaddr

    return meeting.host.email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "no-reply@localhost"


def calendar(meeting, *, location: str, attendee_email: str = "", attendee_name: str = "",
             description: str = "") -> bytes:
    """The .ics for one recipient (`location` is their video link)."""
    from zoneinfo import ZoneInfo

    cancel = meeting.is_cancelled
    cal = Calendar()
    cal.add("prodid", "-//Tinh So//Hop truc tuyen//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "CANCEL" if cancel else "REQUEST")
    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now().astimezone(datetime.timezone.utc))
    zone = ZoneInfo(ICT)
    event.add("dtstart", meeting.start.astimezone(zone))
    event.add("dtend", meeting.end.astimezone(zone))
    event.add("summary", meeting.title)
    event.add("description", description or meeting.agenda)
    event.add("location", location)
    event.add("url", location)
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{organizer_address(meeting)}")
    organizer.params["cn"] = vText(meeting.host.name)
    event.add("organizer", organizer)
    if attendee_email:
        attendee = vCalAddress(f"mailto:{attendee_email}")
        if attendee_name:
            attendee.params["cn"] = vText(attendee_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["rsvp"] = vText("FALSE")
        event.add("attendee", attendee)
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
