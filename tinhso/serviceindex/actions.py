"""Every change to the service index's data: entered indicator values, the
published scores, new methodology versions and monthly snapshots. Each is
atomic, checks the acting user's role for the scope and writes an audit row."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import has_role
from tinhso.audit.actions import record
from tinhso.core.errors import InvalidInput, PermissionDenied
from tinhso.serviceindex.models import (EnteredValue, Indicator, IndicatorGroup, Methodology, PublishedScore,
                                        Snapshot, Source, scope_key)
from tinhso.serviceindex.seed import build_version

ADMIN_ROLES = (Role.SYSTEM_ADMIN,)
PROVINCE_ENTRY_ROLES = (Role.SYSTEM_ADMIN, Role.OPERATIONS_CENTRE)
AGENCY_ENTRY_ROLES = (Role.SYSTEM_ADMIN, Role.OPERATIONS_CENTRE, Role.LEADER)


def _require_entry(user, agency) -> None:
    if user is None:
        return  # the system (demo seeding, imports run by the operator)
    allowed = has_role(user, PROVINCE_ENTRY_ROLES) if agency is None else has_role(user, AGENCY_ENTRY_ROLES, agency)
    if not allowed:
        raise PermissionDenied("Bạn không có quyền nhập số liệu Bộ chỉ số cho phạm vi này.", code="permission_denied")


def _month(value, field: str = "month") -> datetime.date:
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip() + ("-01" if len(value.strip()) == 7 else ""))
        except ValueError:
            value = None
    if not isinstance(value, datetime.date):
        raise InvalidInput("Tháng không hợp lệ (dạng YYYY-MM).", code="invalid_month",
                           errors=[{"field": field, "message": "Tháng không hợp lệ."}])
    month = value.replace(day=1)
    if month > timezone.localdate().replace(day=1):
        raise InvalidInput("Không nhập số liệu cho tháng chưa đến.", code="future_month",
                           errors=[{"field": field, "message": "Tháng chưa đến."}])
    if month.year < 2022:
        raise InvalidInput("Bộ chỉ số áp dụng từ năm 2022.", code="invalid_month",
                           errors=[{"field": field, "message": "Tháng quá sớm."}])
    return month


def _count(value, field: str, label: str) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = -1
    if number < 0 or number > 10_000_000:
        raise InvalidInput(f"{label} phải là số nguyên không âm.", code="invalid_number",
                           errors=[{"field": field, "message": "Số không hợp lệ."}])
    return number


@transaction.atomic
def enter_value(*, acting_user, indicator_code: str, agency, month, numerator, denominator, basis: str = "",
                source: str = Source.ENTERED) -> EnteredValue:
    """Nhập số liệu chỉ số: the month's numerator and denominator of an
    indicator whose source is outside Tỉnh Số (entered or imported), for the
    province (agency None) or one agency. Replaces an earlier entry."""
    from tinhso.serviceindex.engine import methodology_for

    _require_entry(acting_user, agency)
    month = _month(month)
    numerator = _count(numerator, "numerator", "Tử số")
    denominator = _count(denominator, "denominator", "Mẫu số")
    if numerator > denominator:
        raise InvalidInput("Tử số không được lớn hơn mẫu số.", code="numerator_above_denominator",
                           errors=[{"field": "numerator", "message": "Lớn hơn mẫu số."}])
    if source not in (Source.ENTERED, Source.IMPORTED):
        raise InvalidInput("Nguồn số liệu không hợp lệ.", code="invalid_source",
                           errors=[{"field": "source", "message": "Chọn nhập tay hoặc nhập từ tệp."}])
    last_day = (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    indicator = Indicator.objects.filter(group__methodology=methodology_for(last_day),
                                         code=(indicator_code or "").strip()).first()
    if indicator is None or indicator.source == Source.COMPUTED:
        raise InvalidInput("Chỉ số này không nhận số liệu nhập tay (không có, hoặc được tính từ dữ liệu Tỉnh Số).",
                           code="not_entered_indicator",
                           errors=[{"field": "indicator_code", "message": "Chọn chỉ số nhập tay."}])
    row, created = EnteredValue.objects.update_or_create(
        indicator_code=indicator.code, scope=scope_key(agency), month=month,
        defaults={"agency": agency, "numerator": numerator, "denominator": denominator, "source": source,
                  "basis": (basis or "").strip()[:300],
                  "entered_by": acting_user if getattr(acting_user, "is_authenticated", False) else None})
    record(actor=acting_user, action="serviceindex.value.entered", obj=row,
           changes={"indicator": indicator.code, "month": month.isoformat(), "scope": row.scope,
                    "numerator": numerator, "denominator": denominator, "created": created})
    return row


def _points(value, field: str, maximum: Decimal) -> Decimal:
    try:
        points = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, AttributeError):
        points = Decimal("-1")
    if not points.is_finite() or points < 0 or points > maximum:
        raise InvalidInput(f"Điểm phải từ 0 đến {maximum}.", code="invalid_points",
                           errors=[{"field": field, "message": "Điểm không hợp lệ."}])
    return points.quantize(Decimal("0.01"))


@transaction.atomic
def enter_published_score(*, acting_user, agency, month, points, group_points: dict, basis: str = "") -> PublishedScore:
    """Điểm công bố: the score the national portal published for a month, with
    each group's points; the groups must add up to the total (±0.05)."""
    from tinhso.serviceindex.engine import methodology_for

    _require_entry(acting_user, agency)
    month = _month(month)
    last_day = (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    groups = {g.number: g for g in methodology_for(last_day).groups.all()}
    total = _points(points, "points", sum((g.max_points for g in groups.values()), Decimal("0")))
    by_group = {}
    for key, value in (group_points or {}).items():
        number = int(key) if str(key).isdecimal() else None
        if number not in groups:
            raise InvalidInput("Nhóm chỉ số không hợp lệ.", code="invalid_group",
                               errors=[{"field": f"group_{key}", "message": "Không có nhóm này."}])
        if value in (None, ""):
            continue
        by_group[str(number)] = str(_points(value, f"group_{number}", groups[number].max_points))
    if len(by_group) == len(groups) and abs(sum(Decimal(v) for v in by_group.values()) - total) > Decimal("0.05"):
        raise InvalidInput("Tổng điểm các nhóm khác tổng điểm công bố.", code="groups_do_not_add_up",
                           errors=[{"field": "points", "message": "Không khớp tổng các nhóm."}])
    row, created = PublishedScore.objects.update_or_create(
        scope=scope_key(agency), month=month,
        defaults={"agency": agency, "points": total, "group_points": by_group, "basis": (basis or "").strip()[:300],
                  "entered_by": acting_user if getattr(acting_user, "is_authenticated", False) else None})
    record(actor=acting_user, action="serviceindex.published.entered", obj=row,
           changes={"month": month.isoformat(), "scope": row.scope, "points": str(total), "groups": by_group,
                    "created": created})
    return row


@transaction.atomic
def create_methodology_version(*, acting_user, code: str, name: str, basis: str, valid_from,
                               changes: dict[str, dict] | None = None) -> Methodology:
    """Phiên bản phương pháp mới: a copy of the version in force on
    `valid_from`'s eve with some indicators' points and targets changed
    (`changes`: {"2.1": {"max_points": "18", "target": "0.95"}}); each group's
    maximum becomes the sum of its indicators'. From the first day of a month,
    not before the current month: past months keep the scores they had."""
    from tinhso.serviceindex.engine import methodology_for

    if acting_user is not None and not has_role(acting_user, ADMIN_ROLES):
        raise PermissionDenied("Chỉ quản trị hệ thống được thay đổi phương pháp đánh giá.", code="permission_denied")
    if isinstance(valid_from, str):
        try:
            valid_from = datetime.date.fromisoformat(valid_from)
        except ValueError:
            valid_from = None
    if not isinstance(valid_from, datetime.date) or valid_from.day != 1:
        raise InvalidInput("Ngày hiệu lực phải là ngày đầu tháng.", code="invalid_valid_from",
                           errors=[{"field": "valid_from", "message": "Chọn ngày 1 của một tháng."}])
    if acting_user is not None and valid_from < timezone.localdate().replace(day=1):
        raise InvalidInput("Không áp dụng phương pháp mới cho các tháng đã qua.", code="retroactive",
                           errors=[{"field": "valid_from", "message": "Chọn từ tháng này trở đi."}])
    if Methodology.objects.filter(valid_from=valid_from).exists():
        raise InvalidInput("Đã có phiên bản hiệu lực từ ngày này.", code="duplicate_valid_from",
                           errors=[{"field": "valid_from", "message": "Trùng ngày hiệu lực."}])
    code = (code or "").strip()
    if not code or Methodology.objects.filter(code=code).exists():
        raise InvalidInput("Mã phiên bản trống hoặc đã dùng.", code="invalid_code",
                           errors=[{"field": "code", "message": "Mã không hợp lệ."}])
    previous = methodology_for(valid_from - datetime.timedelta(days=1))
    changes = {k.strip(): v for k, v in (changes or {}).items()}
    checked = {}
    for ind_code, change in changes.items():
        checked[ind_code] = {}
        if change.get("max_points") not in (None, ""):
            checked[ind_code]["max_points"] = _points(change["max_points"], f"{ind_code}.max_points", Decimal("100"))
        if change.get("target") not in (None, ""):
            target = _points(change["target"], f"{ind_code}.target", Decimal("1"))
            if target <= 0:
                raise InvalidInput("Tỷ lệ đạt điểm tối đa phải lớn hơn 0.", code="invalid_target",
                                   errors=[{"field": f"{ind_code}.target", "message": "Phải lớn hơn 0."}])
            checked[ind_code]["target"] = target
        if "confirmed" in change:
            checked[ind_code]["confirmed"] = bool(change["confirmed"])
    version, known = build_version(Methodology, IndicatorGroup, Indicator, previous, code=code,
                                   name=(name or previous.name).strip()[:300],
                                   basis=(basis or "").strip()[:500] or previous.basis, valid_from=valid_from,
                                   created_by=acting_user, changes=checked)
    unknown = set(changes) - known
    if unknown:
        raise InvalidInput("Không có chỉ số: " + ", ".join(sorted(unknown)), code="unknown_indicator",
                           errors=[{"field": "changes", "message": "Mã chỉ số không có."}])
    record(actor=acting_user, action="serviceindex.methodology.created", obj=version,
           changes={"valid_from": valid_from.isoformat(), "previous": previous.code,
                    "changes": {k: {kk: str(vv) for kk, vv in v.items()} for k, v in changes.items()}})
    return version


@transaction.atomic
def take_snapshot(*, acting_user, agency, month: datetime.date, at: datetime.datetime | None = None) -> Snapshot:
    """Ảnh chụp điểm: compute a month's index for one scope and keep it
    (replacing an earlier snapshot of the same month). Run by the periodic
    job on the first of each month, by `backfill_service_index` and the demo."""
    from tinhso.serviceindex.engine import _month as month_period, compute

    if acting_user is not None and not has_role(acting_user, ADMIN_ROLES):
        raise PermissionDenied("Chỉ quản trị hệ thống được chụp lại điểm.", code="permission_denied")
    period = month_period(month.year, month.month)
    result = compute(agency, period)
    data = {"methodology": result["methodology"]["code"],
            "groups": [{"number": g["number"], "name": g["name"], "points": str(g["points"]),
                        "max_points": str(g["max_points"]),
                        "indicators": [{"code": i["code"], "points": str(i["points"]),
                                        "max_points": str(i["max_points"]), "numerator": i["numerator"],
                                        "denominator": i["denominator"], "value": str(i["value"])
                                        if i["value"] is not None else None} for i in g["indicators"]]}
                       for g in result["groups"]]}
    methodology = Methodology.objects.get(code=result["methodology"]["code"])
    row, created = Snapshot.objects.update_or_create(
        scope=scope_key(agency), month=period.first_day,
        defaults={"agency": agency, "methodology": methodology, "points": result["points"],
                  "max_points": result["max_points"], "data": data, "taken_at": at or timezone.now()})
    record(actor=acting_user, action="serviceindex.snapshot.taken", obj=row,
           changes={"month": period.first_day.isoformat(), "scope": row.scope, "points": str(row.points)})
    return row
