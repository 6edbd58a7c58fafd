"""The issuing profiles (thông tin ban hành) of the agencies whose documents
the user numbers and issues: a list, and a form per agency."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tinhso.accounts.decorators import staff_required
from tinhso.core.errors import DomainError
from tinhso.officialdocs import actions
from tinhso.officialdocs.actions.profiles import profile
from tinhso.officialdocs.models import IssuingProfile
from tinhso.officialdocs.queries import profile_agencies


@staff_required()
def profiles_view(request):
    agencies = profile_agencies(request.user)
    saved = {p.agency_id: p for p in IssuingProfile.objects.filter(agency__in=agencies)}
    rows = [(agency, saved.get(agency.pk) or profile(agency)) for agency in agencies]
    return render(request, "officialdocs/profiles.html", {"rows": rows})


@staff_required()
def profile_view(request, agency_id):
    agency = next(iter(profile_agencies(request.user, pk=agency_id)), None)
    if agency is None:
        raise Http404(_("Không có cơ quan này trong phạm vi của bạn."))
    current = profile(agency)
    context = {"agency": agency, "profile": current,
               "values": {"abbreviation": current.abbreviation, "place": current.place}}
    if request.method == "POST":
        context["values"] = request.POST
        try:
            actions.update_profile(acting_user=request.user, agency=agency,
                                   abbreviation=request.POST.get("abbreviation", ""),
                                   place=request.POST.get("place", ""))
        except DomainError as exc:
            context["errors"] = exc.errors or [{"field": None, "message": exc.message}]
            return render(request, "officialdocs/profile.html", context, status=422)
        messages.success(request, _("Đã lưu thông tin ban hành văn bản của %(agency)s.") % {"agency": agency.name})
        return redirect("officialdocs:profiles")
    return render(request, "officialdocs/profile.html", context)
