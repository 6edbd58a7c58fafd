"""The catalogue as plain data: the one nested shape that the JSON file, the
Excel workbook and the import validator all share. `validation.clean_catalogue`
returns exactly what `procedure_to_dict` gives for the same procedure, which is
how an import recognises an unchanged procedure and how the round trip is tested."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Prefetch

from tinhso.catalogue.models import (
    Field,
    ImplementingAgency,
    Procedure,
    ProcedureCase,
    ProcessStep,
    StepMove,
)

FORMAT_NAME = "tinhso-catalogue"
FORMAT_VERSION = 1


def num(value: Decimal | int | float | None):
    """A Decimal as a JSON number: int when whole, float otherwise."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def procedure_queryset():
    steps = ProcessStep.objects.select_related("agency").prefetch_related(
        Prefetch("moves_out", queryset=StepMove.objects.select_related("to_step")))
    cases = ProcedureCase.objects.prefetch_related("components", "fees", Prefetch("steps", queryset=steps))
    return Procedure.objects.select_related("field").prefetch_related(
        Prefetch("cases", queryset=cases),
        Prefetch("implementing_agencies", queryset=ImplementingAgency.objects.select_related("agency")))


def case_to_dict(case: ProcedureCase) -> dict:
    steps = list(case.steps.all())
    moves = sorted(({"from": s.order, "to": m.to_step.order, "kind": m.kind} for s in steps for m in s.moves_out.all()),
                   key=lambda m: (m["from"], m["kind"], m["to"]))
    return {
        "code": case.code,
        "name": case.name,
        "processing_time": num(case.processing_time),
        "time_unit": case.time_unit,
        "online_processing_time": num(case.online_processing_time),
        "digital_signature_required": case.digital_signature_required,
        "online_payment_required": case.online_payment_required,
        "not_online": case.not_online,
        "authorised_filing": case.authorised_filing,
        "no_appointment": case.no_appointment,
        "fee_payment_moment": case.fee_payment_moment,
        "valid_from": iso(case.valid_from),
        "valid_to": iso(case.valid_to),
        "components": [{
            "order": c.order, "name": c.name, "paper_code": c.paper_code, "originals": c.originals,
            "copies": c.copies, "required": c.required, "template_url": c.template_url,
            "from_data_store": c.reusable_from_data_store, "from_national_db": c.reusable_from_national_db,
        } for c in case.components.all()],
        "fees": [{
            "kind": f.kind, "name": f.name, "amount": f.amount, "note": f.note,
            "valid_from": iso(f.valid_from), "valid_to": iso(f.valid_to),
        } for f in case.fees.all()],
        "steps": [{
            "order": s.order, "name": s.name, "role": s.role, "agency": s.agency.code if s.agency_id else None,
            "agency_kind": s.agency_kind, "allowance": num(s.allowance), "allowance_unit": s.allowance_unit,
        } for s in steps],
        "moves": moves,
    }


def procedure_to_dict(procedure: Procedure) -> dict:
    return {
        "code": procedure.code,
        "name": procedure.name,
        "field": procedure.field.code,
        "levels": procedure.levels,
        "online_level": procedure.online_level,
        "legacy_level": procedure.legacy_level,
        "result_name": procedure.result_name,
        "legal_basis": procedure.legal_basis,
        "decision": procedure.decision,
        "inter_agency": procedure.inter_agency,
        "fee_status": procedure.fee_status,
        "is_active": procedure.is_active,
        "note": procedure.note,
        "sample_fields": list(procedure.sample_fields or []),
        "agencies": [{
            "agency": a.agency.code if a.agency_id else None, "agency_kind": a.agency_kind, "role": a.role,
            "level": a.level, "valid_from": iso(a.valid_from), "valid_to": iso(a.valid_to),
        } for a in procedure.implementing_agencies.all()],
        "cases": [case_to_dict(c) for c in procedure.cases.all()],
    }


def export_catalogue(procedures=None, notes: str = "") -> dict:
    """The whole catalogue (or the given procedures) in the import format."""
    qs = procedures if procedures is not None else Procedure.objects.all()
    qs = procedure_queryset().filter(pk__in=qs.values("pk")).order_by("code")
    items = [procedure_to_dict(p) for p in qs]
    used = {p["field"] for p in items}
    fields = [{"code": f.code, "name": f.name} for f in Field.objects.filter(code__in=used).order_by("code")]
    return {"format": FORMAT_NAME, "version": FORMAT_VERSION, "notes": notes, "fields": fields,
            "procedures": items}
