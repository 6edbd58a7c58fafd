"""Build the online submission form of a case from its data-defined fields."""

from __future__ import annotations

import re

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from tinhso.catalogue.models import FieldKind
from tinhso.dossiers.models import IdType

ID_NUMBER = RegexValidator(r"^[0-9]{12}$", _("Số định danh cá nhân gồm 12 chữ số."))
PHONE = RegexValidator(r"^(\+84|0)[0-9]{9,10}$", _("Số điện thoại không hợp lệ (ví dụ 0912345678)."))


class ApplicantSection(forms.Form):
    owner_name = forms.CharField(label=_("Họ và tên người nộp"), max_length=200)
    owner_id_type = forms.ChoiceField(label=_("Loại giấy tờ"), choices=IdType.choices, initial=IdType.CCCD)
    owner_id_number = forms.CharField(label=_("Số định danh cá nhân"), max_length=20)
    owner_birth_date = forms.DateField(label=_("Ngày sinh"), required=False,
                                       widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    owner_phone = forms.CharField(label=_("Điện thoại"), max_length=20, validators=[PHONE],
                                  widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    owner_email = forms.EmailField(label=_("Thư điện tử"), required=False)
    owner_address = forms.CharField(label=_("Địa chỉ liên hệ"), max_length=300, required=False)
    area = forms.ChoiceField(label=_("Xã, phường nơi giải quyết"), choices=[])

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("— Chọn xã, phường —"))] + [(str(u.pk), u.name) for u in areas]

    def clean(self):
        data = super().clean()
        if data.get("owner_id_type") == IdType.CCCD and data.get("owner_id_number"):
            ID_NUMBER(data["owner_id_number"])
        return data


def case_form(case, data=None, initial=None) -> forms.Form:
    """A form with one field per FormField of the case, validated by kind,
    required flag, pattern and length, with Vietnamese messages."""
    fields = {}
    for spec in case.form_fields.all():
        common = {"label": spec.label, "required": spec.required, "help_text": spec.help_text}
        validators = []
        if spec.pattern:
            validators.append(RegexValidator(re.compile(spec.pattern), _("Giá trị không đúng định dạng yêu cầu.")))
        kind = spec.kind
        if kind == FieldKind.TEXTAREA:
            field = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=spec.max_length or 2000,
                                    validators=validators, **common)
        elif kind == FieldKind.NUMBER:
            field = forms.DecimalField(**common)
        elif kind == FieldKind.DATE:
            field = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common)
        elif kind == FieldKind.EMAIL:
            field = forms.EmailField(**common)
        elif kind == FieldKind.PHONE:
            field = forms.CharField(validators=[PHONE], max_length=20, **common)
        elif kind == FieldKind.ID_NUMBER:
            field = forms.CharField(validators=[ID_NUMBER], max_length=12, **common)
        elif kind == FieldKind.SELECT:
            field = forms.ChoiceField(choices=[("", "—")] + [(c, c) for c in spec.choice_list], **common)
        elif kind == FieldKind.CHECKBOX:
            field = forms.BooleanField(**common)
        else:
            field = forms.CharField(max_length=spec.max_length or 300, validators=validators, **common)
        fields[f"f_{spec.key}"] = field
    form_class = type("CaseForm", (forms.Form,), fields)
    return form_class(data=data, initial=initial, prefix=None)


def prefill(case, user) -> dict:
    """Initial values from the e-ID profile for fields that ask for them."""
    values = {"full_name": user.get_full_name(), "id_number": user.id_number or "", "birth_date": user.birth_date,
              "address": user.address, "phone": user.phone, "email": user.email}
    return {f"f_{spec.key}": values.get(spec.prefill) for spec in case.form_fields.all() if spec.prefill}


def answers(form) -> dict:
    """Cleaned answers keyed by field key, JSON-safe."""
    out = {}
    for name, value in form.cleaned_data.items():
        if not name.startswith("f_"):
            continue
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif value is not None and not isinstance(value, (str, bool, int, float)):
            value = str(value)
        out[name[2:]] = value
    return out
