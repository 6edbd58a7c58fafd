"""Read-side queries shared by pages, the JSON API and Open311: what the
public may see, a staff member's queue, the nearby search."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from types import SimpleNamespace

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from tinhso.accounts.permissions import agencies_in_scope
from tinhso.fieldreports import geo, policies
from tinhso.fieldreports.actions.common import is_centre
from tinhso.fieldreports.models import FieldReport, ReportCategory, Status
from tinhso.fieldreports.models.report import AT_AGENCY, OPEN_STATUSES, PUBLIC_STATUSES
from tinhso.fieldreports.people import AGENCY_ROLES
from tinhso.units.models import AdministrativeUnit


def public_reports():
    return (FieldReport.objects.filter(status__in=PUBLIC_STATUSES, hidden_at__isnull=True, category__is_public=True)
            .select_related("category", "unit"))


MAX_PAGE = 100_000


@dataclass
class Listed:
    """A row of the public list: what the list and its map show, no more."""

    pk: int
    code: str
    description: str
    status: str
    lat: float | None
    lng: float | None
    hide_location: bool
    created_at: datetime.datetime
    category: SimpleNamespace
    unit: SimpleNamespace

    def get_status_display(self) -> str:
        return Status(self.status).label


def _public_where(params) -> tuple[list[str], list, dict]:
    """The public filters (category code, commune id, state: open, done or a
    state, from/to dates) as SQL conditions on what `public_reports` allows."""
    qn = connection.ops.quote_name
    where = [f"r.{qn('status')} IN ({', '.join(['%s'] * len(PUBLIC_STATUSES))})", f"r.{qn('hidden_at')} IS NULL",
             f"c.{qn('is_public')}"]
    values: list = list(PUBLIC_STATUSES)
    chosen: dict = {}
    category = (params.get("category") or "").strip()
    if category:
        where.append(f"c.{qn('code')} = %s")
        values.append(category)
        chosen["category"] = category
    unit = (params.get("unit") or "").strip()
    if unit.isdecimal() and len(unit) <= 18:
        where.append(f"r.{qn('unit_id')} = %s")
        values.append(int(unit))
        chosen["unit"] = int(unit)
    state = (params.get("state") or "").strip()
    states = {"open": OPEN_STATUSES, "done": (Status.PUBLISHED, Status.CLOSED)}.get(
        state, (state,) if state in Status.values else None)
    if states:
        where.append(f"r.{qn('status')} IN ({', '.join(['%s'] * len(states))})")
        values += list(states)
    if state:
        chosen["state"] = state
    for name, op, shift in (("from", ">=", 0), ("to", "<", 1)):
        raw = (params.get(name) or "").strip()
        try:
            day = datetime.date.fromisoformat(raw) if raw else None
            day = day if day and 2000 <= day.year <= 2100 else None
        except ValueError:
            day = None
        if day:
            moment = datetime.datetime.combine(day + datetime.timedelta(days=shift), datetime.time(),
                                               tzinfo=timezone.get_current_timezone())
            where.append(f"r.{qn('created_at')} {op} %s")
            values.append(moment)
            chosen[name] = day
    return where, values, chosen


def public_page(params, page: int = 1, size: int = 30, *, count: bool = False) -> tuple[list[Listed], int | None, dict]:
    """One page of the public list, newest first, and (with `count`) how many
    there are in all. The most read page of the public site: one
    hand-written statement over the indexed columns (tests hold it to the
    same rows as the ORM's `public_reports` with the same filters)."""
    qn = connection.ops.quote_name
    where, values, chosen = _public_where(params)
    report, category, unit = (qn(m._meta.db_table) for m in (FieldReport, ReportCategory, AdministrativeUnit))
    base = (f"FROM {report} r JOIN {category} c ON c.{qn('id')} = r.{qn('category_id')} "
            f"JOIN {unit} u ON u.{qn('id')} = r.{qn('unit_id')} WHERE " + " AND ".join(where))
    columns = ", ".join(f"r.{qn(c)}" for c in ("id", "code", "description", "status", "lat", "lng", "hide_location",
                                                  "created_at"))
    rows, total = [], None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}, c.{qn('code')}, c.{qn('name')}, c.{qn('group')}, u.{qn('code')}, "
                       f"u.{qn('name')} {base} ORDER BY r.{qn('created_at')} DESC, r.{qn('id')} DESC "
                       f"LIMIT %s OFFSET %s", [*values, size, (min(max(1, page), MAX_PAGE) - 1) * size])
        for row in cursor.fetchall():
            created = row[7]
            if isinstance(created, str):  # SQLite hands text back to a raw cursor
                created = datetime.datetime.fromisoformat(created)
            if timezone.is_naive(created):
                created = timezone.make_aware(created, datetime.timezone.utc)
            rows.append(Listed(*row[:7], created, SimpleNamespace(code=row[8], name=row[9], group=row[10]),
                               SimpleNamespace(code=row[11], name=row[12])))
        if count:
            cursor.execute(f"SELECT COUNT(*) {base}", values)
            total = cursor.fetchone()[0]
    return rows, total, chosen


