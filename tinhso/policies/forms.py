from django import forms
from django.utils.translation import gettext_lazy as _


class ScheduleForm(forms.Form):
    value = forms.CharField(label=_("Giá trị mới"), max_length=500,
                            help_text=_("Số, hoặc danh sách cách nhau bởi dấu phẩy."))
    effective_from = forms.DateTimeField(label=_("Hiệu lực từ"),
                                         widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                         input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"])
    note = forms.CharField(label=_("Căn cứ, ghi chú"), max_length=500, required=False)
