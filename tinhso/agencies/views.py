from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tinhso.accounts.decorators import staff_required
from tinhso.accounts.models import Role, RoleAssignment
from tinhso.accounts.permissions import has_role
from tinhso.agencies import actions
from tinhso.agencies.forms import AgencyForm
from tinhso.agencies.models import Agency
from tinhso.core.errors import DomainError
from tinhso.core.search import filter_folded


@staff_required()
def index_view(request):
    q = request.GET.get("q", "").strip()
    agencies = Agency.objects.select_related("unit")
    if q:
        agencies = filter_folded(agencies, q)
    return render(request, "agencies/index.html", {
        "agencies": agencies, "q": q, "can_edit": has_role(request.user, Role.SYSTEM_ADMIN)})


@staff_required()
def detail_view(request, pk):
    agency = get_object_or_404(Agency.objects.select_related("unit", "parent"), pk=pk)
    can_edit = has_role(request.user, Role.SYSTEM_ADMIN, agency)
    staff = []
    if can_edit or has_role(request.user, (Role.LEADER, Role.HEAD_OF_DIVISION), agency):
        staff = RoleAssignment.objects.active().filter(agency=agency).select_related("user")
    return render(request, "agencies/detail.html", {
        "agency": agency, "children": agency.children.select_related("unit"), "staff": staff, "can_edit": can_edit})


def _edit(request, agency=None):
    form = AgencyForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        try:
            if agency is None:
                agency = actions.create_agency(acting_user=request.user, **form.values())
            else:
                agency = actions.update_agency(acting_user=request.user, agency=agency, **form.values())
        except DomainError as exc:
            for err in exc.errors or [{"field": None, "message": exc.message}]:
                form.add_error(err["field"] if err["field"] in form.fields else None, err["message"])
        else:
            messages.success(request, _("Đã lưu cơ quan %(name)s.") % {"name": agency.name})
            return redirect("agencies:detail", pk=agency.pk)
    return render(request, "agencies/form.html", {"form": form, "agency": agency})


@staff_required(roles=(Role.SYSTEM_ADMIN,))
def create_view(request):
    return _edit(request)


@staff_required(roles=(Role.SYSTEM_ADMIN,))
def edit_view(request, pk):
    return _edit(request, get_object_or_404(Agency, pk=pk))
