"""Back-office pages of the working calendar. Thin: forms in, actions out."""

from __future__ import annotations

import calendar as pycal
import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinhso.accounts.decorators import staff_required
from tinhso.accounts.models import Role
from tinhso.accounts.permissions import has_role
from tinhso.core.errors import DomainError
from tinhso.workcalendar import actions
from tinhso.workcalendar.engine import TZ, get_calendar
from tinhso.workcalendar.forms import CalculatorForm, DayForm, ScheduleForm, YearForm
from tinhso.workcalendar.models import CalendarDay, WorkSchedule

ADMIN = (Role.SYSTEM_ADMIN,)


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 1976), 2199)


def _back(year: int):
    return redirect(f"{reverse('workcalendar:index')}?year={year}")


def _month_grid(year: int, cal, rows: dict) -> list[dict]:
    months = []
    for month in range(1, 13):
        weeks = []
        for week in pycal.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells = []
            for d in week:
                row = rows.get(d)
                if d.month != month:
                    cls = "out"
                elif row is not None and not row.confirmed:
                    cls = "proposal-off" if row.is_day_off else "proposal-work"
                elif cal.is_working_day(d):
                    cls = "makeup" if row is not None else "work"
                else:
                    cls = "off" if row is not None else "weekend"
                cells.append({"date": d, "cls": cls, "title": row.name if row is not None else ""})
            weeks.append(cells)
        months.append({"number": month, "weeks": weeks})
    return months


@staff_required()
def index_view(request):
    year = _year(request)
    cal = get_calendar()
    is_admin = has_role(request.user, Role.SYSTEM_ADMIN)
    rows = CalendarDay.objects.in_year(year)
    if not is_admin:
        rows = rows.confirmed()
    rows = list(rows)
    result = None
    calc = CalculatorForm(request.GET if "amount" in request.GET else None,
                          initial={"start_date": timezone.localdate()})
    if calc.is_bound and calc.is_valid():
        start = datetime.datetime.combine(calc.cleaned_data["start_date"], calc.cleaned_data["start_time"], tzinfo=TZ)
        amount, unit = calc.cleaned_data["amount"], calc.cleaned_data["unit"]
        result = {"start": start, "counting_from": cal.start_of_counting(start), "due": cal.add(start, amount, unit),
                  "amount": amount, "unit": dict(calc.fields["unit"].choices)[unit]}
    today = timezone.localdate()
    context = {
        "year": year, "years": range(year - 2, year + 3), "rows": rows,
        "proposals": [r for r in rows if not r.confirmed],
        "months": _month_grid(year, cal, {r.date: r for r in rows}),
        "weekday_headers": [_("T2"), _("T3"), _("T4"), _("T5"), _("T6"), _("T7"), _("CN")],
        "schedule_today": WorkSchedule.objects.filter(valid_from__lte=today).order_by("-valid_from").first(),
        "schedules": WorkSchedule.objects.all(), "calc": calc, "result": result, "is_admin": is_admin,
        "day_form": DayForm(initial={"confirmed": True}) if is_admin else None,
        "today": today,
    }
    return render(request, "workcalendar/index.html", context)


def _run(request, fn, ok_message: str, **kwargs):
    try:
        out = fn(acting_user=request.user, **kwargs)
    except DomainError as exc:
        messages.error(request, exc.message)
        return None
    messages.success(request, ok_message)
    return out


@staff_required(roles=ADMIN)
@require_POST
def day_add_view(request):
    form = DayForm(request.POST)
    if form.is_valid():
        _run(request, actions.add_day, _("Đã thêm ngày vào lịch."), **form.cleaned_data)
        return _back(form.cleaned_data["date"].year)
    for field, errors in form.errors.items():
        for e in errors:
            messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {e}")
    return _back(_year(request))


@staff_required(roles=ADMIN)
def day_edit_view(request, pk: int):
    day = get_object_or_404(CalendarDay, pk=pk)
    form = DayForm(request.POST or None, instance=CalendarDay.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_day(acting_user=request.user, day=day, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return _back(form.cleaned_data["date"].year)
    return render(request, "workcalendar/form.html",
                  {"form": form, "title": _("Sửa ngày %(d)s") % {"d": day.date.strftime("%d/%m/%Y")},
                   "back": f"{reverse('workcalendar:index')}?year={day.date.year}"})


@staff_required(roles=ADMIN)
@require_POST
def day_remove_view(request, pk: int):
    day = get_object_or_404(CalendarDay, pk=pk)
    _run(request, actions.remove_day, _("Đã xóa ngày %(d)s khỏi lịch.") % {"d": day.date.strftime("%d/%m/%Y")},
         day=day)
    return _back(day.date.year)


@staff_required(roles=ADMIN)
@require_POST
def day_confirm_view(request, pk: int):
    day = get_object_or_404(CalendarDay, pk=pk)
    _run(request, actions.confirm_day, _("Đã xác nhận ngày %(d)s.") % {"d": day.date.strftime("%d/%m/%Y")}, day=day)
    return _back(day.date.year)


def _year_action(request, fn, message: str):
    form = YearForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Năm không hợp lệ."))
        return _back(_year(request))
    year = form.cleaned_data["year"]
    try:
        out = fn(acting_user=request.user, year=year)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, message % {"year": year, "n": out if isinstance(out, int) else len(out.created)})
    return _back(year)


@staff_required(roles=ADMIN)
@require_POST
def confirm_year_view(request):
    return _year_action(request, actions.confirm_year, _("Đã xác nhận %(n)s đề xuất của năm %(year)s."))


@staff_required(roles=ADMIN)
@require_POST
def discard_proposals_view(request):
    return _year_action(request, actions.discard_proposals, _("Đã xóa %(n)s đề xuất của năm %(year)s."))


@staff_required(roles=ADMIN)
@require_POST
def propose_view(request):
    return _year_action(request, actions.propose_holidays,
                        _("Đã tạo %(n)s đề xuất mới cho năm %(year)s. Hãy đối chiếu với thông báo chính thức "
                          "rồi xác nhận."))


@staff_required(roles=ADMIN)
def schedule_edit_view(request, pk: int | None = None):
    schedule = get_object_or_404(WorkSchedule, pk=pk) if pk else None
    form = ScheduleForm(request.POST or None, instance=WorkSchedule.objects.get(pk=pk) if pk else None)
    if request.method == "POST" and form.is_valid():
        try:
            if schedule:
                actions.update_schedule(acting_user=request.user, schedule=schedule, **form.values())
            else:
                actions.add_schedule(acting_user=request.user, **form.values())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã lưu lịch giờ làm việc."))
            return redirect("workcalendar:index")
    title = _("Sửa lịch giờ làm việc") if schedule else _("Thêm lịch giờ làm việc")
    return render(request, "workcalendar/form.html",
                  {"form": form, "title": title, "back": reverse("workcalendar:index")})
