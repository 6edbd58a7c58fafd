"""Where a dossier goes: which agency does a process step, who is competent."""

from __future__ import annotations

import datetime

from tinhso.accounts.models import Role
from tinhso.agencies.models import Agency
from tinhso.core.errors import InvalidInput


def step_agency(step, *, receiving: Agency, competent: Agency) -> Agency:
    """The agency that performs `step` for a dossier received at `receiving`
    and resolved by `competent`: the step's own agency if named; else the
    nearest agency of the step's kind (the receiving or competent agency
    itself, then below the competent agency, then above it); a clerk step
    with nothing named happens at the receiving agency, any other at the
    competent agency."""
    if step.role == Role.CLERK and receiving.kind in DESK_KINDS:
        # Decree 118/2025: the desk that received the dossier receives it and returns its result, whatever the
        # process names (a provincial procedure received at a commune desk comes back there).
        return receiving
    if step.agency_id:
        return step.agency
    kind = step.agency_kind
    if kind:
        for candidate in (receiving, competent):
            if candidate.kind == kind:
                return candidate
        below = competent.subtree().filter(kind=kind, is_active=True).order_by("depth", "path").first()
        if below is not None:
            return below
        above = competent.ancestors_and_self().filter(kind=kind).order_by("-depth").first()
        if above is not None:
            return above
    return receiving if step.role == Role.CLERK else competent


DESK_KINDS = ("provincial_service_centre", "commune_service_centre")


def check_receiving(procedure, desk: Agency, *, day: datetime.date, ref=None) -> None:
    """The province publishes where each procedure may be received (the catalogue's dated "receiving" rows,
    by agency or by kind of agency); with none published, any one-stop desk of the province may receive it."""
    allowed = list(ref.receiving_agencies(procedure, day) if ref is not None else procedure.receiving_agencies(day))
    if allowed and desk not in allowed:
        names = "; ".join(sorted({a.name for a in allowed})[:3]) + ("…" if len(allowed) > 3 else "")
        raise InvalidInput(f"Thủ tục này chưa được công bố tiếp nhận tại {desk.name}; nơi tiếp nhận: {names}.",
                           code="not_receivable_here", errors=[{"field": "receiving_agency",
                                                                "message": "Nơi tiếp nhận không được công bố."}])


def choose_competent(procedure, *, receiving: Agency, area=None, chosen: Agency | None = None,
                     day: datetime.date, ref=None) -> Agency:
    """The competent agency for a new dossier: the one chosen (it must be
    competent), else the only candidate, else the candidate serving the
    dossier's commune, else the one above the receiving agency. With `ref`
    (tinhso/catalogue/refcache.py) the candidates come from that cache."""
    candidates = list(ref.competent_agencies(procedure, day) if ref is not None
                      else procedure.competent_agencies(day))
    if chosen is not None:
        if candidates and chosen not in candidates:
            raise InvalidInput(f"{chosen.name} không có thẩm quyền giải quyết thủ tục này.",
                               code="not_competent", errors=[{"field": "competent_agency",
                                                              "message": "Cơ quan không có thẩm quyền."}])
        return chosen
    if len(candidates) == 1:
        return candidates[0]
    if area is not None:
        for agency in candidates:
            if agency.unit_id == area.pk and agency.kind == "commune_committee":
                return agency
        for agency in candidates:
            if agency.unit_id == area.pk:
                return agency
    for agency in candidates:
        if receiving.path.startswith(agency.path) or agency.path.startswith(receiving.path):
            return agency
    if not candidates:
        raise InvalidInput("Thủ tục chưa được khai báo cơ quan có thẩm quyền giải quyết.", code="no_competent_agency")
    raise InvalidInput("Cần chọn cơ quan giải quyết (hoặc địa bàn của hồ sơ).", code="competent_agency_required",
                       errors=[{"field": "competent_agency", "message": "Chọn cơ quan giải quyết."}])
