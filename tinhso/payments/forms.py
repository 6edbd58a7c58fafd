from django import forms
from django.utils import timezone

from tinhso.catalogue.models.choices import FeeKind, FeePaymentMoment
from tinhso.payments.models import Method, PaymentStatus


class FilterForm(forms.Form):
    q = forms.CharField(label="Mã tham chiếu / mã hồ sơ", required=False, max_length=60)
    status = forms.ChoiceField(label="Trạng thái", required=False, choices=[("", "Tất cả")] + PaymentStatus.choices)
    method = forms.ChoiceField(label="Hình thức", required=False, choices=[("", "Tất cả")] + Method.choices)
    agency = forms.ChoiceField(label="Cơ quan thu", required=False)
    date_from = forms.DateField(label="Từ ngày", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="Đến ngày", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "Tất cả")] + [(str(a.pk), a.name) for a in agencies]


class CounterForm(forms.Form):
    receipt_no = forms.CharField(label="Số biên lai (nếu có)", required=False, max_length=60)
    payer_name = forms.CharField(label="Người nộp", required=False, max_length=200)


class CancelForm(forms.Form):
    reason = forms.CharField(label="Lý do hủy", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class RefundForm(forms.Form):
    amount = forms.IntegerField(label="Số tiền hoàn (đồng)", min_value=1, max_value=10**12)
    reason = forms.CharField(label="Lý do hoàn tiền", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class CreateForm(forms.Form):
    dossier = forms.CharField(label="Mã hồ sơ", max_length=60)
    moment = forms.ChoiceField(label="Thời điểm nộp", choices=FeePaymentMoment.choices)
    method = forms.ChoiceField(label="Hình thức nộp", choices=Method.choices)
    fees = forms.MultipleChoiceField(label="Khoản thu theo danh mục", required=False,
                                     widget=forms.CheckboxSelectMultiple)
    line_name = forms.CharField(label="Khoản thu khác (tên)", required=False, max_length=500)
    line_kind = forms.ChoiceField(label="Loại", required=False, choices=FeeKind.choices)
    line_amount = forms.IntegerField(label="Số tiền (đồng)", required=False, min_value=1, max_value=10**12)
    exemption = forms.ChoiceField(label="Đối tượng miễn, giảm", required=False)
    note = forms.CharField(label="Ghi chú", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, fees=(), exemptions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exemption"].choices = [("", "Không")] + [(str(e.pk), f"{e.name} (−{e.percent}%)")
                                                              for e in exemptions]
        self.fields["fees"].choices = [(str(f.pk), f"{f.get_kind_display()}: {f.name} — "
                                        f"{f'{f.amount:,}'.replace(',', '.')} đồng") for f in fees]

    def clean(self):
        data = super().clean()
        if data.get("line_name") and not data.get("line_amount"):
            self.add_error("line_amount", "Cần nhập số tiền của khoản thu khác.")
        if data.get("line_amount") and not data.get("line_name"):
            self.add_error("line_name", "Cần nhập tên khoản thu khác.")
        return data


class ReportForm(forms.Form):
    agency = forms.ChoiceField(label="Cơ quan thu")
    day = forms.DateField(label="Ngày", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(str(a.pk), a.name) for a in agencies]
        self.fields["day"].initial = timezone.localdate()
