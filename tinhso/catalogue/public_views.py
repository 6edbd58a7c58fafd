"""Public catalogue pages of the citizen portal (/dvc/thu-tuc/): anonymous,
read-only, Vietnamese first. Reads go through `queries`; the search forgives
missing diacritics and typos (`fuzzy`)."""

from __future__ import annotations

from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinhso.agencies.models import Agency
from tinhso.catalogue import queries
from tinhso.catalogue.fuzzy import describe, fuzzy_search
from tinhso.catalogue.models import (
    AgencyRole,
    Field,
    ImplementingAgency,
    OnlineLevel,
    Procedure,
    ProcedureCase,
    TimeUnit,
    effective_on,
)

PAGE_SIZE = 20
ONLINE_FILTERS = {OnlineLevel.FULL.value: gettext_lazy("Toàn trình"),
                  OnlineLevel.PARTIAL.value: gettext_lazy("Một phần")}
MAX_LISTED_AGENCIES = 200


def number(value) -> str:
    """`1.00` -> `1`, `4.50` -> `4,5` (Vietnamese decimal comma)."""
    if value is None:
        return ""
    value = Decimal(value).normalize()
    text = f"{value:f}"
    return text.replace(".", ",")


def money(amount: int) -> str:
    """`75000` -> `75.000 đồng`; 0 -> `Miễn`."""
    if not amount:
        return _("Miễn")
    return f"{amount:,}".replace(",", ".") + " " + _("đồng")


def duration(value, unit: str) -> str:
    return f"{number(value)} {TimeUnit(unit).label}"


def case_online(procedure: Procedure, case: ProcedureCase) -> bool:
    """A case can be filed on the portal when the procedure is an online
    service — end-to-end (toàn trình) or partial (một phần: filed online, some
    step such as the result at the desk) — and the case is not marked
    unavailable online."""
    return (procedure.is_active and procedure.online_level in (OnlineLevel.FULL, OnlineLevel.PARTIAL)
            and not case.not_online)


def _competent_agency_choices(day):
    """Active agencies competent for some active procedure today: those named
    one by one plus every agency of a named kind."""
    rules = ImplementingAgency.objects.filter(effective_on(day), role=AgencyRole.COMPETENT, procedure__is_active=True)
    ids = {a for a in rules.values_list("agency_id", flat=True) if a}
    kinds = {k for k in rules.values_list("agency_kind", flat=True) if k}
    if not ids and not kinds:
        return []
    return list(Agency.objects.filter(Q(pk__in=ids) | Q(kind__in=kinds), is_active=True)
                .order_by("name").values_list("code", "name"))


def catalogue_view(request):
    day = timezone.localdate()
    q = (request.GET.get("q") or "").strip()[:200]
    field = (request.GET.get("field") or "").strip()
    agency = (request.GET.get("agency") or "").strip()
    online = request.GET.get("online") or ""
    if online not in ONLINE_FILTERS:
        online = ""

    qs = queries.search(field=field, agency=agency, online_level=online or None, day=day)
    qs, correction = fuzzy_search(qs, q)
    current_cases = ProcedureCase.objects.filter(effective_on(day)).only(
        "procedure_id", "position", "processing_time", "time_unit")
    qs = (qs.select_related("field")
          .only("code", "name", "result_name", "field__name", "level_province", "level_commune", "online_level")
          .prefetch_related(Prefetch("cases", queryset=current_cases, to_attr="current_cases")))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    if correction.corrected and len(page):
        # Every token matched the first result: take the corrected words, with their diacritics, from it.
        first = page[0]
        correction.shown = describe(correction, f"{first.code} {first.name} {first.result_name}")
    for p in page:
        times = []
        for c in p.current_cases:
            text = duration(c.processing_time, c.time_unit)
            if text not in times:
                times.append(text)
        p.time_text = "; ".join(times)

    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "q": q, "field": field, "agency": agency, "online": online, "page": page, "query": params.urlencode(),
        "correction": correction if q else None,
        "fields": Field.objects.filter(procedures__is_active=True).distinct().order_by("name"),
        "agencies": _competent_agency_choices(day), "online_choices": ONLINE_FILTERS.items(),
        "filtered": bool(q or field or agency or online),
    }
    return render(request, "catalogue/public/catalogue.html", context)


def _agencies(procedure: Procedure, day, role: str) -> list[dict]:
    """Who resolves (or receives) the procedure today: a named agency, or a
    kind of agency with the active agencies of that kind."""
    resolved = list(ImplementingAgency.resolve(procedure, role, day).order_by("name").only("name", "kind"))
    out = []
    for rule in queries.agencies_on(procedure, day).filter(role=role):
        if rule.agency_id:
            if rule.agency.is_active:
                out.append({"name": rule.agency.name, "level": rule.get_level_display(), "members": []})
        else:
            members = [a.name for a in resolved if a.kind == rule.agency_kind]
            out.append({"name": rule.get_agency_kind_display(), "level": rule.get_level_display(),
                        "members": members[:MAX_LISTED_AGENCIES], "count": len(members)})
    return out


def procedure_view(request, code):
    day = timezone.localdate()
    procedure = Procedure.objects.select_related("field").filter(code=code).first()
    if procedure is None:
        return render(request, "catalogue/public/not_found.html", {"code": code}, status=404)
    cases = []
    for case in queries.cases_on(procedure, day):
        cases.append({
            "case": case,
            "time": duration(case.processing_time, case.time_unit),
            "online_time": (duration(case.online_processing_time, case.time_unit)
                            if case.online_processing_time is not None
                            and case.online_processing_time != case.processing_time else ""),
            "online": case_online(procedure, case),
            "components": [{
                "item": x, "template": x.template_file.url if x.template_file else x.template_url,
            } for x in case.components.all()],
            "fees": [{"fee": f, "amount": money(f.amount)} for f in case.fees.all()],
            "steps": [s.name for s in case.steps.all()],  # ordered by `order`
        })
    context = {
        "procedure": procedure, "cases": cases, "day": day,
        "competent": _agencies(procedure, day, AgencyRole.COMPETENT),
        "receiving": _agencies(procedure, day, AgencyRole.RECEIVING),
    }
    return render(request, "catalogue/public/procedure.html", context)
