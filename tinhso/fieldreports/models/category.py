"""Categories of field reports and the dated rules that hang on them: stage
deadlines, routing by area, the escalation ladder, and the reason lists."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q

from tinhso.core.text import fold


class Stage(models.TextChoices):
    CONFIRM = "confirm", "Xác nhận, phân loại"
    HANDLE = "handle", "Xử lý"
    ANSWER = "answer", "Duyệt, công khai kết quả"


class DeadlineUnit(models.TextChoices):
    WORKING_HOURS = "working_hours", "giờ làm việc"
    WORKING_DAYS = "working_days", "ngày làm việc"


def in_force(queryset, day: datetime.date):
    return queryset.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day),
                           Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class ReportCategory(models.Model):
    """Lĩnh vực phản ánh (loại phản ánh hiện trường): what a citizen may
    report (a pothole, garbage, a broken street light ...). Its code is the
    Open311 `service_code`; categories of one group are siblings (duplicate
    search looks across them). Dated: a category ends, a new one starts."""

    code = models.CharField("mã", max_length=20, unique=True)
    name = models.CharField("tên", max_length=200)
    name_en = models.CharField("tên tiếng Anh", max_length=200, blank=True)
    group = models.CharField("nhóm", max_length=120)
    description = models.TextField("mô tả", blank=True)
    keywords = models.CharField("từ khóa", max_length=500, blank=True,
                                help_text="cách nhau bởi dấu phẩy; dùng để gợi ý lĩnh vực từ nội dung")
    is_public = models.BooleanField("công khai phản ánh", default=True)
    requires_evidence = models.BooleanField("kết quả phải có ảnh hoặc tài liệu", default=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    search_text = models.CharField(max_length=800, editable=False, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["group", "order", "name"]
        verbose_name = "lĩnh vực phản ánh"
        verbose_name_plural = "lĩnh vực phản ánh"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = fold(" ".join([self.name, self.group, self.keywords]))[:800]
        super().save(*args, **kwargs)

    def in_force_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class AttributeType(models.TextChoices):
    STRING = "string", "chuỗi"
    NUMBER = "number", "số"
    DATETIME = "datetime", "thời điểm"
    TEXT = "text", "đoạn văn"
    SINGLE = "singlevaluelist", "chọn một"
    MULTI = "multivaluelist", "chọn nhiều"


class CategoryAttribute(models.Model):
    """Thông tin bổ sung của lĩnh vực: an extra question asked with a report
    of this category (Open311 service definition attribute)."""

    category = models.ForeignKey(ReportCategory, on_delete=models.CASCADE, related_name="attributes")
    code = models.CharField("mã", max_length=40)
    label = models.CharField("câu hỏi", max_length=300)
    datatype = models.CharField("kiểu", max_length=20, choices=AttributeType.choices, default=AttributeType.STRING)
    required = models.BooleanField("bắt buộc", default=False)
    description = models.CharField("giải thích", max_length=500, blank=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    values = models.JSONField("các lựa chọn", default=list, blank=True, help_text='[{"key": "...", "name": "..."}]')

    class Meta:
        ordering = ["category", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="fr_attribute_code_uniq")]
        verbose_name = "thông tin bổ sung"
        verbose_name_plural = "thông tin bổ sung"

    def __str__(self):
        return f"{self.category.code}/{self.code}"


class StageDeadline(models.Model):
    """Thời hạn của bước: how long a stage (confirm, handle, answer) of a
    report of this category may take, in working hours or days, from a date."""

    category = models.ForeignKey(ReportCategory, on_delete=models.CASCADE, related_name="deadlines")
    stage = models.CharField("bước", max_length=10, choices=Stage.choices)
    amount = models.PositiveSmallIntegerField("thời hạn")
    unit = models.CharField("đơn vị", max_length=20, choices=DeadlineUnit.choices)
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)

    class Meta:
        ordering = ["category", "stage", "-valid_from"]
        verbose_name = "thời hạn xử lý"
        verbose_name_plural = "thời hạn xử lý"

    def __str__(self):
        return f"{self.category.code} {self.stage}: {self.amount} {self.get_unit_display()}"


class CategoryRoute(models.Model):
    """Phân công xử lý theo địa bàn: the agency responsible for reports of a
    category in a commune, or in the whole province when no commune is set
    (a commune's own row wins)."""

    category = models.ForeignKey(ReportCategory, on_delete=models.CASCADE, related_name="routes")
    unit = models.ForeignKey("units.AdministrativeUnit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name="xã, phường (trống: toàn tỉnh)")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+",
                               verbose_name="cơ quan xử lý")
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)

    class Meta:
        ordering = ["category", "unit", "-valid_from"]
        verbose_name = "phân công theo địa bàn"
        verbose_name_plural = "phân công theo địa bàn"


class Notify(models.TextChoices):
    HANDLERS = "handlers", "Người xử lý của cơ quan đang giữ phản ánh"
    AGENCY_LEADERS = "agency_leaders", "Lãnh đạo cơ quan đang giữ phản ánh"
    PARENT_LEADERS = "parent_leaders", "Lãnh đạo cấp trên của cơ quan đó"
    CENTRE = "centre", "Trung tâm điều hành"


class EscalationStep(models.Model):
    """Bậc cảnh báo, báo cáo vượt cấp: who is told when a share of a stage's
    time is used (80: most of it; 100: the deadline is breached; more: long
    overdue). A row without category applies to every category."""

    category = models.ForeignKey(ReportCategory, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="escalations")
    stage = models.CharField("bước", max_length=10, choices=Stage.choices)
    percent = models.PositiveSmallIntegerField("khi đã dùng (% thời hạn)")
    notify = models.CharField("báo cho", max_length=20, choices=Notify.choices)
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)

    class Meta:
        ordering = ["stage", "percent", "notify"]
        verbose_name = "bậc cảnh báo"
        verbose_name_plural = "bậc cảnh báo"


class ReasonKind(models.TextChoices):
    REJECT = "reject", "Không tiếp nhận phản ánh"
    RETURN = "return", "Trả lại trung tâm"
    HIDE = "hide", "Ẩn khỏi trang công khai"
    SEND_BACK = "send_back", "Yêu cầu xử lý lại"


class Reason(models.Model):
    """Lý do (danh mục): the reasons staff choose from when they reject,
    return, hide or send back a report; the text is shown to the reporter."""

    kind = models.CharField("loại", max_length=10, choices=ReasonKind.choices)
    code = models.CharField("mã", max_length=30)
    label = models.CharField("lý do", max_length=300)
    label_en = models.CharField("tiếng Anh", max_length=300, blank=True)
    is_active = models.BooleanField("đang dùng", default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="fr_reason_uniq")]
        verbose_name = "lý do"
        verbose_name_plural = "lý do"

    def __str__(self):
        return self.label
