"""What is behind an indicator: the dossiers or procedures it counts, or the
ones that lost it points (the denominator minus the numerator), with the
reason for each, paginated on the page and complete in the Excel export.

The list reads the same conditions as the figure (formulas.py), so a list's
length is the indicator's numerator ("counted") or denominator − numerator
("missing")."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from tinhso.core.errors import InvalidInput
from tinhso.dashboard.queries import Period
from tinhso.dossiers.models import DossierComponent, Outcome
from tinhso.serviceindex.engine import methodology_for, window
from tinhso.serviceindex.formulas import FORMULAS
from tinhso.serviceindex.models import Indicator, Source

KINDS = ("missing", "counted")
EXPORT_LIMIT = 100_000


def indicator_of(code: str, period: Period):
    found = Indicator.objects.filter(group__methodology=methodology_for(period.last_day), code=code).first()
    if found is None:
        raise InvalidInput(_("Không có chỉ số %(code)s trong phương pháp đang áp dụng.") % {"code": code},
                           code="unknown_indicator", errors=[{"field": "code", "message": _("Mã chỉ số không có.")}])
    if found.source != Source.COMPUTED:
        raise InvalidInput(_("Chỉ số %(code)s là số liệu nhập tay, không có danh sách chi tiết.") % {"code": code},
                           code="entered_indicator", errors=[{"field": "code", "message": _("Chỉ số nhập tay.")}])
    return found


def queryset(indicator, agency, period: Period, kind: str):
    """The rows behind `indicator`: `counted` (the numerator) or `missing` (denominator − numerator)."""
    if kind not in KINDS:
        raise InvalidInput(_("Loại danh sách không hợp lệ."), code="invalid_kind",
                           errors=[{"field": "kind", "message": _("Chọn missing hoặc counted.")}])
    from tinhso.serviceindex.formulas import rows

    f = FORMULAS[indicator.formula]
    w = window(period)
    qs = rows(f, agency, w).filter(f.base(w))
    hit = f.hit(w, agency)
    qs = qs.filter(hit) if kind == "counted" else qs.exclude(hit)
    if f.table == "dossier":
        return qs.select_related("procedure", "competent_agency").order_by("received_at", "pk")
    if f.table == "evaluation":
        return qs.select_related("dossier", "dossier__procedure", "dossier__competent_agency").order_by(
            "created_at", "pk")
    return qs.select_related("field").order_by("code")


def label(indicator, kind: str) -> str:
    f = FORMULAS[indicator.formula]
    return str(f.hit_label if kind == "counted" else f.miss_label)


def rows_for(indicator, objects, kind: str) -> list[dict]:
    """Display rows (no personal data: code, procedure, agency, dates, reason)."""
    f = FORMULAS[indicator.formula]
    objects = list(objects)
    if f.table == "procedure":
        return [{"code": p.code, "name": p.name, "field": p.field.name if p.field_id else "",
                 "online_level": p.get_online_level_display(), "fee": p.get_fee_status_display(),
                 "reason": _procedure_reason(indicator.formula, p) if kind == "missing" else ""} for p in objects]
    if f.table == "evaluation":
        return [{"code": e.dossier.code, "name": e.dossier.procedure.name, "agency": e.dossier.competent_agency.name,
                 "at": e.created_at, "reason": e.get_overall_display()} for e in objects]
    if indicator.formula in ("digitised_dossiers",):
        _attach_components([d for d in objects])
    return [{"code": d.code, "name": d.procedure.name, "agency": d.competent_agency.name, "at": d.received_at,
             "due_at": d.original_due_at or d.due_at, "handled_at": d.handled_at,
             "reason": _dossier_reason(indicator.formula, d) if kind == "missing" else ""} for d in objects]


def _attach_components(dossiers) -> None:
    by_id = {d.pk: d for d in dossiers}
    for d in dossiers:
        d.si_components = []
    for c in DossierComponent.objects.filter(dossier_id__in=list(by_id)).only(
            "dossier_id", "name", "received", "digitisation", "reused_from_data_store", "national_source"):
        by_id[c.dossier_id].si_components.append(c)


def _dossier_reason(key: str, d) -> str:
    if key == "on_time":
        parts = []
        if d.outcome == Outcome.LATE:
            parts.append(_("Giải quyết quá hạn"))
        if d.supplement_requests > 1:
            parts.append(_("Yêu cầu bổ sung %(n)s lần") % {"n": d.supplement_requests})
        return "; ".join(parts)
    if key == "resolution_time":
        used = (d.handled_at - d.counting_from) / (d.original_due_at - d.counting_from) \
            if d.original_due_at > d.counting_from else None
        return _("Dùng %(share)s%% thời gian quy định") % {"share": round(used * 100)} if used is not None \
            else _("Quá thời gian quy định")
    if key == "handling_satisfaction":
        return _("Giải quyết quá hạn") if d.outcome == Outcome.LATE else _("Bị đánh giá không hài lòng")
    if key == "digitised_dossiers":
        comps = getattr(d, "si_components", [])
        paper = [c.name[:80] for c in comps if c.received and not c.is_digitised]
        parts = []
        if not comps or not any(c.is_digitised for c in comps):
            parts.append(_("Không có thành phần nào được số hóa"))
        if paper:
            parts.append(_("Chỉ bản giấy: %(names)s") % {"names": "; ".join(paper[:5])})
        if d.status in (9, 10) and d.result_form != "electronic" and d.result_digitised_at is None:
            parts.append(_("Kết quả giấy chưa số hóa"))
        return "; ".join(parts)
    if key == "electronic_results":
        return _("Kết quả giấy chưa số hóa") if d.result_form == "paper" else _("Chưa ghi hình thức kết quả")
    if key in ("dossiers_synced", "online_dossiers"):
        return _("Nộp trực tiếp") if key == "online_dossiers" and d.channel != 2 else _("Còn sự kiện chưa đồng bộ")
    return ""


def _procedure_reason(key: str, p) -> str:
    if key == "procedures_complete":
        return _("Thiếu thành phần hồ sơ hoặc tên kết quả")
    if key == "online_used":
        return _("Chưa có hồ sơ trực tuyến trong kỳ")
    return p.get_online_level_display()


def xlsx(indicator, agency_label: str, period: Period, kind: str, objects) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = f"Chi so {indicator.code}"[:31]
    sheet.append([f"{indicator.code} {indicator.name}"])
    sheet.append([agency_label, period.label, label(indicator, kind)])
    data = rows_for(indicator, objects.iterator(chunk_size=2000) if hasattr(objects, "iterator") else objects, kind)
    if FORMULAS[indicator.formula].table == "procedure":
        sheet.append([_("Mã thủ tục"), _("Tên thủ tục"), _("Lĩnh vực"), _("Mức độ trực tuyến"), _("Phí, lệ phí"),
                      _("Lý do")])
        for r in data:
            sheet.append([r["code"], r["name"], r["field"], r["online_level"], r["fee"], r["reason"]])
    else:
        sheet.append([_("Mã hồ sơ"), _("Thủ tục"), _("Cơ quan giải quyết"), _("Tiếp nhận / đánh giá"),
                      _("Hẹn trả"), _("Giải quyết xong"), _("Lý do")])
        for r in data:
            sheet.append([r["code"], r["name"], r["agency"], _naive(r["at"]), _naive(r.get("due_at")),
                          _naive(r.get("handled_at")), r["reason"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _naive(moment):
    if moment is None:
        return None
    from tinhso.workcalendar.engine import TZ

    return moment.astimezone(TZ).replace(tzinfo=None)


__all__ = ["queryset", "rows_for", "xlsx", "indicator_of", "label", "EXPORT_LIMIT"]
