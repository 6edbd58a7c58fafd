"""The centre's pages for categories and their dated rules."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinhso.accounts.decorators import staff_required
from tinhso.agencies.models import Agency
from tinhso.core.errors import DomainError, InvalidInput
from tinhso.fieldreports.actions import categories as actions
from tinhso.fieldreports.actions.submit import communes
from tinhso.fieldreports.forms import CategoryForm, DeadlineForm
from tinhso.fieldreports.models import ReportCategory
from tinhso.fieldreports.people import CENTRE_ROLES


@staff_required(CENTRE_ROLES)
def list_view(request):
    rows = ReportCategory.objects.prefetch_related("deadlines", "routes").order_by("group", "order", "name")
    return render(request, "fieldreports/categories.html", {"categories": rows})


def _apply(form, exc: InvalidInput) -> None:
    for error in exc.errors or [{"field": None, "message": exc.message}]:
        form.add_error(error["field"] if error["field"] in form.fields else None, error["message"])


@staff_required(CENTRE_ROLES)
def edit_view(request, code=None):
    category = ReportCategory.objects.filter(code=code).first() if code else None
    if code and category is None:
        raise Http404()
    initial = {f: getattr(category, f) for f in ["code", *actions.FIELDS]} if category else {
        "is_public": True, "requires_evidence": True}
    form = CategoryForm(request.POST or None, initial=initial)
    if category:
        form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "code"}
        data["order"] = data.get("order") or 0
        try:
            saved = actions.save_category(acting_user=request.user, code=code or form.cleaned_data["code"],
                                          data=data, create=category is None)
            messages.success(request, _("Đã lưu lĩnh vực."))
            return redirect("fieldreports:category_edit", code=saved.code)
        except InvalidInput as exc:
            _apply(form, exc)
    context = {"form": form, "category": category, "deadline_form": DeadlineForm(),
               "agencies": Agency.objects.filter(is_active=True).order_by("path"), "communes": communes()}
    if category:
        context["deadlines"] = category.deadlines.order_by("stage", "-valid_from")
        context["routes"] = category.routes.select_related("unit", "agency").order_by("unit__name", "-valid_from")
    return render(request, "fieldreports/category_edit.html", context, status=422 if form.errors else 200)


@require_POST
@staff_required(CENTRE_ROLES)
def deadline_view(request, code):
    form = DeadlineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Thời hạn không hợp lệ: ") + " ".join(e for errs in form.errors.values() for e in errs))
    else:
        try:
            actions.set_deadline(acting_user=request.user, code=code, **form.cleaned_data)
            messages.success(request, _("Đã đặt thời hạn mới."))
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("fieldreports:category_edit", code=code)


@require_POST
@staff_required(CENTRE_ROLES)
def route_view(request, code):
    try:
        actions.add_route(acting_user=request.user, code=code, agency_id=request.POST.get("agency"),
                          unit_id=request.POST.get("unit") or None)
        messages.success(request, _("Đã phân công cơ quan xử lý."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("fieldreports:category_edit", code=code)


@require_POST
@staff_required(CENTRE_ROLES)
def route_end_view(request, code, route_id):
    try:
        actions.end_route(acting_user=request.user, route_id=route_id)
        messages.success(request, _("Đã kết thúc phân công."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("fieldreports:category_edit", code=code)
