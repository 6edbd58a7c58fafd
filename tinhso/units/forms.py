from django import forms
from django.utils.translation import gettext_lazy as _

from tinhso.units.models import AdministrativeUnit, SuccessionKind


class UnitSearchForm(forms.Form):
    q = forms.CharField(label=_("Tên hoặc mã đơn vị"), max_length=100, required=False,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Vi Thanh, Hau Giang, 31321…"}))
    level = forms.ChoiceField(label=_("Cấp"), required=False,
                              choices=[("", _("Tất cả")), ("province", _("Cấp tỉnh")), ("commune", _("Cấp xã"))])


class SuccessionCorrectForm(forms.Form):
    kind = forms.ChoiceField(label=_("Hình thức"), choices=SuccessionKind.choices)
    successor_code = forms.CharField(label=_("Mã đơn vị mới"), max_length=10)
    note = forms.CharField(label=_("Lý do hiệu chỉnh"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, level: str, **kwargs):
        self.level = level
        super().__init__(*args, **kwargs)

    def clean_successor_code(self):
        code = self.cleaned_data["successor_code"].strip()
        unit = AdministrativeUnit.objects.filter(level=self.level, code=code, valid_to__isnull=True).first()
        if unit is None:
            raise forms.ValidationError(_("Không có đơn vị hiện hành cùng cấp mang mã này."))
        return unit
