from django import forms
from django.utils.translation import gettext_lazy as _


class EntryForm(forms.Form):
    start = forms.DateTimeField(label=_("Bắt đầu"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    end = forms.DateTimeField(label=_("Kết thúc"), required=False,
                              widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    content = forms.CharField(label=_("Nội dung"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    leaders = forms.CharField(label=_("Lãnh đạo dự"), max_length=300)
    place = forms.CharField(label=_("Địa điểm"), max_length=300, required=False)
    participants = forms.CharField(label=_("Thành phần"), max_length=500, required=False)
    host_unit = forms.CharField(label=_("Đơn vị chủ trì, chuẩn bị"), max_length=300, required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Lý do hủy"), max_length=300, required=False)
