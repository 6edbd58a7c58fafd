"""Read-side helpers shared by the API and the back-office pages."""

from __future__ import annotations

import datetime
import hashlib
import json
import uuid

from django.db.models import Prefetch
from django.utils import timezone

from tinhso.agencies.models import Agency
from tinhso.catalogue.excel import workbook_bytes
from tinhso.catalogue.exporting import export_catalogue, num
from tinhso.catalogue.models import (
    Fee,
    ImplementingAgency,
    Procedure,
    ProcedureCase,
    ProcessStep,
    StepMove,
    effective_on,
)
from tinhso.core.search import filter_folded

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def search(*, q: str = "", field: str = "", level: str | None = None, agency: str = "",
           online_level: str | None = None, active_only: bool = True, day: datetime.date | None = None):
    qs = Procedure.objects.all()
    if active_only:
        qs = qs.active()
    qs = filter_folded(qs, q)
    if field:
        qs = qs.filter(field__code=field)
    if level:
        qs = qs.at_level(level)
    if online_level:
        qs = qs.filter(online_level=online_level)
    if agency:
        found = Agency.objects.filter(code=agency).first()
        qs = qs.competent_agency(found, day) if found else qs.none()
    return qs.order_by("code")


# --------------------------------------------------------------------------- cached public search

SEARCH_CACHE_PREFIX = "catalogue:search"
VERSION_KEY = "catalogue:version"


def catalogue_version() -> str:
    """A token that changes whenever the catalogue changes (see `bump_version`).
    A version evicted from the cache is replaced by a new one, never by an old
    one, so an eviction can only make cached pages unreachable."""
    from django.core.cache import cache

    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_version() -> None:
    """The catalogue changed: cached search pages are no longer used (at once in
    this process and with a shared Redis cache; other processes with the
    per-process cache within TINHSO_CATALOGUE_CACHE_SECONDS)."""
    from django.core.cache import cache

    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def search_page(*, q: str = "", field: str = "", level: str | None = None, agency: str = "",
                online_level: str | None = None, limit: int = 20, offset: int = 0) -> dict:
    """One page of the public search: {"count", "limit", "offset", "items"}.

    Served from the Django cache for TINHSO_CATALOGUE_CACHE_SECONDS
    (0 = never cached). The key holds the catalogue version (read before the
    query, so a page computed from data older than a change is stored under
    the old version) and today's date (the competent agency filter depends
    on the day)."""
    from django.conf import settings
    from django.core.cache import cache

    seconds = getattr(settings, "TINHSO_CATALOGUE_CACHE_SECONDS", 0)
    key = None
    if seconds > 0:
        params = json.dumps([q, field, level, agency, online_level, limit, offset], ensure_ascii=False)
        digest = hashlib.sha256(params.encode()).hexdigest()[:32]
        key = f"{SEARCH_CACHE_PREFIX}:{catalogue_version()}:{timezone.localdate():%Y%m%d}:{digest}"
        page = cache.get(key)
        if page is not None:
            return page
    qs = search(q=q, field=field, level=level, agency=agency, online_level=online_level)
    items = [list_item(p) for p in qs.select_related("field")[offset:offset + limit]]
    # A short first page is the whole result: no COUNT query.
    total = offset + len(items) if len(items) < limit and (items or offset == 0) else qs.count()
    page = {"count": total, "limit": limit, "offset": offset, "items": items}
    if key is not None:
        cache.set(key, page, seconds)
    return page


REF_MODELS = {"procedure": Procedure, "agency": Agency}


def cached_refs(wanted) -> dict[tuple[str, int], dict]:
    """`{"code", "name"}` of procedures and agencies by id, for public answers
    that name them beside rows of their own (the dossier look-up): read from
    the cache under the catalogue version (saving a procedure or an agency
    bumps it), else from the database with one query per kind.

    `wanted` is an iterable of ("procedure" | "agency", id)."""
    from django.conf import settings
    from django.core.cache import cache

    wanted = set(wanted)
    seconds = getattr(settings, "TINHSO_CATALOGUE_CACHE_SECONDS", 0)
    found: dict[tuple[str, int], dict] = {}
    keys = {}
    if seconds > 0:
        version = catalogue_version()
        keys = {f"catalogue:ref:{version}:{kind}:{pk}": (kind, pk) for kind, pk in wanted}
        found = {keys[key]: value for key, value in cache.get_many(list(keys)).items()}
    missing = wanted - found.keys()
    fresh = {}
    for kind in sorted({kind for kind, _ in missing}):
        ids = [pk for k, pk in missing if k == kind]
        for pk, code, name in REF_MODELS[kind].objects.filter(pk__in=ids).order_by().values_list("pk", "code", "name"):
            fresh[(kind, pk)] = {"code": code, "name": name}
    if fresh and seconds > 0:
        cache.set_many({key: fresh[ref] for key, ref in keys.items() if ref in fresh}, seconds)
    return {**found, **fresh}


