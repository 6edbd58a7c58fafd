"""Who gets a meeting's invitation and what it says: each invited unit's own
mailbox (the agency's e-mail) and each of its staff with an e-mail address,
one message each with a personal video link and the calendar entry (.ics)
attached; and every one of its staff an in-app notification."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from tinhso.accounts.models import RoleAssignment
from tinhso.accounts.permissions import own_paths
from tinhso.meetings import ics, video
from tinhso.meetings.models import Invitation, Meeting


def own_staff(meeting: Meeting) -> list[tuple[object, object]]:
    """(agency, user) for every active member of each participating unit's
    own staff (`own_paths`: a role in the unit or its divisions, office or
    service centre, not in the departments or communes below a people's
    committee), with or without an e-mail address, in the units' order."""
    from django.db.models import Q

    participants = list(meeting.participants.select_related("agency"))
    if not participants:
        return []
    condition = Q()
    for p in participants:
        condition |= Q(agency__path__startswith=p.agency.path)
    staff = {}
    for row in RoleAssignment.objects.active().filter(condition, user__is_active=True).select_related(
            "user", "agency").order_by("user_id"):
        staff.setdefault(row.agency.path, []).append(row.user)
    out = []
    for p in participants:
        for path in own_paths(p.agency, sorted(staff)):
            out.extend((p.agency, user) for user in staff[path])
    return out


def recipients(meeting: Meeting, staff=None) -> list[tuple[object, object | None, str]]:
    """(agency, user or None, e-mail) for every participating unit: the unit's
    mailbox first, then its own staff with an address (`own_staff`, or the
    list given), each address once."""
    out, seen = [], set()
    staff = own_staff(meeting) if staff is None else staff
    by_agency = {}
    for agency, user in staff:
        by_agency.setdefault(agency.pk, []).append(user)
    for p in meeting.participants.select_related("agency"):
        if p.agency.email and p.agency.email.lower() not in seen:
            seen.add(p.agency.email.lower())
            out.append((p.agency, None, p.agency.email))
        for user in by_agency.get(p.agency_id, ()):
            if user.email and user.email.lower() not in seen:
                seen.add(user.email.lower())
                out.append((p.agency, user, user.email))
    return out


def plan(meeting: Meeting, method: str, staff=None) -> list[int]:
    rows = Invitation.objects.bulk_create([
        Invitation(meeting=meeting, agency=agency, user=user, email=email, method=method, sequence=meeting.sequence)
        for agency, user, email in recipients(meeting, staff)])
    return [r.pk for r in rows if r.pk]


def notice(meeting: Meeting) -> dict:
    """The in-app notification (the staff's "push") of this version of the
    meeting: kind, title, body and the meeting page, in the province's
    language (a stored notice is read by people of any session language)."""
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        if meeting.is_cancelled:
            kind, title = "meetings.cancelled", _("Hủy cuộc họp: %(title)s")
            body = _("Cuộc họp “%(title)s” (%(when)s) do %(host)s chủ trì đã bị hủy.\nLý do: %(reason)s")
        else:
            kind, title = ("meetings.changed", _("Thay đổi lịch họp: %(title)s")) if meeting.sequence else \
                ("meetings.invited", _("Giấy mời họp trực tuyến: %(title)s"))
            body = _("%(host)s chủ trì; thời gian: %(when)s.")
        values = {"title": meeting.title, "when": when(meeting), "host": meeting.host.name,
                  "reason": meeting.cancel_reason}
        return {"kind": kind, "title": title % values, "body": body % values,
                "url": reverse("meetings:detail", args=[meeting.pk])}


def personal_link(meeting: Meeting, agency, user=None) -> str:
    from tinhso.accounts.permissions import has_role
    from tinhso.meetings.actions import ORGANISER_ROLES

    if user is not None:
        return video.join_url(meeting, name=user.get_full_name() or user.get_username(), email=user.email,
                              user_id=f"user-{user.pk}", moderator=has_role(user, ORGANISER_ROLES, meeting.host))
    return video.join_url(meeting, name=agency.name, email=agency.email, user_id=f"agency-{agency.pk}")


def when(meeting: Meeting) -> str:
    start, end = timezone.localtime(meeting.start), timezone.localtime(meeting.end)
    return f"{formats.date_format(start, 'H:i d/m/Y')} – {formats.date_format(end, 'H:i d/m/Y')}"


def message(invitation: Invitation) -> EmailMessage:
    meeting = invitation.meeting
    link = personal_link(meeting, invitation.agency, invitation.user)
    page = settings.TINHSO_BASE_URL + reverse("meetings:detail", args=[meeting.pk])
    if invitation.method == "CANCEL":
        subject = _("Hủy cuộc họp: %(title)s") % {"title": meeting.title}
        body = _("Cuộc họp “%(title)s” (%(when)s) do %(host)s chủ trì đã bị hủy.\nLý do: %(reason)s") % {
            "title": meeting.title, "when": when(meeting), "host": meeting.host.name, "reason": meeting.cancel_reason}
    else:
        subject = _("Thay đổi lịch họp: %(title)s") if invitation.sequence else \
            _("Giấy mời họp trực tuyến: %(title)s")
        subject %= {"title": meeting.title}
        body = _("%(host)s trân trọng kính mời %(unit)s dự cuộc họp trực tuyến “%(title)s”.\n"
                 "Thời gian: %(when)s\nNội dung: %(agenda)s\nĐường dẫn họp: %(link)s\n"
                 "Chi tiết, điểm danh: %(page)s") % {
            "host": meeting.host.name, "unit": invitation.agency.name, "title": meeting.title, "when": when(meeting),
            "agenda": meeting.agenda or "—", "link": link, "page": page}
    name = invitation.user.get_full_name() if invitation.user else invitation.agency.name
    attachment = ics.calendar(meeting, location=link, attendee_email=invitation.email, attendee_name=name,
                              description=body)
    mail = EmailMessage(subject, body, None, [invitation.email])
    mail.attach("cuoc-hop.ics", attachment, f"text/calendar; charset=utf-8; method={invitation.method}")
    return mail
