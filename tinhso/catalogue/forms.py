from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tinhso.accounts.models import Role
from tinhso.agencies.models import AgencyKind
from tinhso.catalogue.models import (
    FeeKind,
    FeePaymentMoment,
    Field,
    Level,
    OnlineLevel,
    Procedure,
    TimeUnit,
)

BLANK = [("", "---------")]


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm theo tên hoặc mã"), required=False, max_length=200)
    field = forms.ModelChoiceField(label=_("Lĩnh vực"), queryset=Field.objects.all(), required=False,
                                   to_field_name="code")
    level = forms.ChoiceField(label=_("Cấp thực hiện"), choices=BLANK + Level.choices, required=False)
    online_level = forms.ChoiceField(label=_("Mức độ trực tuyến"), choices=BLANK + OnlineLevel.choices, required=False)
    status = forms.ChoiceField(label=_("Trạng thái"), required=False,
                               choices=[("", _("Đang áp dụng")), ("all", _("Tất cả"))])


class ProcedureForm(forms.ModelForm):
    class Meta:
        model = Procedure
        fields = ["code", "name", "field", "level_province", "level_commune", "online_level", "legacy_level",
                  "result_name", "legal_basis", "decision", "inter_agency", "fee_status", "note"]
        widgets = {"legal_basis": forms.Textarea(attrs={"rows": 3}), "note": forms.Textarea(attrs={"rows": 2}),
                   "name": forms.TextInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True
        self.fields["legacy_level"].help_text = _("Để trống để suy ra từ mức trực tuyến (toàn trình = 4, một phần = 3).")

    def validate_unique(self):
        """Uniqueness is the action's job; it answers in the same words."""


class CaseForm(forms.Form):
    code = forms.CharField(label=_("Mã trường hợp"), max_length=40)
    name = forms.CharField(label=_("Tên trường hợp"), max_length=500)
    processing_time = forms.DecimalField(label=_("Thời hạn giải quyết"), min_value=0.01, max_digits=7,
                                         decimal_places=2)
    time_unit = forms.ChoiceField(label=_("Đơn vị thời gian"), choices=TimeUnit.choices)
    online_processing_time = forms.DecimalField(label=_("Thời hạn khi nộp trực tuyến (nếu khác)"), required=False,
                                                min_value=0.01, max_digits=7, decimal_places=2)
    fee_payment_moment = forms.ChoiceField(label=_("Thời điểm nộp phí"), choices=FeePaymentMoment.choices)
    digital_signature_required = forms.BooleanField(label=_("Kết quả phải ký số"), required=False)
    online_payment_required = forms.BooleanField(label=_("Phí phải nộp trực tuyến"), required=False)
    not_online = forms.BooleanField(label=_("Không cung cấp trực tuyến"), required=False)
    authorised_filing = forms.BooleanField(label=_("Cho phép nộp thay (ủy quyền)"), required=False)
    no_appointment = forms.BooleanField(label=_("Không hẹn ngày trả kết quả"), required=False)
    valid_from = forms.DateField(label=_("Hiệu lực từ"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(label=_("Hiệu lực đến"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ComponentForm(forms.Form):
    order = forms.IntegerField(label=_("TT"), min_value=1)
    name = forms.CharField(label=_("Tên giấy tờ"), max_length=1000)
    paper_code = forms.CharField(label=_("Mã giấy tờ"), max_length=60, required=False)
    originals = forms.IntegerField(label=_("Bản chính"), min_value=0, initial=1)
    copies = forms.IntegerField(label=_("Bản sao"), min_value=0, initial=0)
    required = forms.BooleanField(label=_("Bắt buộc"), required=False, initial=True)
    template_url = forms.URLField(label=_("Đường dẫn mẫu"), required=False, max_length=500, assume_scheme="https")
    from_data_store = forms.BooleanField(label=_("Lấy từ kho dữ liệu"), required=False)
    from_national_db = forms.BooleanField(label=_("Lấy từ CSDL quốc gia"), required=False)


class FeeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=FeeKind.choices)
    name = forms.CharField(label=_("Tên khoản thu"), max_length=500)
    amount = forms.IntegerField(label=_("Mức thu (đồng)"), min_value=0)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=2000)
    valid_from = forms.DateField(label=_("Hiệu lực từ"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(label=_("Hiệu lực đến"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class StepForm(forms.Form):
    order = forms.IntegerField(label=_("Bước"), min_value=1)
    name = forms.CharField(label=_("Tên bước"), max_length=300)
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    agency = forms.CharField(label=_("Mã cơ quan"), max_length=40, required=False)
    agency_kind = forms.ChoiceField(label=_("Hoặc loại cơ quan"), choices=BLANK + AgencyKind.choices, required=False)
    allowance = forms.DecimalField(label=_("Thời gian"), min_value=0.01, max_digits=7, decimal_places=2)
    allowance_unit = forms.ChoiceField(label=_("Đơn vị"), choices=TimeUnit.choices, initial=TimeUnit.WORKING_HOURS)
    forward_to = forms.CharField(label=_("Chuyển tiếp tới bước"), required=False, max_length=100)
    back_to = forms.CharField(label=_("Trả lại bước"), required=False, max_length=100)


ComponentFormSet = forms.formset_factory(ComponentForm, extra=1, can_delete=True)
FeeFormSet = forms.formset_factory(FeeForm, extra=1, can_delete=True)
StepFormSet = forms.formset_factory(StepForm, extra=1, can_delete=True)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp danh mục (.json hoặc .xlsx, tối đa 10 MB)"))
