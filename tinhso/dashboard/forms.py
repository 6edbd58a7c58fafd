from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tinhso.dashboard.models import Indicator
from tinhso.dashboard.queries import MAX_YEAR, MIN_YEAR


class FilterForm(forms.Form):
    """Scope and period of the dashboard page. A date range, when given,
    replaces the year."""

    agency = forms.ChoiceField(label=_("Phạm vi"), required=False)
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR)
    date_from = forms.DateField(label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, agencies=(), province=False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Toàn tỉnh"))] if province else []
        choices += [(str(a.pk), ("· " * a.depth) + a.name) for a in agencies]
        self.fields["agency"].choices = choices
        self.fields["year"].widget.attrs["placeholder"] = str(timezone.localdate().year)

    def clean(self):
        data = super().clean()
        if bool(data.get("date_from")) != bool(data.get("date_to")):
            raise forms.ValidationError(_("Nhập cả “Từ ngày” và “Đến ngày”, hoặc để trống cả hai để xem theo năm."))
        return data


class TargetForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Chỉ số"), choices=Indicator.choices)
    target = forms.DecimalField(label=_("Chỉ tiêu (%)"), min_value=0, max_value=100, max_digits=5, decimal_places=2)
    agency = forms.ChoiceField(label=_("Áp dụng cho"), required=False)
    valid_from = forms.DateField(label=_("Hiệu lực từ"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(label=_("Hiệu lực đến"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    basis = forms.CharField(label=_("Căn cứ"), required=False, max_length=300)
    verified = forms.BooleanField(label=_("Đã đối chiếu với văn bản giao chỉ tiêu"), required=False)

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("Toàn tỉnh"))] + [(str(a.pk), ("· " * a.depth) + a.name)
                                                                   for a in agencies]
