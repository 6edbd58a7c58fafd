from django import forms
from django.utils.translation import gettext_lazy as _

from tinhso.dossiers.models import IdType, ReturnMethod

DT = {"type": "datetime-local"}


class ApplicantForm(forms.Form):
    owner_name = forms.CharField(label=_("Họ và tên chủ hồ sơ"), max_length=200)
    owner_id_type = forms.ChoiceField(label=_("Loại giấy tờ"), choices=IdType.choices, initial=IdType.CCCD)
    owner_id_number = forms.RegexField(label=_("Số giấy tờ (số định danh cá nhân)"), regex=r"^[0-9A-Za-z]{6,20}$",
                                       required=False, error_messages={"invalid": _("Chỉ gồm chữ và số, 6-20 ký tự.")})
    owner_birth_date = forms.DateField(label=_("Ngày sinh"), required=False,
                                       widget=forms.DateInput(attrs={"type": "date"}))
    owner_phone = forms.RegexField(label=_("Điện thoại"), regex=r"^\+?[0-9 .]{8,15}$", required=False,
                                   error_messages={"invalid": _("Số điện thoại không hợp lệ.")})
    owner_email = forms.EmailField(label=_("Thư điện tử"), required=False)
    owner_address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    filer_name = forms.CharField(label=_("Người nộp thay (nếu có)"), max_length=200, required=False)
    filer_id_number = forms.CharField(label=_("Số giấy tờ người nộp thay"), max_length=20, required=False)
    subject = forms.CharField(label=_("Nội dung yêu cầu"), max_length=500, required=False)
    sets = forms.IntegerField(label=_("Số bộ hồ sơ"), min_value=1, max_value=99, initial=1, required=False)
    delivery_method = forms.ChoiceField(label=_("Hình thức nhận kết quả"), required=False,
                                        choices=[("", _("— Chưa đăng ký —"))] + list(ReturnMethod.choices))
    area_code = forms.CharField(label=_("Mã xã/phường nơi phát sinh hồ sơ"), max_length=5, required=False,
                                help_text=_("Để trống nếu là địa bàn của nơi tiếp nhận."))
    national_consent = forms.BooleanField(
        label=_("Công dân đồng ý tra cứu CSDL quốc gia (có mặt tại quầy)"), required=False,
        help_text=_("Cần thiết trước khi bấm “Kiểm tra với CSDL dân cư”."))


class ActionForm(forms.Form):
    """The fields any transition may take; each action reads what it needs."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Ý kiến, nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label=_("Lý do / nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    to_step = forms.IntegerField(label=_("Chuyển đến bước"), required=False)
    receiver = forms.IntegerField(label=_("Người nhận"), required=False)
    amount = forms.IntegerField(label=_("Số tiền (đồng)"), required=False, min_value=1)
    new_due_at = forms.DateTimeField(label=_("Ngày hẹn mới"), required=False, widget=forms.DateTimeInput(attrs=DT),
                                     input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    deadline = forms.DateField(label=_("Hạn bổ sung"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    result_summary = forms.CharField(label=_("Trích yếu kết quả"), required=False, max_length=1000)
    result_number = forms.CharField(label=_("Số, ký hiệu"), required=False, max_length=100)
    result_signer = forms.CharField(label=_("Người ký"), required=False, max_length=200)
    method = forms.ChoiceField(label=_("Hình thức trả"), choices=ReturnMethod.choices, required=False)
    returned_to = forms.CharField(label=_("Người nhận kết quả"), required=False, max_length=200)
    remote_otp = forms.CharField(label=_("Mã OTP ký số từ xa"), required=False, max_length=12)
    requested_by = forms.CharField(label=_("Người đề nghị rút hồ sơ"), required=False, max_length=200)
    letter_number = forms.CharField(label=_("Số, ký hiệu văn bản"), required=False, max_length=100)
    kept_at = forms.CharField(label=_("Nơi lưu giữ hồ sơ giấy"), required=False, max_length=300)


class BookFilterForm(forms.Form):
    date_from = forms.DateField(label=_("Nhận từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.TypedChoiceField(label=_("Trạng thái"), required=False, coerce=int, empty_value=None, choices=[])
    outcome = forms.ChoiceField(label=_("Kết quả"), required=False, choices=[])
    procedure = forms.CharField(label=_("Mã thủ tục"), required=False, max_length=40)
    q = forms.CharField(label=_("Mã hồ sơ"), required=False, max_length=60)

    def __init__(self, *args, **kwargs):
        from tinhso.dossiers.models import Outcome, Status

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Tất cả"))] + list(Status.choices)
        self.fields["outcome"].choices = [("", _("Tất cả"))] + list(Outcome.choices)


class LookupForm(forms.Form):
    ma = forms.CharField(label=_("Mã hồ sơ"), max_length=60)
    sdt = forms.RegexField(label=_("4 số cuối điện thoại của người nộp"), regex=r"^[0-9]{4}$",
                           error_messages={"invalid": _("Nhập đúng 4 chữ số.")})
