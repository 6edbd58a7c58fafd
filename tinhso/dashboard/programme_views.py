"""The programme's targets page (/dashboard/chuong-trinh/): every target in
force with its live or entered value and progress; add and edit targets
(system administrator), enter values (system administrator, operations
centre). Thin: figures in programme.scorecard, changes in programme_actions."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.accounts.decorators import staff_required
from tinhso.accounts.permissions import has_role
from tinhso.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tinhso.dashboard import charts, programme, programme_actions
from tinhso.dashboard.access import TARGET_ROLES, VIEW_ROLES, province_wide
from tinhso.dashboard.models import ProgrammeTarget, ProgrammeValue
from tinhso.dashboard.programme_forms import ProgrammeTargetForm, ProgrammeValueForm


def _province_only(user):
    if not province_wide(user):
        raise DjangoPermissionDenied(_("Chỉ tiêu chương trình chuyển đổi số là số liệu toàn tỉnh, dành cho lãnh đạo "
                                       "tỉnh, trung tâm điều hành và quản trị hệ thống."))


def _apply(form, exc):
    if isinstance(exc, InvalidInput) and exc.errors:
        for error in exc.errors:
            field = error.get("field")
            form.add_error(field if field in form.fields else None, error["message"])
    else:
        form.add_error(None, exc.message)


@staff_required(roles=VIEW_ROLES)
def programme_view(request):
    _province_only(request.user)
    day, error = timezone.localdate(), None
    raw = (request.GET.get("ngay") or "").strip()
    if raw:
        try:
            day = datetime.date.fromisoformat(raw)
        except ValueError:
            error = _("Ngày “%(raw)s” không hợp lệ (dạng YYYY-MM-DD); đang hiển thị chỉ tiêu có hiệu lực hôm nay.") \
                % {"raw": raw[:20]}
    rows = programme.scorecard(day)
    bars = [{"label": r["label"] if r["percent"] else f"{r['label']} ({_('% chỉ tiêu')})",
             "value": (r["value"] if r["percent"] else r["progress"]) if r["value"] is not None else None,
             "target": (r["target"] if r["percent"] else 100) if r["target"] is not None else None,
             "met": r["met"]} for r in rows if r["target"] is not None]
    return render(request, "dashboard/programme.html", {
        "rows": rows, "day": day, "error": error, "chart": charts.share_bars(bars, width=560) if bars else None,
        "can_edit": has_role(request.user, TARGET_ROLES),
        "can_enter": has_role(request.user, programme_actions.VALUE_ROLES)}, status=422 if error else 200)


def _target_values(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items()}


@staff_required(roles=TARGET_ROLES)
def programme_target_view(request, pk: int | None = None):
    row = get_object_or_404(ProgrammeTarget, pk=pk) if pk is not None else None
    initial = {f: getattr(row, f) for f in programme_actions.FIELDS} if row is not None else {}
    form = ProgrammeTargetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if row is None:
                programme_actions.create_programme_target(acting_user=request.user, **_target_values(form))
            else:
                programme_actions.update_programme_target(acting_user=request.user, row=row,
                                                          **_target_values(form))
        except (InvalidInput, Conflict, PermissionDenied, NotFound) as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Đã lưu chỉ tiêu."))
            return redirect("dashboard:programme")
    return render(request, "dashboard/programme_target.html", {"form": form, "row": row},
                  status=422 if form.errors else 200)


@staff_required(roles=programme_actions.VALUE_ROLES)
def programme_value_view(request):
    _province_only(request.user)
    live = {f.key for f in programme.figures()}
    targets = [t for t in ProgrammeTarget.in_force().values() if t.key not in live]
    targets.sort(key=lambda t: t.label)
    initial = {"key": request.GET.get("key", "")}
    form = ProgrammeValueForm(request.POST or None, initial=initial, targets=targets)
    if request.method == "POST" and form.is_valid():
        try:
            programme_actions.enter_programme_value(acting_user=request.user, **form.cleaned_data)
        except (InvalidInput, Conflict, PermissionDenied) as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Đã nhập số liệu."))
            return redirect("dashboard:programme")
    history = ProgrammeValue.objects.select_related("entered_by").order_by("-entered_at", "-id")[:50]
    labels = {t.key: t.label for t in ProgrammeTarget.objects.all()}
    return render(request, "dashboard/programme_value.html", {
        "form": form, "history": [(labels.get(v.key, v.key), v) for v in history]},
        status=422 if form.errors else 200)