def list_item(p: Procedure) -> dict:
    return {"code": p.code, "name": p.name, "field": {"code": p.field.code, "name": p.field.name},
            "levels": p.levels, "online_level": p.online_level, "legacy_level": p.legacy_level,
            "result_name": p.result_name, "is_active": p.is_active}


def get_procedure(code: str) -> Procedure | None:
    return Procedure.objects.select_related("field").filter(code=code).first()


def cases_on(procedure: Procedure, day: datetime.date):
    steps = ProcessStep.objects.select_related("agency").prefetch_related(
        Prefetch("moves_out", queryset=StepMove.objects.select_related("to_step")))
    return (ProcedureCase.objects.filter(effective_on(day), procedure=procedure)
            .prefetch_related("components", Prefetch("fees", queryset=Fee.objects.filter(effective_on(day))),
                              Prefetch("steps", queryset=steps)))


def agencies_on(procedure: Procedure, day: datetime.date):
    return ImplementingAgency.objects.filter(effective_on(day), procedure=procedure).select_related("agency")


def step_targets(step: ProcessStep, kind: str) -> list[int]:
    return [m.to_step.order for m in step.moves_out.all() if m.kind == kind]


def detail(procedure: Procedure, day: datetime.date | None = None) -> dict:
    day = day or timezone.localdate()
    cases = []
    for c in cases_on(procedure, day):
        cases.append({
            "code": c.code, "name": c.name, "processing_time": num(c.processing_time), "time_unit": c.time_unit,
            "online_processing_time": num(c.online_processing_time),
            "digital_signature_required": c.digital_signature_required,
            "online_payment_required": c.online_payment_required, "not_online": c.not_online,
            "authorised_filing": c.authorised_filing, "no_appointment": c.no_appointment,
            "fee_payment_moment": c.fee_payment_moment, "valid_from": c.valid_from, "valid_to": c.valid_to,
            "components": [{
                "order": x.order, "name": x.name, "paper_code": x.paper_code, "originals": x.originals,
                "copies": x.copies, "required": x.required, "template_url": x.template_url,
                "template_file_url": x.template_file.url if x.template_file else None,
                "from_data_store": x.reusable_from_data_store, "from_national_db": x.reusable_from_national_db,
            } for x in c.components.all()],
            "fees": [{"kind": f.kind, "name": f.name, "amount": f.amount, "note": f.note,
                      "valid_from": f.valid_from, "valid_to": f.valid_to} for f in c.fees.all()],
            "steps": [{
                "order": s.order, "name": s.name, "role": s.role, "agency": s.agency.code if s.agency_id else None,
                "agency_kind": s.agency_kind, "allowance": num(s.allowance), "allowance_unit": s.allowance_unit,
                "forward_to": step_targets(s, "forward"), "back_to": step_targets(s, "back"),
            } for s in c.steps.all()],
        })
    return {
        **list_item(procedure), "legal_basis": procedure.legal_basis, "decision": procedure.decision,
        "inter_agency": procedure.inter_agency, "fee_status": procedure.fee_status, "note": procedure.note,
        "sample_fields": procedure.sample_fields or [], "on": day,
        "agencies": [{
            "agency": a.agency.code if a.agency_id else None, "agency_name": a.agency.name if a.agency_id else None,
            "agency_kind": a.agency_kind, "role": a.role, "level": a.level,
            "valid_from": a.valid_from, "valid_to": a.valid_to,
        } for a in agencies_on(procedure, day)],
        "cases": cases,
    }


def export_file(fmt: str) -> tuple[bytes, str, str]:
    stamp = timezone.localdate().isoformat()
    data = export_catalogue()
    if fmt == "xlsx":
        return workbook_bytes(data), XLSX_TYPE, f"danh-muc-thu-tuc-{stamp}.xlsx"
    return (json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"), "application/json; charset=utf-8",
            f"danh-muc-thu-tuc-{stamp}.json")