@dataclass
class Nearby:
    """A report found near a point (what the duplicate panel and the merge form show)."""

    pk: int
    code: str
    description: str
    status: str
    lat: float
    lng: float
    hide_location: bool
    category_code: str
    category_name: str
    unit_name: str
    distance: int = 0

    def get_status_display(self) -> str:
        return Status(self.status).label


def _nearby_sql(public_only: bool, with_category: bool, exclude: bool) -> str:
    qn = connection.ops.quote_name
    report, category, unit = (qn(m._meta.db_table) for m in (FieldReport, ReportCategory, AdministrativeUnit))
    where = [f"r.{qn('lat')} BETWEEN %s AND %s", f"r.{qn('lng')} BETWEEN %s AND %s",
             f"r.{qn('status')} IN ({', '.join(['%s'] * len(OPEN_STATUSES))})"]
    if public_only:
        where += [f"r.{qn('status')} <> %s", f"r.{qn('hidden_at')} IS NULL", f"c.{qn('is_public')}"]
    if with_category:
        where.append(f"(r.{qn('category_id')} = %s OR c.{qn('group')} = %s)")
    if exclude:
        where.append(f"r.{qn('id')} <> %s")
    return (f"SELECT r.{qn('id')}, r.{qn('code')}, r.{qn('description')}, r.{qn('status')}, r.{qn('lat')}, "
            f"r.{qn('lng')}, r.{qn('hide_location')}, c.{qn('code')}, c.{qn('name')}, u.{qn('name')} "
            f"FROM {report} r JOIN {category} c ON c.{qn('id')} = r.{qn('category_id')} "
            f"JOIN {unit} u ON u.{qn('id')} = r.{qn('unit_id')} WHERE " + " AND ".join(where))


def nearby_open(lat: float, lng: float, category: ReportCategory | None, metres: float | None = None,
                limit: int = 5, *, public_only: bool = True, exclude: int | None = None) -> list[Nearby]:
    """Open reports of the same category or a sibling (same group) near a
    point, nearest first. This runs before every report is sent, so it is one
    hand-written statement (portable SQL: the box on the indexed lat/lng
    columns) and the exact distance in Python on the few rows in the box;
    tests hold it to the same rows as the ORM filters of `public_reports`."""
    metres = metres or policies.nearby_metres()
    lat_min, lat_max, lng_min, lng_max = geo.box(lat, lng, metres)
    params: list = [lat_min, lat_max, lng_min, lng_max, *OPEN_STATUSES]
    if public_only:
        params.append(Status.NEW)
    if category is not None:
        params += [category.pk, category.group]
    if exclude:
        params.append(exclude)
    found = []
    with connection.cursor() as cursor:
        cursor.execute(_nearby_sql(public_only, category is not None, bool(exclude)), params)
        for row in cursor.fetchall():
            d = geo.distance_m(lat, lng, row[4], row[5])
            if d <= metres:
                shown = round(d)
                if public_only and row[6]:  # the reporter hid the exact place: say the distance to ~50 m only
                    shown = int(round(geo.distance_m(lat, lng, *geo.rounded(row[4], row[5])) / 50) * 50)
                found.append((d, -row[0], Nearby(*row, distance=shown)))
    found.sort(key=lambda item: item[:2])
    return [item[2] for item in found[:limit]]


def staff_scope(user):
    """The reports a staff member may see: all for the centre; an agency's
    (and its subtree's) for its handlers."""
    if is_centre(user):
        return FieldReport.objects.all()
    agencies = agencies_in_scope(user, AGENCY_ROLES)
    return FieldReport.objects.filter(agency__in=agencies)


def can_see(user, report) -> bool:
    return is_centre(user) or staff_scope(user).filter(pk=report.pk).exists()


TABS = {
    "new": ("Chờ xác nhận", Q(status=Status.NEW)),
    "queue": ("Chờ phân công", Q(status=Status.CONFIRMED)),
    "agency": ("Đang ở cơ quan xử lý", Q(status__in=AT_AGENCY)),
    "answered": ("Chờ duyệt kết quả", Q(status=Status.ANSWERED)),
    "overdue": ("Quá hạn", None),
    "due_soon": ("Sắp đến hạn", None),
    "done": ("Đã xong", Q(status__in=(Status.PUBLISHED, Status.CLOSED, Status.REJECTED, Status.MERGED))),
    "all": ("Tất cả", Q()),
}


def tab_queryset(user, tab: str, now=None):
    now = now or timezone.now()
    qs = staff_scope(user).select_related("category", "unit", "agency")
    if tab == "overdue":
        return qs.filter(stage_due_at__lt=now, status__in=OPEN_STATUSES).order_by("stage_due_at")
    if tab == "due_soon":
        return qs.filter(stage_due_at__gte=now, stage_warn_at__lte=now, status__in=OPEN_STATUSES) \
            .order_by("stage_due_at")
    condition = TABS.get(tab, TABS["all"])[1]
    qs = qs.filter(condition)
    return qs.order_by("stage_due_at", "-created_at") if tab != "all" and tab != "done" else qs
