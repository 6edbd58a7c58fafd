from django import forms
from django.utils.translation import gettext_lazy as _

from tinhso.dashboard.models import ProgrammeGroup, TargetKind, TargetLevel


def _day(label, required=False):
    return forms.DateField(label=label, required=required, widget=forms.DateInput(attrs={"type": "date"}))


class ProgrammeTargetForm(forms.Form):
    key = forms.SlugField(label=_("Mã chỉ tiêu"), max_length=60,
                          help_text=_("Chữ không dấu, số, “_”; trùng mã của số liệu hệ thống tự tính nếu có."))
    label = forms.CharField(label=_("Tên chỉ tiêu"), max_length=255)
    kind = forms.ChoiceField(label=_("Loại chỉ tiêu"), choices=TargetKind.choices)
    target = forms.DecimalField(label=_("Chỉ tiêu"), min_value=0, max_digits=14, decimal_places=2)
    unit = forms.CharField(label=_("Đơn vị tính"), max_length=40, required=False)
    group = forms.ChoiceField(label=_("Nhóm"), choices=ProgrammeGroup.choices)
    level = forms.ChoiceField(label=_("Cấp áp dụng"), choices=TargetLevel.choices, required=False)
    valid_from = _day(_("Hiệu lực từ"))
    valid_to = _day(_("Hiệu lực đến"))
    source_number = forms.CharField(label=_("Số, ký hiệu văn bản giao chỉ tiêu"), max_length=80, required=False)
    source_date = _day(_("Ngày văn bản"))
    source_issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=200, required=False)
    basis = forms.CharField(label=_("Căn cứ, ghi chú"), max_length=300, required=False)
    verified = forms.BooleanField(label=_("Đã đối chiếu với văn bản giao chỉ tiêu"), required=False)


class ProgrammeValueForm(forms.Form):
    key = forms.ChoiceField(label=_("Chỉ tiêu"))
    period_start = _day(_("Từ ngày"), required=True)
    period_end = _day(_("Đến ngày"), required=True)
    value = forms.DecimalField(label=_("Giá trị"), min_value=0, max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("Ghi chú, nguồn số liệu"), max_length=500, required=False)

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = [(t.key, f"{t.label} ({t.unit})" if t.unit else t.label) for t in targets]
