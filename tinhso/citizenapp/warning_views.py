"""Back office: weather warnings (cảnh báo thời tiết, thiên tai) published by
the operations centre or the system administrator."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from tinhso.accounts.permissions import has_role
from tinhso.citizenapp import actions
from tinhso.citizenapp.models import Severity, WeatherWarning
from django.core.exceptions import PermissionDenied

from tinhso.core.errors import DomainError
from tinhso.units.models import AdministrativeUnit


class WarningForm(forms.Form):
    title = forms.CharField(label="Tiêu đề", max_length=200)
    text = forms.CharField(label="Nội dung", widget=forms.Textarea(attrs={"rows": 4}))
    severity = forms.ChoiceField(label="Mức độ", choices=Severity.choices, initial=Severity.WARNING)
    communes = forms.ModelMultipleChoiceField(label="Xã, phường", queryset=AdministrativeUnit.objects.none(),
                                              widget=forms.SelectMultiple(attrs={"size": 8}))
    valid_until = forms.DateTimeField(label="Hiệu lực đến", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                      input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        province = (AdministrativeUnit.objects.filter(level="province", code="92", valid_to__isnull=True).first())
        units = AdministrativeUnit.objects.filter(level="commune", valid_to__isnull=True)
        if province is not None:
            units = units.filter(parent=province)
        self.fields["communes"].queryset = units.order_by("name")
        self.fields["valid_until"].initial = (timezone.localtime() + datetime.timedelta(days=1)).strftime(
            "%Y-%m-%dT%H:%M")


@login_required
def warnings_view(request):
    if not has_role(request.user, actions.WARNING_ROLES):
        raise PermissionDenied("Cần vai trò Trung tâm điều hành hoặc Quản trị hệ thống.")
    form = WarningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.publish_warning(acting_user=request.user, title=data["title"], text=data["text"],
                                    severity=data["severity"], commune_ids=[c.pk for c in data["communes"]],
                                    valid_until=data["valid_until"])
        except DomainError as exc:
            for error in getattr(exc, "errors", None) or [{"field": "", "message": exc.message}]:
                form.add_error(error["field"] if error["field"] in form.fields else None, error["message"])
        else:
            messages.success(request, "Đã đăng cảnh báo; người dân ở các xã, phường liên quan được báo.")
            return redirect("citizenapp:warnings")
    rows = WeatherWarning.objects.prefetch_related("communes").order_by("-published_at")[:50]
    return render(request, "citizenapp/warnings.html", {"form": form, "rows": rows, "now": timezone.now()})
