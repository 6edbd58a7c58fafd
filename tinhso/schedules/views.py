"""Back-office pages (edit a week, publish it, cancel an entry) and the
public pages (an agency's week, its iCalendar feed)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinhso.accounts.decorators import staff_required
from tinhso.accounts.permissions import agencies_in_scope
from tinhso.agencies.models import Agency
from tinhso.core.errors import DomainError, InvalidInput
from tinhso.schedules import actions, forms, queries, weeks
from tinhso.schedules.models import ScheduleEntry

ROLES = actions.ROLES


def _apply(form, exc: DomainError):
    for error in exc.errors or [{"field": None, "message": exc.message}]:
        form.add_error(error["field"] if error.get("field") in form.fields else None, error["message"])


def _week(request):
    try:
        return weeks.parse(request.GET.get("tuan") or request.GET.get("week"))
    except InvalidInput:
        return weeks.monday(timezone.localdate())


def _editable_agency(request, agency_id) -> Agency:
    agency = get_object_or_404(Agency, pk=agency_id, is_active=True)
    if not actions.may_edit(request.user, agency):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Bạn không có quyền sửa lịch công tác của cơ quan này."))
    return agency


@staff_required(ROLES)
def manage_index_view(request):
    scope = agencies_in_scope(request.user, ROLES)
    office_parents = Agency.objects.filter(children__in=agencies_in_scope(request.user, "clerical_office"),
                                           children__kind="office")
    agencies = (scope | office_parents).filter(is_active=True).distinct().order_by("path")
    return render(request, "schedules/manage_index.html", {"agencies": agencies[:300]})


@staff_required(ROLES)
def manage_week_view(request, agency_id):
    agency = _editable_agency(request, agency_id)
    week_start = _week(request)
    form = forms.EntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = actions.save_entry(acting_user=request.user, agency_id=agency.pk, **form.cleaned_data)
            messages.success(request, _("Đã thêm mục lịch."))
            week = weeks.label(weeks.monday(timezone.localtime(entry.start).date()))
            return redirect(f"{reverse('schedules:manage', args=[agency.pk])}?tuan={week}")
        except DomainError as exc:
            _apply(form, exc)
    return render(request, "schedules/manage_week.html", {
        **queries.week(agency, week_start, public=False), "form": form, "cancel_form": forms.CancelForm()},
        status=422 if form.errors else 200)


@staff_required(ROLES)
def entry_view(request, agency_id, entry_id):
    agency = _editable_agency(request, agency_id)
    entry = get_object_or_404(ScheduleEntry, pk=entry_id, agency=agency)
    initial = {"start": timezone.localtime(entry.start).strftime("%Y-%m-%dT%H:%M"),
               "end": timezone.localtime(entry.end).strftime("%Y-%m-%dT%H:%M") if entry.end else None,
               "content": entry.content, "leaders": entry.leaders, "place": entry.place,
               "participants": entry.participants, "host_unit": entry.host_unit}
    form = forms.EntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entry = actions.save_entry(acting_user=request.user, agency_id=agency.pk, entry_id=entry.pk,
                                       **form.cleaned_data)
            messages.success(request, _("Đã lưu mục lịch."))
            week = weeks.label(weeks.monday(timezone.localtime(entry.start).date()))
            return redirect(f"{reverse('schedules:manage', args=[agency.pk])}?tuan={week}")
        except DomainError as exc:
            _apply(form, exc)
    return render(request, "schedules/entry.html", {"agency": agency, "entry": entry, "form": form},
                  status=422 if form.errors else 200)


@require_POST
@staff_required(ROLES)
def cancel_view(request, agency_id, entry_id):
    agency = _editable_agency(request, agency_id)
    entry = get_object_or_404(ScheduleEntry, pk=entry_id, agency=agency)
    try:
        actions.cancel_entry(acting_user=request.user, entry_id=entry.pk, reason=request.POST.get("reason", ""))
        messages.success(request, _("Đã hủy mục lịch."))
    except DomainError as exc:
        messages.error(request, exc.message)
    week = weeks.label(weeks.monday(timezone.localtime(entry.start).date()))
    return redirect(f"{reverse('schedules:manage', args=[agency.pk])}?tuan={week}")


@require_POST
@staff_required(ROLES)
def publish_view(request, agency_id):
    agency = _editable_agency(request, agency_id)
    week = request.POST.get("tuan", "")
    try:
        actions.publish_week(acting_user=request.user, agency_id=agency.pk, week=week)
        messages.success(request, _("Đã công bố lịch công tác tuần."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('schedules:manage', args=[agency.pk])}?tuan={week}")


# Public pages -----------------------------------------------------------------

def public_index_view(request):
    code = (request.GET.get("co-quan") or "").strip()[:40]
    if code and queries.public_agency(code) is not None:
        return redirect("schedules:public_week", code=code)
    return render(request, "schedules/public_index.html", {"agencies": queries.public_agencies()[:300]})


def public_week_view(request, code):
    agency = queries.public_agency(code)
    if agency is None:
        raise Http404(_("Không có lịch công tác công khai của cơ quan này."))
    try:
        week_start = weeks.parse(request.GET.get("tuan"))
    except InvalidInput as exc:
        return render(request, "schedules/public_week.html", {
            **queries.week(agency, weeks.monday(timezone.localdate()), public=True), "error": exc.message,
            "agencies": queries.public_agencies()}, status=400)
    return render(request, "schedules/public_week.html", {**queries.week(agency, week_start, public=True),
                                                          "agencies": queries.public_agencies()})


def ics_view(request, code):
    agency = queries.public_agency(code)
    if agency is None:
        raise Http404()
    response = HttpResponse(queries.ics(agency), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="lich-cong-tac-{agency.code}.ics"'
    return response
