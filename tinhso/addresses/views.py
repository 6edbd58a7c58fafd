"""Pages of the address database: public recognition, search, map and one
address; staff register, correct, retire and import."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinhso.accounts.decorators import staff_required
from tinhso.accounts.permissions import has_role
from tinhso.addresses import actions, limits
from tinhso.addresses.codes import looks_like_code
from tinhso.addresses.forms import AddressForm, ImportForm, RetireForm
from tinhso.addresses.importer import import_addresses, template_xlsx
from tinhso.addresses.models import Address, AddressStatus
from tinhso.addresses.recognition import recognise
from tinhso.core.errors import DomainError, InvalidInput
from tinhso.core.text import tokens
from tinhso.core.maps import map_context
from tinhso.units.models import AdministrativeUnit

MAP_LIMIT = 500


def _communes(province_code: str = "92"):
    return (AdministrativeUnit.objects.filter(level="commune", valid_to__isnull=True, parent__code=province_code,
                                              parent__valid_to__isnull=True).order_by("name"))


def _search(q: str):
    qs = Address.objects.select_related("unit").filter(status=AddressStatus.ACTIVE)
    for word in tokens(q)[:8]:
        qs = qs.filter(Q(search_text__startswith=word) | Q(search_text__contains=" " + word))
    return qs.order_by("code")


def public_view(request):
    text = (request.GET.get("text") or "").strip()[:500]
    q = (request.GET.get("q") or "").strip()[:200]
    context = {"text": text, "q": q}
    if text:
        try:
            limits.check(request)
            context["result"] = recognise(text)
        except DomainError as exc:
            context["error"] = exc.message
            return render(request, "addresses/public.html", context, status=exc.status)
    if q:
        context["found"] = list(_search(q)[:50])
    return render(request, "addresses/public.html", context)


def map_view(request):
    unit = request.GET.get("unit", "")
    qs = Address.objects.select_related("unit").filter(status=AddressStatus.ACTIVE, lat__isnull=False)
    if unit.isdigit():
        qs = qs.filter(unit_id=int(unit))
    rows = list(qs.order_by("code")[:MAP_LIMIT])
    return render(request, "addresses/map.html", {
        "addresses": rows, "communes": _communes(), "unit": unit, "limit": MAP_LIMIT, **map_context()})


def detail_view(request, code):
    address = Address.objects.select_related("unit__parent").filter(code=code).first() if looks_like_code(
        code) else None
    if address is None:
        raise Http404(_("Không tìm thấy địa chỉ."))
    return render(request, "addresses/detail.html", {
        "address": address, "manage": request.user.is_authenticated and actions.may_manage(request.user, address.unit),
        **map_context()})


def _apply(form, exc: InvalidInput):
    for error in exc.errors or [{"field": None, "message": exc.message}]:
        form.add_error(error["field"] if error.get("field") in form.fields else None, error["message"])


@staff_required(actions.ROLES)
def manage_view(request):
    communes = [u for u in _communes() if actions.may_manage(request.user, u)]
    form = AddressForm(request.POST or None, communes=communes)
    if request.method == "POST" and form.is_valid():
        try:
            address = actions.register_address(acting_user=request.user, **{
                k: form.cleaned_data[k] for k in ("house_number", "street", "hamlet", "lat", "lng")},
                unit_id=form.cleaned_data["unit"])
            messages.success(request, _("Đã thêm địa chỉ, mã %(code)s.") % {"code": address.code})
            return redirect("addresses:manage")
        except DomainError as exc:
            _apply(form, exc if isinstance(exc, InvalidInput) else InvalidInput(exc.message))
    q = (request.GET.get("q") or "").strip()[:200]
    qs = _search(q) if q else Address.objects.select_related("unit").order_by("-created_at")
    rows = list(qs.filter(unit__in=communes)[:100]) if not has_role(request.user, "system_admin") else list(qs[:100])
    return render(request, "addresses/manage.html", {
        "form": form, "import_form": ImportForm(), "addresses": rows, "q": q},
        status=422 if form.errors else 200)


@staff_required(actions.ROLES)
def import_view(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = import_addresses(form.cleaned_data["file"], acting_user=request.user)
        except InvalidInput as exc:
            _apply(form, exc)
    return render(request, "addresses/import.html", {"form": form, "result": result},
                  status=422 if form.errors else 200)


@staff_required(actions.ROLES)
def template_view(request):
    response = HttpResponse(template_xlsx(), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = 'attachment; filename="mau-dia-chi.xlsx"'
    return response


@staff_required(actions.ROLES)
def edit_view(request, code):
    address = Address.objects.select_related("unit").filter(code=code).first() if looks_like_code(code) else None
    if address is None or not actions.may_manage(request.user, address.unit):
        raise Http404(_("Không tìm thấy địa chỉ hoặc bạn không có quyền."))
    communes = [u for u in _communes() if actions.may_manage(request.user, u)]
    initial = {k: getattr(address, k) for k in ("house_number", "street", "hamlet", "lat", "lng")}
    initial["unit"] = address.unit_id
    form = AddressForm(request.POST or None, initial=initial, communes=communes)
    if request.method == "POST" and form.is_valid():
        try:
            actions.correct_address(acting_user=request.user, code=code, unit_id=form.cleaned_data["unit"], **{
                k: form.cleaned_data[k] for k in ("house_number", "street", "hamlet", "lat", "lng")})
            messages.success(request, _("Đã sửa địa chỉ; mã giữ nguyên."))
            return redirect("addresses:edit", code=code)
        except DomainError as exc:
            _apply(form, exc if isinstance(exc, InvalidInput) else InvalidInput(exc.message))
    return render(request, "addresses/edit.html", {"address": address, "form": form, "retire_form": RetireForm()},
                  status=422 if form.errors else 200)


@require_POST
@staff_required(actions.ROLES)
def retire_view(request, code):
    form = RetireForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(_("Cần ghi lý do ngừng sử dụng."))
        actions.retire_address(acting_user=request.user, code=code, reason=form.cleaned_data["reason"])
        messages.success(request, _("Đã ngừng sử dụng địa chỉ; mã không cấp lại cho nơi khác."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("addresses:edit", code=code)
