from __future__ import annotations

from decimal import Decimal

from django.db import models

from tinhso.catalogue.models._dated import Dated, DatedQuerySet
from tinhso.catalogue.models.choices import FeeKind, FeePaymentMoment, HOURS_PER_UNIT, NationalSource, TimeUnit
from tinhso.catalogue.models.procedure import Procedure


class ProcedureCase(Dated):
    """Trường hợp giải quyết: one way a procedure is handled, with its own
    processing time, papers, fees and internal process. `code` is unique
    inside the procedure and keys the case in import and export."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="cases", verbose_name="thủ tục")
    code = models.CharField("mã trường hợp", max_length=40)
    position = models.PositiveIntegerField("thứ tự", default=0)
    name = models.CharField("tên trường hợp", max_length=500)
    processing_time = models.DecimalField("thời hạn giải quyết", max_digits=7, decimal_places=2)
    time_unit = models.CharField("đơn vị thời gian", max_length=15, choices=TimeUnit.choices,
                                 default=TimeUnit.WORKING_DAYS)
    online_processing_time = models.DecimalField("thời hạn khi nộp trực tuyến", max_digits=7, decimal_places=2,
                                                 null=True, blank=True,
                                                 help_text="Để trống nếu như khi nộp trực tiếp.")
    digital_signature_required = models.BooleanField("kết quả phải ký số", default=False)
    online_payment_required = models.BooleanField("phí phải nộp trực tuyến", default=False)
    not_online = models.BooleanField("không cung cấp trực tuyến", default=False)
    authorised_filing = models.BooleanField("cho phép nộp thay (ủy quyền)", default=False)
    no_appointment = models.BooleanField("không hẹn ngày trả kết quả", default=False)
    fee_payment_moment = models.CharField("thời điểm nộp phí", max_length=20, choices=FeePaymentMoment.choices,
                                          default=FeePaymentMoment.BEFORE_RECEPTION)

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["procedure", "position", "id"]
        verbose_name = "trường hợp giải quyết"
        verbose_name_plural = "trường hợp giải quyết"
        constraints = [models.UniqueConstraint(fields=["procedure", "code"], name="catalogue_case_code_uniq")]

    def __str__(self):
        return self.name

    @property
    def processing_hours(self) -> Decimal:
        return self.processing_time * HOURS_PER_UNIT[TimeUnit(self.time_unit)]


class RequiredComponent(models.Model):
    """Thành phần hồ sơ: a paper the applicant files for a case, and whether
    it can be taken from their data store or a national database instead."""

    case = models.ForeignKey(ProcedureCase, on_delete=models.CASCADE, related_name="components",
                             verbose_name="trường hợp")
    order = models.PositiveIntegerField("thứ tự", default=0)
    name = models.CharField("tên giấy tờ", max_length=1000)
    paper_code = models.CharField("mã giấy tờ", max_length=60, blank=True)
    originals = models.PositiveSmallIntegerField("số bản chính", default=1)
    copies = models.PositiveSmallIntegerField("số bản sao", default=0)
    required = models.BooleanField("bắt buộc", default=True)
    template_file = models.FileField("mẫu đơn, tờ khai", upload_to="catalogue/templates/", blank=True)
    template_url = models.URLField("đường dẫn mẫu", max_length=500, blank=True)
    reusable_from_data_store = models.BooleanField("lấy từ kho dữ liệu của công dân", default=False)
    reusable_from_national_db = models.BooleanField("lấy từ cơ sở dữ liệu quốc gia", default=False)
    # Which national database supplies it (tinhso/registries): when the reference verifies at reception, the paper
    # is not asked for as an upload. Edited by the administrator; it follows the case's validity dates.
    national_source = models.CharField("nguồn CSDL quốc gia", max_length=30, blank=True, default="", db_default="",
                                       choices=NationalSource.choices)

    class Meta:
        ordering = ["case", "order", "id"]
        verbose_name = "thành phần hồ sơ"
        verbose_name_plural = "thành phần hồ sơ"

    def __str__(self):
        return self.name


class Fee(Dated):
    """Phí, lệ phí: an amount in VND charged for a case over a period; several
    variants (e.g. 'đăng ký đúng hạn' / 'quá hạn') may coexist."""

    case = models.ForeignKey(ProcedureCase, on_delete=models.CASCADE, related_name="fees", verbose_name="trường hợp")
    position = models.PositiveIntegerField("thứ tự", default=0)
    kind = models.CharField("loại", max_length=10, choices=FeeKind.choices, default=FeeKind.CHARGE)
    name = models.CharField("tên khoản thu", max_length=500)
    amount = models.PositiveBigIntegerField("mức thu (đồng)")
    note = models.TextField("ghi chú", blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["case", "position", "id"]
        verbose_name = "phí, lệ phí"
        verbose_name_plural = "phí, lệ phí"

    def __str__(self):
        return f"{self.name}: {self.amount:,} đ"


class FeeExemption(Dated):
    """Miễn, giảm phí, lệ phí theo đối tượng: a category of person (người có
    công với cách mạng, hộ nghèo, trẻ em…) who pays `percent` less of the fees
    or charges of one procedure (or of every procedure when none is named),
    over a period, on a legal basis. Chosen for the payer when a payment
    request is made; 100 means exempt."""

    code = models.SlugField("mã đối tượng", max_length=40)
    name = models.CharField("đối tượng được miễn, giảm", max_length=300)
    applies_to = models.CharField("áp dụng cho", max_length=10, default="all",
                                  choices=[("all", "Phí và lệ phí"), ("fee", "Phí"), ("charge", "Lệ phí")])
    percent = models.PositiveSmallIntegerField("tỷ lệ miễn, giảm (%)")
    procedure = models.ForeignKey(Procedure, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="fee_exemptions", verbose_name="thủ tục (bỏ trống: mọi thủ tục)")
    legal_basis = models.CharField("căn cứ pháp lý", max_length=500)

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["code", "-valid_from"]
        verbose_name = "miễn, giảm phí, lệ phí"
        verbose_name_plural = "miễn, giảm phí, lệ phí"
        constraints = [models.CheckConstraint(condition=models.Q(percent__gte=1, percent__lte=100),
                                              name="fee_exemption_percent_1_100")]

    def __str__(self):
        return f"{self.name} (-{self.percent}%)"

    def reduce(self, kind: str, amount: int) -> int:
        """What is left to pay of a line of `kind`."""
        if self.applies_to not in ("all", kind):
            return amount
        return amount * (100 - self.percent) // 100

    @classmethod
    def for_case(cls, case, day):
        return cls.objects.effective(day).filter(models.Q(procedure__isnull=True) | models.Q(procedure=case.procedure_id))
