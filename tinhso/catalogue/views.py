"""Back-office pages (/catalogue/). Thin: read through `queries`, change
through `actions`; domain errors become form errors or messages."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinhso.accounts.decorators import staff_required
from tinhso.catalogue import actions, queries
from tinhso.catalogue.exporting import iso, num
from tinhso.catalogue.forms import (
    CaseForm,
    ComponentFormSet,
    FeeFormSet,
    FilterForm,
    ImportForm,
    ProcedureForm,
    StepFormSet,
)
from tinhso.catalogue.models import Procedure, ProcedureCase
from tinhso.catalogue.uploads import import_upload
from tinhso.core.errors import DomainError, InvalidInput

MANAGERS = actions.MANAGERS


@staff_required()
def index_view(request):
    form = FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = queries.search(q=filters.get("q", ""), field=filters["field"].code if filters.get("field") else "",
                        level=filters.get("level") or None, online_level=filters.get("online_level") or None,
                        active_only=filters.get("status") != "all").select_related("field")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "catalogue/index.html", {"form": form, "page": page, "query": query.urlencode(),
                                                    "can_manage": actions.can_manage(request.user)})


@staff_required()
def detail_view(request, code):
    procedure = get_object_or_404(Procedure.objects.select_related("field"), code=code)
    cases = (ProcedureCase.objects.filter(procedure=procedure)
             .prefetch_related("components", "fees", "steps__agency", "steps__moves_out__to_step"))
    agencies = procedure.implementing_agencies.select_related("agency")
    return render(request, "catalogue/detail.html", {"procedure": procedure, "cases": cases, "agencies": agencies,
                                                     "can_manage": actions.can_manage(request.user)})


def _procedure_form(request, procedure=None):
    form = ProcedureForm(request.POST or None, instance=procedure)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "code"}
        try:
            if procedure is None:
                procedure = actions.create_procedure(acting_user=request.user, code=form.cleaned_data["code"],
                                                     values=values)
            else:
                procedure = actions.update_procedure(acting_user=request.user, procedure=procedure, values=values)
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thủ tục %(c)s.") % {"c": procedure.code})
            return redirect("catalogue:detail", code=procedure.code)
    return render(request, "catalogue/procedure_form.html", {"form": form, "procedure": procedure})


def _form_errors(form, exc: DomainError) -> None:
    if not exc.errors:
        form.add_error(None, exc.message)
    for error in exc.errors:
        name = error["field"].split(".")[-1]
        form.add_error(name if name in form.fields else None, error["message"])


@staff_required(roles=MANAGERS)
def procedure_create_view(request):
    return _procedure_form(request)


@staff_required(roles=MANAGERS)
def procedure_edit_view(request, code):
    return _procedure_form(request, get_object_or_404(Procedure, code=code))


@require_POST
@staff_required(roles=MANAGERS)
def procedure_active_view(request, code):
    procedure = get_object_or_404(Procedure, code=code)
    active = request.POST.get("active") == "1"
    actions.set_procedure_active(acting_user=request.user, procedure=procedure, active=active)
    messages.success(request, _("Đã áp dụng lại thủ tục.") if active else _("Đã ngừng áp dụng thủ tục."))
    return redirect("catalogue:detail", code=code)


def _targets(text: str) -> list[str]:
    return [t for t in re.split(r"[,;\s]+", text or "") if t]


def _case_initial(case: ProcedureCase) -> tuple[dict, list, list, list]:
    steps = list(case.steps.prefetch_related("moves_out__to_step").select_related("agency"))
    base = {f: getattr(case, f) for f in CaseForm.base_fields}
    components = [{"order": c.order, "name": c.name, "paper_code": c.paper_code, "originals": c.originals,
                   "copies": c.copies, "required": c.required, "template_url": c.template_url,
                   "from_data_store": c.reusable_from_data_store, "from_national_db": c.reusable_from_national_db}
                  for c in case.components.all()]
    fees = [{k: getattr(f, k) for k in ("kind", "name", "amount", "note", "valid_from", "valid_to")}
            for f in case.fees.all()]
    step_rows = [{"order": s.order, "name": s.name, "role": s.role, "agency": s.agency.code if s.agency_id else "",
                  "agency_kind": s.agency_kind, "allowance": s.allowance, "allowance_unit": s.allowance_unit,
                  "forward_to": ", ".join(str(o) for o in queries.step_targets(s, "forward")),
                  "back_to": ", ".join(str(o) for o in queries.step_targets(s, "back"))} for s in steps]
    return base, components, fees, step_rows


def _case_data(form, components, fees, steps) -> dict:
    data = {k: v for k, v in form.cleaned_data.items()}
    for key in ("processing_time", "online_processing_time"):
        data[key] = num(data[key])
    data["valid_from"], data["valid_to"] = iso(data["valid_from"]), iso(data["valid_to"])

    def rows(formset):
        return [f.cleaned_data for f in formset if f.cleaned_data and not f.cleaned_data.get("DELETE")]

    data["components"] = [{k: v for k, v in r.items() if k != "DELETE"} for r in rows(components)]
    data["fees"] = [{**{k: v for k, v in r.items() if k != "DELETE"}, "valid_from": iso(r["valid_from"]),
                     "valid_to": iso(r["valid_to"])} for r in rows(fees)]
    data["steps"], data["moves"] = [], []
    for r in rows(steps):
        data["steps"].append({"order": r["order"], "name": r["name"], "role": r["role"], "agency": r["agency"] or None,
                              "agency_kind": r["agency_kind"], "allowance": num(r["allowance"]),
                              "allowance_unit": r["allowance_unit"]})
        for kind, column in (("forward", "forward_to"), ("back", "back_to")):
            data["moves"] += [{"from": r["order"], "to": t, "kind": kind} for t in _targets(r[column])]
    return data


@staff_required(roles=MANAGERS)
def case_edit_view(request, code, pk=None):
    procedure = get_object_or_404(Procedure, code=code)
    case = get_object_or_404(ProcedureCase, pk=pk, procedure=procedure) if pk else None
    if case:
        initial, comp_init, fee_init, step_init = _case_initial(case)
    else:
        initial, comp_init, fee_init, step_init = {"time_unit": "working_days", "authorised_filing": True}, [], [], []
    post = request.POST if request.method == "POST" else None
    form = CaseForm(post, initial=initial)
    components = ComponentFormSet(post, initial=comp_init, prefix="components")
    fees = FeeFormSet(post, initial=fee_init, prefix="fees")
    steps = StepFormSet(post, initial=step_init, prefix="steps")
    errors = []
    if post is not None and all([form.is_valid(), components.is_valid(), fees.is_valid(), steps.is_valid()]):
        try:
            case = actions.save_case(acting_user=request.user, procedure=procedure,
                                     data=_case_data(form, components, fees, steps), case=case)
        except InvalidInput as exc:
            errors = exc.errors or [{"field": "", "message": exc.message}]
        else:
            messages.success(request, _("Đã lưu trường hợp %(c)s.") % {"c": case.code})
            return redirect("catalogue:detail", code=procedure.code)
    return render(request, "catalogue/case_form.html", {
        "procedure": procedure, "case": case, "form": form, "formsets": [
            (_("Thành phần hồ sơ"), components), (_("Phí, lệ phí"), fees), (_("Quy trình nội bộ"), steps)],
        "errors": errors})


@staff_required(roles=MANAGERS)
def import_view(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    result, errors, message = None, [], ""
    if request.method == "POST" and form.is_valid():
        try:
            result = import_upload(form.cleaned_data["file"], acting_user=request.user)
        except InvalidInput as exc:
            message, errors = exc.message, exc.errors
    status = 422 if errors or message else 200
    return render(request, "catalogue/import.html", {"form": form, "result": result, "errors": errors,
                                                     "message": message}, status=status)


@staff_required(roles=MANAGERS)
def export_view(request):
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "json"
    content, content_type, filename = queries.export_file(fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
