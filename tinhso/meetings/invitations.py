"""Who gets a meeting's invitation and what the e-mail says: each invited
unit's own mailbox (the agency's e-mail) and each of its staff with an
e-mail address, one message each with a personal video link and the
calendar entry (.ics) attached."""

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


def recipients(meeting: Meeting) -> list[tuple[object, object | None, str]]:
    """(agency, user or None, e-mail) for every participating unit: the unit's
    mailbox first, then its own staff (`own_paths`: not the staff of the
    departments or communes below a people's committee), each address once."""
    out, seen = [], set()
    participants = list(meeting.participants.select_related("agency"))
    paths = [p.agency.path for p in participants]
    staff = {}
    if paths:
        from django.db.models import Q

        condition = Q()
        for path in paths:
            condition |= Q(agency__path__startswith=path)
        for row in RoleAssignment.objects.active().filter(condition, user__is_active=True).exclude(
                user__email="").select_related("user", "agency").order_by("user_id"):
            staff.setdefault(row.agency.path, []).append(row.user)
    for p in participants:
        if p.agency.email and p.agency.email.lower() not in seen:
            seen.add(p.agency.email.lower())
            out.append((p.agency, None, p.agency.email))
        for path in own_paths(p.agency, sorted(staff)):
            for user in staff[path]:
                if user.email.lower() not in seen:
                    seen.add(user.email.lower())
                    out.append((p.agency, user, user.email))
    return out


def plan(meeting: Meeting, method: str) -> list[int]:
    rows = Invitation.objects.bulk_create([
        Invitation(meeting=meeting, agency=agency, user=user, email=email, method=method, sequence=meeting.sequence)
        for agency, user, email in recipients(meeting)])
    return [r.pk for r in rows if r.pk]


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
