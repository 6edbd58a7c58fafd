from django import forms
from django.utils.translation import gettext_lazy as _


class AddressForm(forms.Form):
    house_number = forms.CharField(label=_("Số nhà"), max_length=40, required=False)
    street = forms.CharField(label=_("Đường, phố"), max_length=120, required=False)
    hamlet = forms.CharField(label=_("Ấp, khu vực, tổ"), max_length=120, required=False)
    unit = forms.TypedChoiceField(label=_("Xã, phường"), coerce=int)
    lat = forms.CharField(label=_("Vĩ độ"), max_length=20, required=False)
    lng = forms.CharField(label=_("Kinh độ"), max_length=20, required=False)

    def __init__(self, *args, communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in communes]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel (.xlsx) hoặc CSV"))


class RetireForm(forms.Form):
    reason = forms.CharField(label=_("Lý do ngừng sử dụng"), max_length=300)
