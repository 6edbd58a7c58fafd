"""Reading meetings: what a user may see, a unit's meetings over a period
(for the leaders' work schedule), the monthly report and the programme figure."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import agencies_in_scope, units_worked_in
from tinhso.agencies.models import AgencyKind
from tinhso.meetings.models import Attendance, Meeting, MeetingStatus, Participant


def visible(user):
    """Meetings hosted by, or inviting, an agency in the user's scope (where
    they hold a role, and below), or a unit they are own staff of
    (`works_in`: the commune's committee for its service centre's clerk,
    who checks the commune in)."""
    scope = agencies_in_scope(user, Role.values)
    units = units_worked_in(user)
    return Meeting.objects.filter(Q(host__in=scope) | Q(participants__agency__in=scope) | Q(host_id__in=units)
                                  | Q(participants__agency_id__in=units)).distinct()


def meetings_for(agency, start: datetime.datetime, end: datetime.datetime):
    """The meetings (not cancelled) that `agency` hosts or is invited to and
    that overlap [start, end), earliest first: what a leader's work schedule
    shows. Read-only; no permission check (the caller's page has one)."""
    return (Meeting.objects.filter(Q(host=agency) | Q(participants__agency=agency), start__lt=end, end__gt=start)
            .exclude(status=MeetingStatus.CANCELLED).select_related("host").distinct().order_by("start", "id"))


def province_communes():
    """Today's communes of the province (code TINHSO demo: the province of the
    provincial people's committee) that have a commune people's committee."""
    from tinhso.agencies.models import Agency
    from tinhso.units.models import AdministrativeUnit

    top = Agency.objects.filter(kind=AgencyKind.PROVINCIAL_COMMITTEE, is_active=True).order_by("path").first()
    if top is None:
        return AdministrativeUnit.objects.none()
    return AdministrativeUnit.objects.filter(
        level="commune", valid_to__isnull=True, parent=top.unit,
        agencies__kind=AgencyKind.COMMUNE_COMMITTEE, agencies__is_active=True).distinct()


def connected_share(now=None) -> tuple[int, int, Decimal | None]:
    """(communes connected to at least one meeting within the window, communes,
    percentage)."""
    from tinhso.meetings.policies import connected_window_days

    now = now or timezone.now()
    since = now - datetime.timedelta(days=connected_window_days(now))
    communes = province_communes()
    total = communes.count()
    connected = communes.filter(
        agencies__meeting_invitations__attendance=Attendance.CONNECTED,
        agencies__meeting_invitations__meeting__start__gte=since,
        agencies__meeting_invitations__meeting__start__lte=now).distinct().count()
    share = (Decimal(connected * 100) / total).quantize(Decimal("0.1")) if total else None
    return connected, total, share


def programme_figures():
    from tinhso.dashboard import programme

    _connected, _total, share = connected_share()
    return [programme.Figure("meeting_communes", _("Xã, phường kết nối họp trực tuyến"), share, "%",
                             url=reverse("meetings:report"))]


def month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The month's first and the next month's first moment, in the province's
    time. The month is one `forms.month` accepts (years 2000..2100): at the
    calendar's ends (December 9999) there is no next month."""
    first = month.replace(day=1)
    nxt = (first + datetime.timedelta(days=32)).replace(day=1)
    tz = timezone.get_current_timezone()
    return (datetime.datetime.combine(first, datetime.time.min, tzinfo=tz),
            datetime.datetime.combine(nxt, datetime.time.min, tzinfo=tz))


def monthly_report(month: datetime.date, *, user) -> dict:
    """The month's meetings `user` may see (`visible`, as the meeting list:
    a commune's staff the meetings their unit hosts or is invited to, the
    province's roles all) with their invited and connected units, and per
    commune of the province how many of those it was invited to and
    connected to."""
    start, end = month_bounds(month)
    mine = Meeting.objects.filter(pk__in=visible(user).values("pk"), start__gte=start, start__lt=end)
    meetings = list(mine.select_related("host")
                    .annotate(invited=Count("participants"),
                              connected=Count("participants", filter=Q(participants__attendance=Attendance.CONNECTED)))
                    .order_by("start", "id"))
    rows = {}
    for unit in province_communes().order_by("name"):
        rows[unit.pk] = {"commune": unit.name, "code": unit.code, "invited": 0, "connected": 0}
    for p in (Participant.objects.filter(meeting__in=mine.values("pk"), agency__kind=AgencyKind.COMMUNE_COMMITTEE)
              .exclude(meeting__status=MeetingStatus.CANCELLED).values("agency__unit_id", "attendance")):
        row = rows.get(p["agency__unit_id"])
        if row is not None:
            row["invited"] += 1
            row["connected"] += p["attendance"] == Attendance.CONNECTED
    communes = list(rows.values())
    return {"month": month.replace(day=1), "meetings": meetings, "communes": communes,
            "held": sum(1 for m in meetings if m.status != MeetingStatus.CANCELLED),
            "connected_communes": sum(1 for r in communes if r["connected"]), "total_communes": len(communes)}


def report_xlsx(report: dict) -> bytes:
    """The report as Excel; every text (a meeting's title, a host's name) is
    written as text, never as a formula (`core.cells.safe_cell`)."""
    from openpyxl import Workbook

    from tinhso.core.cells import safe_cell

    def row(values):
        return [safe_cell(v) for v in values]

    book = Workbook()
    sheet = book.active
    sheet.title = "Cuoc hop"
    sheet.append(row([f"Báo cáo họp trực tuyến tháng {report['month']:%m/%Y}"]))
    sheet.append(row(["Bắt đầu", "Kết thúc", "Tên cuộc họp", "Cơ quan chủ trì", "Trạng thái", "Đơn vị được mời",
                      "Đơn vị đã kết nối"]))
    for m in report["meetings"]:
        sheet.append(row([timezone.localtime(m.start).strftime("%d/%m/%Y %H:%M"),
                          timezone.localtime(m.end).strftime("%d/%m/%Y %H:%M"), m.title, m.host.name,
                          str(m.get_status_display()), m.invited, m.connected]))
    communes = book.create_sheet("Xa phuong")
    communes.append(row(["Mã", "Xã, phường", "Số cuộc họp được mời", "Số cuộc họp đã kết nối"]))
    for r in report["communes"]:
        communes.append(row([r["code"], r["commune"], r["invited"], r["connected"]]))
    communes.append(row(["", "Số xã, phường đã kết nối", "", report["connected_communes"]]))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
