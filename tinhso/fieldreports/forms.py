"""Forms of the report pages: what the citizen, the centre's hotline and
the agencies fill in."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tinhso.fieldreports.models import Rating, Reason


class ReportForm(forms.Form):
    category = forms.ChoiceField(label=_("Lĩnh vực phản ánh"))
    description = forms.CharField(label=_("Nội dung phản ánh"), widget=forms.Textarea(attrs={"rows": 4, "maxlength": 4000}),
                                  max_length=20000, help_text=_("Tối đa 4.000 ký tự, không chứa mã HTML."))
    unit = forms.ChoiceField(label=_("Xã, phường"))
    address = forms.CharField(label=_("Địa chỉ, địa điểm cụ thể"), required=False, max_length=300,
                              help_text=_("Số nhà, tên đường, ấp, khu vực; hoặc chọn vị trí trên bản đồ."))
    lat = forms.CharField(required=False, widget=forms.HiddenInput)
    lng = forms.CharField(required=False, widget=forms.HiddenInput)
    hide_location = forms.BooleanField(label=_("Không công khai vị trí chính xác (ví dụ: là nhà riêng của tôi)"),
                                       required=False)
    anonymous = forms.BooleanField(label=_("Ẩn danh tính của tôi với cơ quan xử lý"), required=False)

    def __init__(self, *args, categories=(), communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        groups: dict[str, list] = {}
        for category in categories:
            groups.setdefault(category.group, []).append((category.code, category.name))
        self.fields["category"].choices = [("", _("— Chọn lĩnh vực —")), *groups.items()]
        self.fields["unit"].choices = [("", _("— Chọn xã, phường —")), *[(u.pk, u.name) for u in communes]]


class PhoneForm(forms.Form):
    phone = forms.CharField(label=_("Số điện thoại di động"), max_length=20)
    code = forms.CharField(label=_("Mã xác nhận (6 số)"), max_length=6, required=False)
    reporter_name = forms.CharField(label=_("Họ và tên (không bắt buộc)"), max_length=200, required=False)


class HotlineForm(forms.Form):
    reporter_name = forms.CharField(label=_("Họ tên người gọi"), max_length=200, required=False)
    reporter_phone = forms.CharField(label=_("Số điện thoại người gọi"), max_length=20, required=False)


class RateForm(forms.Form):
    rating = forms.ChoiceField(label=_("Mức độ hài lòng"), choices=Rating.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Ý kiến (không bắt buộc)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.ModelChoiceField(label=_("Lý do"), queryset=Reason.objects.none())
    text = forms.CharField(label=_("Nội dung"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = Reason.objects.filter(kind=kind, is_active=True)


class CategoryForm(forms.Form):
    code = forms.CharField(label=_("Mã (service_code)"), max_length=20)
    name = forms.CharField(label=_("Tên lĩnh vực"), max_length=200)
    name_en = forms.CharField(label=_("Tên tiếng Anh"), max_length=200, required=False)
    group = forms.CharField(label=_("Nhóm (các lĩnh vực cùng nhóm được tìm trùng với nhau)"), max_length=120)
    description = forms.CharField(label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    keywords = forms.CharField(label=_("Từ khóa (cách nhau bởi dấu phẩy)"), max_length=500, required=False)
    is_public = forms.BooleanField(label=_("Công khai phản ánh của lĩnh vực này"), required=False)
    requires_evidence = forms.BooleanField(label=_("Kết quả phải có ảnh hoặc tài liệu minh chứng"), required=False)
    order = forms.IntegerField(label=_("Thứ tự"), min_value=0, max_value=999, required=False)
    valid_from = forms.DateField(label=_("Hiệu lực từ"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(label=_("Hiệu lực đến"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class DeadlineForm(forms.Form):
    stage = forms.ChoiceField(label=_("Bước"), choices=[])
    amount = forms.IntegerField(label=_("Thời hạn"), min_value=1, max_value=1000)
    unit = forms.ChoiceField(label=_("Đơn vị"), choices=[])
    valid_from = forms.DateField(label=_("Áp dụng từ ngày"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        from tinhso.fieldreports.models.category import DeadlineUnit, Stage

        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = Stage.choices
        self.fields["unit"].choices = DeadlineUnit.choices
