"""Reading digital teams: counts by commune and month (page, chart, Excel)
and the programme figure."""

from __future__ import annotations

import datetime
import io

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.agencies.models import Agency, AgencyKind
from tinhso.digitalteams.models import Activity, ActivityKind, Member, Team


def counted_teams():
    """The teams the province reports: active teams of an active commune
    committee. A team deactivated (disbanded) is left out, its activities are
    not (they happened)."""
    return Team.objects.filter(is_active=True, agency__kind=AgencyKind.COMMUNE_COMMITTEE, agency__is_active=True)


def counted_members():
    """Members who have not left, of the counted teams."""
    return Member.objects.filter(is_active=True, team__in=counted_teams())


def programme_figures():
    from tinhso.dashboard import programme

    teams = counted_teams()
    url = reverse("digitalteams:report")
    return [programme.Figure("community_teams", _("Tổ công nghệ số cộng đồng"), teams.count(), _("tổ"), url=url),
            programme.Figure("communes_with_teams", _("Xã, phường có tổ công nghệ số cộng đồng"),
                             teams.values("agency").distinct().count(), _("xã, phường"), url=url)]


def months_back(count: int, today: datetime.date | None = None) -> list[datetime.date]:
    first = (today or timezone.localdate()).replace(day=1)
    out = []
    for _ in range(count):
        out.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return list(reversed(out))


def report(months: int = 6, today: datetime.date | None = None) -> dict:
    """Per commune: active teams, members who have not left (`counted_teams`,
    `counted_members`), and per month the activities and people helped (of
    every team, a disbanded one's too); per month and kind the people helped
    across the province."""
    month_list = months_back(months, today)
    since = month_list[0]
    communes = list(Agency.objects.filter(kind=AgencyKind.COMMUNE_COMMITTEE, is_active=True).select_related("unit")
                    .order_by("name"))
    teams = dict(counted_teams().values("agency").annotate(n=Count("id")).values_list("agency", "n"))
    members = dict(counted_members().values("team__agency").annotate(n=Count("id")).values_list("team__agency", "n"))
    cells: dict[tuple[int, datetime.date], dict] = {}
    by_kind: dict[tuple[datetime.date, str], int] = {}
    for row in (Activity.objects.filter(day__gte=since).annotate(month=TruncMonth("day"))
                .values("team__agency", "month", "kind").annotate(n=Count("id"), people=Sum("people_helped"))):
        month = row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]
        cell = cells.setdefault((row["team__agency"], month), {"activities": 0, "people": 0})
        cell["activities"] += row["n"]
        cell["people"] += row["people"] or 0
        by_kind[(month, row["kind"])] = by_kind.get((month, row["kind"]), 0) + (row["people"] or 0)
    rows = []
    for agency in communes:
        per_month = [cells.get((agency.pk, m), {"activities": 0, "people": 0}) for m in month_list]
        rows.append({"agency": agency, "teams": teams.get(agency.pk, 0), "members": members.get(agency.pk, 0),
                     "months": per_month, "activities": sum(c["activities"] for c in per_month),
                     "people": sum(c["people"] for c in per_month)})
    totals = [{"month": m, "activities": sum(r["months"][i]["activities"] for r in rows),
               "people": sum(r["months"][i]["people"] for r in rows),
               "kinds": {k: by_kind.get((m, k), 0) for k in ActivityKind.values}} for i, m in enumerate(month_list)]
    return {"months": month_list, "rows": rows, "totals": totals,
            "teams": sum(teams.values()), "members": sum(members.values()),
            "communes_with_teams": sum(1 for r in rows if r["teams"])}


def chart(data: dict) -> dict | None:
    """People helped per month: online services (app, dossier, VNeID) at the
    bottom, the rest (bank account, other) stacked on it."""
    from tinhso.dashboard.charts import stacked_columns

    online = (ActivityKind.CITIZEN_APP, ActivityKind.ONLINE_DOSSIER, ActivityKind.VNEID)
    rows = []
    for t in data["totals"]:
        ok = sum(t["kinds"][k] for k in online)
        rows.append({"label": t["month"].strftime("%m/%Y"), "short": t["month"].strftime("%m/%y"), "ok": ok,
                     "bad": t["people"] - ok, "ok_label": _("người (dịch vụ công, VNeID)"),
                     "bad_label": _("người (ngân hàng, khác)")})
    return stacked_columns(rows) if any(r["ok"] or r["bad"] for r in rows) else None


def report_xlsx(data: dict) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Theo xa phuong"
    head = ["Xã, phường", "Số tổ", "Số thành viên"]
    for m in data["months"]:
        head += [f"Lượt hỗ trợ {m:%m/%Y}", f"Người được hỗ trợ {m:%m/%Y}"]
    sheet.append(head + ["Tổng lượt", "Tổng người"])
    for r in data["rows"]:
        line = [r["agency"].unit.name if r["agency"].unit_id else r["agency"].name, r["teams"], r["members"]]
        for c in r["months"]:
            line += [c["activities"], c["people"]]
        sheet.append(line + [r["activities"], r["people"]])
    kinds = book.create_sheet("Theo loai ho tro")
    kinds.append(["Tháng"] + [str(label) for label in ActivityKind.labels])
    for t in data["totals"]:
        kinds.append([f"{t['month']:%m/%Y}"] + [t["kinds"][k] for k in ActivityKind.values])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
