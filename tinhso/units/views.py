from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tinhso.accounts.decorators import staff_required
from tinhso.accounts.models import Role
from tinhso.accounts.permissions import has_role
from tinhso.core.errors import DomainError
from tinhso.units import actions
from tinhso.units.forms import SuccessionCorrectForm, UnitSearchForm
from tinhso.units.models import AdministrativeUnit, UnitSuccession
from tinhso.units.services import (attach_now_part_of, communes_of, current_provinces, describe_now_part_of,
                                   predecessors_of, search_units)


@staff_required()
def index_view(request):
    form = UnitSearchForm(request.GET or None)
    results = []
    if form.is_valid() and form.cleaned_data["q"]:
        results = search_units(form.cleaned_data["q"], level=form.cleaned_data["level"] or None, limit=50)
        for unit in results:
            unit.note = describe_now_part_of(unit)
    return render(request, "units/index.html", {"form": form, "results": results,
                                                "provinces": current_provinces()})


@staff_required()
def detail_view(request, pk):
    unit = get_object_or_404(AdministrativeUnit.objects.select_related("parent"), pk=pk)
    attach_now_part_of([unit])
    successions_out = UnitSuccession.objects.filter(predecessor=unit).select_related("successor__parent")
    return render(request, "units/detail.html", {
        "unit": unit, "note": describe_now_part_of(unit), "predecessors": predecessors_of(unit),
        "successions_out": successions_out, "children": communes_of(unit) if unit.level == "province" else [],
        "can_correct": has_role(request.user, Role.SYSTEM_ADMIN),
    })


@staff_required(roles=(Role.SYSTEM_ADMIN,))
def correct_view(request, pk):
    row = get_object_or_404(UnitSuccession.objects.select_related("predecessor", "successor"), pk=pk)
    initial = {"kind": row.kind, "successor_code": row.successor.code}
    form = SuccessionCorrectForm(request.POST or None, initial=initial, level=row.predecessor.level)
    if request.method == "POST" and form.is_valid():
        try:
            actions.correct_succession(acting_user=request.user, succession=row, kind=form.cleaned_data["kind"],
                                       successor=form.cleaned_data["successor_code"], note=form.cleaned_data["note"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã hiệu chỉnh dòng kế thừa; thay đổi được ghi vào nhật ký."))
            return redirect("units:detail", pk=row.predecessor_id)
    return render(request, "units/correct.html", {"row": row, "form": form})
