from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tinhso.marketprices.models import GoodGroup


class PriceForm(forms.Form):
    market = forms.ChoiceField(label=_("Chợ"))
    good = forms.ChoiceField(label=_("Mặt hàng"))
    day = forms.DateField(label=_("Ngày"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate)
    price = forms.CharField(label=_("Giá (đồng)"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, markets=(), goods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["market"].choices = [(m.pk, m.name) for m in markets]
        self.fields["good"].choices = [(g.pk, f"{g.name} ({g.unit})") for g in goods]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel (.xlsx): Ngày, Chợ, Mặt hàng, Giá (đồng), Ghi chú"))


class GoodForm(forms.Form):
    name = forms.CharField(label=_("Tên mặt hàng"), max_length=200)
    unit = forms.CharField(label=_("Đơn vị tính"), max_length=30)
    group = forms.ChoiceField(label=_("Nhóm hàng"), choices=GoodGroup.choices)
