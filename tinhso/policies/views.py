"""/policies/: the dated rules, the value in force, their history, and a form
to schedule a change (system administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tinhso.accounts.decorators import staff_required
from tinhso.core.errors import DomainError
from tinhso.policies import actions
from tinhso.policies.forms import ScheduleForm
from tinhso.policies.registry import REGISTRY
from tinhso.policies.rules import history, load_rows, value


def _show(v) -> str:
    return ", ".join(str(x) for x in v) if isinstance(v, (list, tuple)) else str(v)


@staff_required(roles=actions.EDIT_ROLES)
def index_view(request):
    rows = load_rows()
    items = [{"spec": spec, "current": _show(value(key, rows=rows)), "default": _show(spec.default),
              "scheduled": len(rows.get(key, ()))} for key, spec in sorted(REGISTRY.items())]
    return render(request, "policies/index.html", {"items": items})


@staff_required(roles=actions.EDIT_ROLES)
def detail_view(request, key):
    spec = REGISTRY.get(key)
    if spec is None:
        raise Http404
    form = ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.schedule(acting_user=request.user, key=key, value=form.cleaned_data["value"],
                             effective_from=form.cleaned_data["effective_from"], note=form.cleaned_data["note"])
            messages.success(request, _("Đã lên lịch thay đổi tham số."))
            return redirect("policies:detail", key=key)
        except DomainError as exc:
            for error in exc.errors or [{"field": None, "message": exc.message}]:
                form.add_error(error.get("field") if error.get("field") in form.fields else None, error["message"])
    return render(request, "policies/detail.html", {
        "spec": spec, "current": _show(value(key)), "default": _show(spec.default), "form": form,
        "history": [{"row": row, "value": _show(row.value)} for row in history(key)]})
