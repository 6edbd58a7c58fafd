from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from tinhso.accounts.decorators import staff_required
from tinhso.catalogue.actions import MANAGERS
from tinhso.catalogue.eform_actions import save_form_fields
from tinhso.catalogue.models import FieldKind, Prefill, ProcedureCase
from tinhso.core.errors import DomainError


class FieldRowForm(forms.Form):
    order = forms.IntegerField(label=_l("Thứ tự"), min_value=0, required=False)
    label = forms.CharField(label=_l("Nhãn"), max_length=300, required=False)
    key = forms.CharField(label=_l("Mã trường"), max_length=60, required=False)
    kind = forms.ChoiceField(label=_l("Kiểu"), choices=FieldKind.choices)
    required = forms.BooleanField(label=_l("Bắt buộc"), required=False)
    help_text = forms.CharField(label=_l("Hướng dẫn"), max_length=500, required=False)
    choices = forms.CharField(label=_l("Lựa chọn"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    pattern = forms.CharField(label=_l("Mẫu kiểm tra"), max_length=200, required=False)
    prefill = forms.ChoiceField(label=_l("Lấy sẵn từ định danh"), choices=Prefill.choices, required=False)
    DELETE = forms.BooleanField(label=_l("Xóa"), required=False)


FieldFormSet = forms.formset_factory(FieldRowForm, extra=2)


@staff_required(roles=MANAGERS)
def case_form_view(request, code, pk):
    case = get_object_or_404(ProcedureCase.objects.select_related("procedure"), pk=pk, procedure__code=code)
    initial = list(case.form_fields.values("order", "label", "key", "kind", "required", "help_text", "choices",
                                           "pattern", "prefill"))
    formset = FieldFormSet(request.POST or None, initial=initial, prefix="f")
    if request.method == "POST" and formset.is_valid():
        rows = [f.cleaned_data for f in formset
                if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("label")]
        try:
            save_form_fields(acting_user=request.user, case=case, rows=rows)
        except DomainError as exc:
            messages.error(request, exc.message)
            for err in exc.errors:
                messages.error(request, f"{err['field']}: {err['message']}")
        else:
            messages.success(request, _("Đã lưu biểu mẫu điện tử của trường hợp."))
            return redirect("catalogue:case_form", code=code, pk=pk)
    return render(request, "catalogue/case_form_fields.html", {"case": case, "formset": formset})
