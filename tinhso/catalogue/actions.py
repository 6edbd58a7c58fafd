"""Every change to the catalogue goes through one of these functions: one
transaction, a keyword-only `acting_user`, a permission check and an audit
row. Only catalogue managers and system administrators may change it.

`acting_user=None` is accepted only together with `system=True`, the path the
demo seeding uses (`tinhso.catalogue.demo.load_demo_catalogue`); the audit row
then names "system" as the actor. Views always pass `request.user`, never None."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import has_role, require_role
from tinhso.agencies.models import Agency
from tinhso.audit.actions import diff, record
from tinhso.catalogue.exporting import procedure_queryset, procedure_to_dict
from tinhso.catalogue.models import (
    Fee,
    Field,
    ImplementingAgency,
    OnlineLevel,
    Procedure,
    ProcedureCase,
    ProcessStep,
    ReferenceRevision,
    RequiredComponent,
    StepMove,
)
from tinhso.catalogue.models.choices import LEGACY_TO_ONLINE
from tinhso.catalogue.validation import CODE_RE, Cleaner, clean_case, clean_catalogue
from tinhso.core.errors import Conflict, InvalidInput

MANAGERS = (Role.CATALOGUE_MANAGER, Role.SYSTEM_ADMIN)
PROCEDURE_FIELDS = ["name", "field", "level_province", "level_commune", "online_level", "legacy_level",
                    "result_name", "legal_basis", "decision", "inter_agency", "fee_status", "note"]


def can_manage(user) -> bool:
    return has_role(user, MANAGERS)


def check_can_manage(user, *, system: bool = False) -> None:
    if user is None and system:
        return
    require_role(user, MANAGERS, message=_("Chỉ người quản lý danh mục thủ tục hoặc quản trị hệ thống "
                                           "được thay đổi danh mục."))


def _check_procedure_values(values: dict) -> None:
    errors = []
    if not (values.get("level_province") or values.get("level_commune")):
        errors.append({"field": "level_province", "message": _("Chọn ít nhất một cấp thực hiện.")})
    legacy, online = values.get("legacy_level"), values.get("online_level")
    if legacy and online and LEGACY_TO_ONLINE[legacy] != online:
        errors.append({"field": "legacy_level", "message": _(
            "Mức độ cũ không khớp với mức trực tuyến (mức 4 = toàn trình, mức 3 = một phần).")})
    if errors:
        raise InvalidInput(errors[0]["message"], errors=errors)


@transaction.atomic
def create_procedure(*, acting_user, code: str, values: dict) -> Procedure:
    """Thêm thủ tục. `values` holds the model fields in PROCEDURE_FIELDS."""
    check_can_manage(acting_user)
    code = (code or "").strip()
    if not CODE_RE.match(code):
        raise InvalidInput(_("Mã thủ tục chỉ gồm chữ, số và dấu chấm, ví dụ 1.001193."),
                           errors=[{"field": "code", "message": _("Mã thủ tục không hợp lệ.")}])
    if Procedure.objects.filter(code=code).exists():
        raise InvalidInput(_("Đã có thủ tục mã %(c)s.") % {"c": code},
                           errors=[{"field": "code", "message": _("Mã thủ tục đã tồn tại.")}])
    _check_procedure_values(values)
    procedure = Procedure(code=code, **{k: v for k, v in values.items() if k in PROCEDURE_FIELDS})
    procedure.save()
    record(actor=acting_user, action="catalogue.procedure.create", obj=procedure,
           changes={"code": code, "name": procedure.name})
    return procedure


@transaction.atomic
def update_procedure(*, acting_user, procedure: Procedure, values: dict,
                     expected_updated_at: datetime.datetime | None = None) -> Procedure:
    """Sửa thông tin chung của thủ tục. With `expected_updated_at`, refuse to
    overwrite a change someone else saved in between."""
    check_can_manage(acting_user)
    locked = Procedure.objects.select_for_update().get(pk=procedure.pk)
    if expected_updated_at is not None and locked.updated_at != expected_updated_at:
        raise Conflict()
    _check_procedure_values({**{k: getattr(locked, k) for k in PROCEDURE_FIELDS}, **values})
    changes = diff(locked, PROCEDURE_FIELDS, values)
    for key, value in values.items():
        if key in PROCEDURE_FIELDS:
            setattr(locked, key, value)
    locked.save()
    record(actor=acting_user, action="catalogue.procedure.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def set_procedure_active(*, acting_user, procedure: Procedure, active: bool) -> Procedure:
    """Ngừng áp dụng (or apply again) a procedure; nothing is deleted."""
    check_can_manage(acting_user)
    if procedure.is_active != active:
        procedure.is_active = active
        procedure.save(update_fields=["is_active", "updated_at"])
        record(actor=acting_user, action="catalogue.procedure." + ("activate" if active else "deactivate"),
               obj=procedure, changes={"is_active": [not active, active]})
    return procedure


def deactivate_procedure(*, acting_user, procedure: Procedure) -> Procedure:
    return set_procedure_active(acting_user=acting_user, procedure=procedure, active=False)


@transaction.atomic
def save_case(*, acting_user, procedure: Procedure, data: dict, case: ProcedureCase | None = None) -> ProcedureCase:
    """Thêm or sửa a case with its papers, fees, steps and moves, given in the
    import format (`validation.clean_case`); the nested parts are replaced."""
    check_can_manage(acting_user)
    cleaner = Cleaner()
    clean = clean_case(cleaner, data, "case")
    cleaner.check_agency_refs()
    others = procedure.cases.exclude(pk=case.pk) if case else procedure.cases.all()
    if clean["code"] and others.filter(code=clean["code"]).exists():
        cleaner.error("case.code", _("Mã trường hợp “%(c)s” đã có trong thủ tục.") % {"c": clean["code"]})
    if cleaner.errors:
        raise InvalidInput(_("Trường hợp chưa được lưu vì có %(n)s lỗi.") % {"n": len(cleaner.errors)},
                           errors=cleaner.errors)
    created = case is None
    if created:
        case = ProcedureCase(procedure=procedure, position=procedure.cases.count())
    before = {} if created else _case_snapshot(case)
    _write_case(case, clean, case.position, _agency_map(clean_refs=[clean]))
    Procedure.objects.filter(pk=procedure.pk).update(updated_at=datetime.datetime.now(tz=datetime.UTC))
    record(actor=acting_user, action="catalogue.case." + ("create" if created else "update"), obj=case,
           changes={"procedure": procedure.code, "code": case.code,
                    "changed": sorted(k for k, v in clean.items() if before.get(k) != v)})
    return case


@transaction.atomic
def delete_case(*, acting_user, case: ProcedureCase) -> None:
    check_can_manage(acting_user)
    if case.procedure.cases.count() <= 1:
        raise InvalidInput(_("Thủ tục phải còn ít nhất một trường hợp giải quyết."))
    record(actor=acting_user, action="catalogue.case.delete", obj=case,
           changes={"procedure": case.procedure.code, "code": case.code})
    case.delete()


def _case_snapshot(case: ProcedureCase) -> dict:
    from tinhso.catalogue.exporting import case_to_dict

    fresh = ProcedureCase.objects.prefetch_related("components", "fees", "steps__moves_out__to_step").get(pk=case.pk)
    return case_to_dict(fresh)


# --- import --------------------------------------------------------------------------------------------------


@transaction.atomic
def import_catalogue(data, *, acting_user, system: bool = False, locate=None, pre_errors=None) -> dict:
    """Nhập danh mục: validate the whole file first; on any error raise
    InvalidInput listing every bad row and write nothing. Otherwise create or
    update each procedure by national code (its agencies, cases, papers,
    fees and steps are replaced by the file's) and leave identical ones alone.

    `locate` maps error paths to places in the uploaded file (Excel rows);
    `pre_errors` are problems the file reader already found (already located).
    Returns counts: created, updated, unchanged, total."""
    check_can_manage(acting_user, system=system)
    clean, errors = clean_catalogue(data)
    if locate is not None:
        errors = locate(errors)
    errors = list(pre_errors or []) + errors
    if errors:
        raise InvalidInput(_("Tệp có %(n)s lỗi; chưa có dữ liệu nào được nhập. Sửa các dòng dưới đây rồi "
                             "nhập lại.") % {"n": len(errors)}, errors=errors)

    field_changes = 0
    for row in clean["fields"]:
        field, made = Field.objects.get_or_create(code=row["code"], defaults={"name": row["name"]})
        if not made and field.name != row["name"]:
            field.name = row["name"]
            field.save(update_fields=["name"])
        field_changes += made or field.name != row["name"]
    fields = {f.code: f for f in Field.objects.filter(code__in={p["field"] for p in clean["procedures"]})}
    agencies = _agency_map(clean["procedures"])
    existing = {p.code: p for p in procedure_queryset().filter(code__in=[p["code"] for p in clean["procedures"]])}

    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for item in clean["procedures"]:
        old = existing.get(item["code"])
        old_dict = procedure_to_dict(old) if old else None
        if old_dict == item:
            counts["unchanged"] += 1
            continue
        procedure = _write_procedure(item, old, fields, agencies)
        if old is None:
            counts["created"] += 1
            record(actor=acting_user, action="catalogue.procedure.import_create", obj=procedure,
                   changes={"code": procedure.code})
        else:
            counts["updated"] += 1
            record(actor=acting_user, action="catalogue.procedure.import_update", obj=procedure,
                   changes={"changed": sorted(k for k, v in item.items() if old_dict.get(k) != v)})
    counts["total"] = len(clean["procedures"])
    record(actor=acting_user, action="catalogue.import", changes={**counts, "fields_changed": field_changes})
    return counts


def _agency_map(procedures: list[dict] | None = None, clean_refs: list[dict] | None = None) -> dict:
    codes = set()
    for p in procedures or []:
        codes |= {a["agency"] for a in p["agencies"] if a["agency"]}
        clean_refs = (clean_refs or []) + p["cases"]
    for case in clean_refs or []:
        codes |= {s["agency"] for s in case["steps"] if s["agency"]}
    return {a.code: a for a in Agency.objects.filter(code__in=codes)}


def _write_procedure(item: dict, procedure: Procedure | None, fields: dict, agencies: dict) -> Procedure:
    procedure = procedure or Procedure(code=item["code"])
    for key in ("name", "online_level", "legacy_level", "result_name", "legal_basis", "decision", "inter_agency",
                "fee_status", "is_active", "note", "sample_fields"):
        setattr(procedure, key, item[key])
    procedure.online_level = item["online_level"] or OnlineLevel.NONE
    procedure.field = fields[item["field"]]
    procedure.level_province = "province" in item["levels"]
    procedure.level_commune = "commune" in item["levels"]
    procedure.save()

    procedure.implementing_agencies.all().delete()
    ImplementingAgency.objects.bulk_create([ImplementingAgency(
        procedure=procedure, position=i, agency=agencies.get(a["agency"]) if a["agency"] else None,
        agency_kind=a["agency_kind"], role=a["role"], level=a["level"],
        valid_from=a["valid_from"], valid_to=a["valid_to"]) for i, a in enumerate(item["agencies"])])
    ReferenceRevision.bump()  # bulk_create sends no signal (see signals.py)

    old_cases = {c.code: c for c in procedure.cases.all()} if procedure.pk else {}
    for position, data in enumerate(item["cases"]):
        case = old_cases.pop(data["code"], None) or ProcedureCase(procedure=procedure)
        _write_case(case, data, position, agencies)
    for stale in old_cases.values():
        # A case that dossiers were filed under is ended, not deleted: they keep it.
        try:
            with transaction.atomic():
                stale.delete()
        except ProtectedError:
            stale.valid_to = min(stale.valid_to or datetime.date.max, timezone.localdate() - datetime.timedelta(days=1))
            stale.save(update_fields=["valid_to"])
    return procedure


def _write_case(case: ProcedureCase, data: dict, position: int, agencies: dict) -> None:
    case.position = position
    for key in ("code", "name", "processing_time", "time_unit", "online_processing_time",
                "digital_signature_required", "online_payment_required", "not_online", "authorised_filing",
                "no_appointment", "fee_payment_moment", "valid_from", "valid_to"):
        setattr(case, key, data[key])
    case.save()
    case.refresh_from_db()

    # Papers are updated in place (matched by name) so that dossiers keep their link to them.
    old_components = {c.name: c for c in case.components.all()}
    for c in data["components"]:
        row = old_components.pop(c["name"], None) or RequiredComponent(case=case, name=c["name"])
        row.order, row.paper_code, row.originals, row.copies = c["order"], c["paper_code"], c["originals"], c["copies"]
        row.required, row.template_url = c["required"], c["template_url"]
        row.reusable_from_data_store, row.reusable_from_national_db = c["from_data_store"], c["from_national_db"]
        row.save()
    for stale in old_components.values():
        stale.delete()

    case.fees.all().delete()
    Fee.objects.bulk_create([Fee(case=case, position=i, kind=f["kind"], name=f["name"], amount=f["amount"],
                                 note=f["note"], valid_from=f["valid_from"], valid_to=f["valid_to"])
                             for i, f in enumerate(data["fees"])])

    # Steps are updated in place (matched by order): dossiers on the way point at them.
    StepMove.objects.filter(from_step__case=case).delete()
    old_steps = {st.order: st for st in case.steps.all()}
    steps = {}
    for s in data["steps"]:
        step = old_steps.pop(s["order"], None) or ProcessStep(case=case, order=s["order"])
        step.name, step.role, step.agency_kind = s["name"], s["role"], s["agency_kind"]
        step.agency = agencies.get(s["agency"]) if s["agency"] else None
        step.allowance, step.allowance_unit = s["allowance"], s["allowance_unit"]
        step.save()
        steps[s["order"]] = step
    for stale in old_steps.values():
        try:
            with transaction.atomic():
                stale.delete()
        except ProtectedError:
            raise InvalidInput(_("Bước %(n)s “%(name)s” của trường hợp %(case)s đang có hồ sơ xử lý; không thể bỏ "
                                 "bước này. Giữ bước hoặc chờ các hồ sơ đi qua bước khác.")
                               % {"n": stale.order, "name": stale.name, "case": case.code},
                               code="step_in_use") from None
    StepMove.objects.bulk_create([StepMove(from_step=steps[m["from"]], to_step=steps[m["to"]], kind=m["kind"])
                                  for m in data["moves"]])
    ReferenceRevision.bump()  # bulk_create sends no signal (see signals.py)


__all__ = ["MANAGERS", "can_manage", "check_can_manage", "create_procedure", "deactivate_procedure",
           "delete_case", "import_catalogue", "save_case", "set_procedure_active", "update_procedure"]
