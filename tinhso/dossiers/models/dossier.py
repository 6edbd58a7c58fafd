from __future__ import annotations

from django.conf import settings
from django.db import models

from tinhso.dossiers.models.choices import (Channel, Digitisation, IdType, Outcome, ResultForm, ResultKind, ReturnMethod,
                                           Status)


class Dossier(models.Model):
    """Hồ sơ thủ tục hành chính: one application for a procedure case, from
    submission or reception to the returned result.

    `receiving_agency` (nơi tiếp nhận) and `competent_agency` (cơ quan có thẩm
    quyền giải quyết) may differ: since 1 July 2025 a service centre accepts
    dossiers whatever the applicant's commune. `current_agency`/`current_step`
    say where the dossier is now. `version` is bumped by every transition so
    that two staff acting at once cannot both succeed."""

    code = models.CharField("mã hồ sơ", max_length=60, unique=True)
    procedure = models.ForeignKey("catalogue.Procedure", on_delete=models.PROTECT, related_name="dossiers",
                                  verbose_name="thủ tục")
    case = models.ForeignKey("catalogue.ProcedureCase", on_delete=models.PROTECT, related_name="dossiers",
                             verbose_name="trường hợp")
    receiving_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+",
                                         verbose_name="nơi tiếp nhận")
    competent_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+",
                                         verbose_name="cơ quan giải quyết")
    current_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+",
                                       verbose_name="đang ở cơ quan")
    current_step = models.ForeignKey("catalogue.ProcessStep", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name="bước hiện tại")
    current_role = models.CharField("vai trò đang xử lý", max_length=30, blank=True)
    current_handler = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", verbose_name="người đang xử lý")
    step_due_at = models.DateTimeField("hạn của bước", null=True, blank=True)
    channel = models.PositiveSmallIntegerField("kênh nộp", choices=Channel.choices)
    status = models.PositiveSmallIntegerField("trạng thái", choices=Status.choices, db_index=True)
    area = models.ForeignKey("units.AdministrativeUnit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name="địa bàn")
    subject = models.CharField("nội dung yêu cầu", max_length=500, blank=True)
    sets = models.PositiveSmallIntegerField("số bộ hồ sơ", default=1, db_default=1)
    delivery_method = models.CharField("hình thức nhận kết quả đã đăng ký", max_length=10, blank=True, default="",
                                       db_default="", choices=ReturnMethod.choices)
    book_number = models.PositiveIntegerField("số vào sổ theo dõi", null=True, blank=True)
    form_data = models.JSONField("tờ khai điện tử", default=dict, blank=True)

    # Chủ hồ sơ and người nộp thay (personal data: never on public pages).
    owner_name = models.CharField("chủ hồ sơ", max_length=200)
    owner_id_type = models.CharField("loại giấy tờ", max_length=10, choices=IdType.choices, default=IdType.CCCD)
    owner_id_number = models.CharField("số giấy tờ", max_length=20, blank=True)
    owner_birth_date = models.DateField("ngày sinh", null=True, blank=True)
    owner_address = models.CharField("địa chỉ", max_length=300, blank=True)
    owner_phone = models.CharField("điện thoại", max_length=20, blank=True)
    owner_email = models.EmailField("thư điện tử", blank=True)
    owner_verified = models.BooleanField("đã xác thực định danh điện tử", default=False)
    filer_name = models.CharField("người nộp thay", max_length=200, blank=True)
    filer_id_number = models.CharField("số giấy tờ người nộp thay", max_length=20, blank=True)
    filer_phone = models.CharField("điện thoại người nộp thay", max_length=20, blank=True)
    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="dossiers", verbose_name="tài khoản công dân")
    notify_sms = models.BooleanField("nhận tin nhắn", default=True)
    notify_email = models.BooleanField("nhận thư điện tử", default=True)

    submitted_at = models.DateTimeField("thời điểm nộp", null=True, blank=True)
    received_at = models.DateTimeField("thời điểm tiếp nhận", null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="người tiếp nhận")
    counting_from = models.DateTimeField("bắt đầu tính thời hạn", null=True, blank=True)
    due_at = models.DateTimeField("hẹn trả kết quả", null=True, blank=True, db_index=True)
    original_due_at = models.DateTimeField("hẹn trả ban đầu", null=True, blank=True)
    finished_at = models.DateTimeField("thời điểm có kết quả", null=True, blank=True)
    returned_at = models.DateTimeField("thời điểm trả kết quả", null=True, blank=True)
    closed_at = models.DateTimeField("thời điểm kết thúc", null=True, blank=True)
    # Tính đúng hạn: the outcome is judged against the original appointment (moved only by the waits that do
    # not count, never by an apology letter) when the dossier is handled: finished (a result, or a refusal on
    # the merits), or closed in a way the "dossiers.counted_closures" rule in force then counts.
    handled_at = models.DateTimeField("thời điểm giải quyết xong (tính tỷ lệ đúng hạn)", null=True, blank=True)
    outcome = models.CharField("kết quả đúng hạn", max_length=10, choices=Outcome.choices, blank=True)
    # db_default: bulk loaders (the province-year generator's COPY) need not know every new column
    result_kind = models.CharField("loại kết quả", max_length=10, choices=ResultKind.choices, blank=True,
                                   default="", db_default="")
    # Số hóa kết quả (Decision 766, 4.1/4.2): issued electronic (signed) or on paper; a paper result scanned later
    # by the digitise_result action.
    result_form = models.CharField("hình thức kết quả", max_length=12, choices=ResultForm.choices, blank=True,
                                   default="", db_default="")
    result_digitised_at = models.DateTimeField("số hóa kết quả giấy lúc", null=True, blank=True)
    supplement_due_at = models.DateTimeField("hạn nộp bổ sung", null=True, blank=True)
    supplement_reminded = models.BooleanField(default=False, db_default=False)
    due_soon_notified = models.BooleanField(default=False)
    overdue_notified = models.BooleanField(default=False)

    result_summary = models.TextField("trích yếu kết quả", blank=True)
    result_number = models.CharField("số, ký hiệu kết quả", max_length=100, blank=True)
    result_signer = models.CharField("người ký", max_length=200, blank=True)
    result_signed_at = models.DateField("ngày ký", null=True, blank=True)
    return_method = models.CharField("hình thức trả", max_length=10, choices=ReturnMethod.choices, blank=True)
    returned_to = models.CharField("người nhận kết quả", max_length=200, blank=True)
    reason = models.TextField("lý do (từ chối, bổ sung, dừng, xin lỗi)", blank=True)
    supplement_requests = models.PositiveSmallIntegerField("số lần yêu cầu bổ sung", default=0)
    extensions = models.PositiveSmallIntegerField("số lần gia hạn", default=0)

    # Cờ chỉ số (tinhso/dossiers/flags.py): kept by the actions, counted by the service index of Decision 766
    portal_synced = models.BooleanField("đã đồng bộ đủ lên Cổng DVCQG", default=False, db_default=False)
    fee_settled = models.BooleanField("đã nộp phí, lệ phí", default=False, db_default=False)
    paid_online = models.BooleanField("đã thanh toán trực tuyến", default=False, db_default=False)
    components_digitised = models.BooleanField("thành phần hồ sơ đã số hóa đủ", default=False, db_default=False)
    data_reused = models.BooleanField("tái sử dụng dữ liệu số hóa", default=False, db_default=False)
    population_paper = models.BooleanField("có giấy tờ từ CSDL dân cư", default=False, db_default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "hồ sơ"
        verbose_name_plural = "hồ sơ"
        indexes = [
            models.Index(fields=["current_agency", "status"]),
            models.Index(fields=["competent_agency", "status"]),
            models.Index(fields=["receiving_agency", "status"]),
            models.Index(fields=["status", "due_at"]),
            # The dashboard (tinhso/dashboard/queries.py): received / finished in a period, and a covering
            # index so that its aggregate reads a ~60-byte index entry per dossier, not the wide row
            # (PostgreSQL; other databases ignore `include` and get a plain index).
            models.Index(fields=["received_at"], name="dossier_received_at_idx"),
            models.Index(fields=["finished_at"], name="dossier_finished_at_idx"),
            models.Index(fields=["handled_at"], name="dossier_handled_at_idx"),
            models.Index(fields=["competent_agency"], name="dossier_dashboard_cover2_idx",
                         include=["received_at", "handled_at", "due_at", "status", "channel", "outcome"]),
        ]

    def __str__(self):
        return self.code

    @property
    def is_open(self) -> bool:
        from tinhso.dossiers.models.choices import OPEN_STATUSES

        return self.status in OPEN_STATUSES


class BookCounter(models.Model):
    """Số vào sổ theo dõi hồ sơ: the entry number of the desk's tracking book,
    sequential per receiving agency and calendar year, given at reception."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="book_counter_uniq")]


class DossierCounter(models.Model):
    """Bộ đếm số hồ sơ: the per-agency daily counter behind dossier codes.
    Rows are locked while incremented, so codes are unique under concurrency."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="dossier_counter_uniq")]


class DossierComponent(models.Model):
    """Thành phần hồ sơ đã nộp: a paper of the case's list as received, with
    counts; its files are DossierFile rows. A paper taken from a national
    database (lấy từ CSDL quốc gia) has no file but `national_*` set.
    `digitisation` (số hóa) says whether it was scanned, filed electronically
    or kept on paper only; a reused paper (data store, national database)
    counts as digitised data."""

    @property
    def is_digitised(self) -> bool:
        return (self.digitisation in (Digitisation.SCANNED, Digitisation.BORN_DIGITAL)
                or self.reused_from_data_store or bool(self.national_source))


    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="components")
    required_component = models.ForeignKey("catalogue.RequiredComponent", null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+")
    name = models.CharField("tên giấy tờ", max_length=1000)
    originals = models.PositiveSmallIntegerField("số bản chính", default=0)
    copies = models.PositiveSmallIntegerField("số bản sao", default=0)
    received = models.BooleanField("đã nhận", default=False)
    reused_from_data_store = models.BooleanField("lấy từ kho dữ liệu", default=False)
    # Số hóa: scanned at reception or filed electronically (with the file), or paper only.
    digitisation = models.CharField("số hóa", max_length=12, choices=Digitisation.choices, blank=True, default="",
                                    db_default="")
    # Lấy từ CSDL quốc gia: the paper was not filed; its reference was verified with a national database
    # (tinhso/registries) — which one, what was checked, and when.
    national_source = models.CharField("lấy từ CSDL quốc gia", max_length=30, blank=True, default="", db_default="")
    national_reference = models.CharField("tham chiếu đã kiểm tra", max_length=300, blank=True, default="",
                                          db_default="")
    national_checked_at = models.DateTimeField("kiểm tra với CSDL quốc gia lúc", null=True, blank=True)
    note = models.CharField("ghi chú", max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["dossier", "order", "id"]
        verbose_name = "thành phần hồ sơ đã nộp"
        verbose_name_plural = "thành phần hồ sơ đã nộp"

    def __str__(self):
        return self.name


def _upload_to(instance, filename):
    return f"dossiers/{instance.dossier_id}/{instance.kind}/{instance.sha256[:16]}-{filename[-80:]}"


class DossierFile(models.Model):
    """Tệp đính kèm hồ sơ: an uploaded file (component, supplement, result or
    attachment), checked by content and size before it is stored."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="files")
    component = models.ForeignKey(DossierComponent, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="files")
    kind = models.CharField("loại", max_length=12)
    file = models.FileField(upload_to=_upload_to, max_length=300)
    original_name = models.CharField("tên tệp", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dossier", "uploaded_at", "id"]
        verbose_name = "tệp hồ sơ"
        verbose_name_plural = "tệp hồ sơ"

    def __str__(self):
        return self.original_name


class StagedUpload(models.Model):
    """Tệp tải lên tạm: a checked file kept while the form it came with is
    corrected, so that a clerk or citizen never has to upload it again. Cleared
    when the form is submitted."""

    token = models.CharField(max_length=100, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    slot = models.CharField(max_length=60)
    file = models.FileField(upload_to="staged/%Y/%m/", max_length=300)
    original_name = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
