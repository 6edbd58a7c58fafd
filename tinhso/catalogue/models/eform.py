from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tinhso.catalogue.models.case import ProcedureCase


class FieldKind(models.TextChoices):
    TEXT = "text", _("Chữ (một dòng)")
    TEXTAREA = "textarea", _("Đoạn văn")
    NUMBER = "number", _("Số")
    DATE = "date", _("Ngày")
    EMAIL = "email", _("Thư điện tử")
    PHONE = "phone", _("Điện thoại")
    ID_NUMBER = "id_number", _("Số định danh cá nhân")
    SELECT = "select", _("Chọn một")
    CHECKBOX = "checkbox", _("Đánh dấu")


class Prefill(models.TextChoices):
    NONE = "", _("Không")
    FULL_NAME = "full_name", _("Họ tên công dân")
    ID_NUMBER = "id_number", _("Số định danh")
    BIRTH_DATE = "birth_date", _("Ngày sinh")
    ADDRESS = "address", _("Địa chỉ")
    PHONE = "phone", _("Điện thoại")
    EMAIL = "email", _("Thư điện tử")


class FormField(models.Model):
    """Trường của biểu mẫu điện tử (tờ khai trực tuyến): one field of the
    online form of a procedure case, defined as data by catalogue managers —
    type, required, validation, help text, and which profile value from the
    e-ID prefills it."""

    case = models.ForeignKey(ProcedureCase, on_delete=models.CASCADE, related_name="form_fields",
                             verbose_name="trường hợp")
    order = models.PositiveIntegerField("thứ tự", default=0)
    key = models.SlugField("mã trường", max_length=60)
    label = models.CharField("nhãn", max_length=300)
    kind = models.CharField("kiểu", max_length=12, choices=FieldKind.choices, default=FieldKind.TEXT)
    required = models.BooleanField("bắt buộc", default=False)
    help_text = models.CharField("hướng dẫn", max_length=500, blank=True)
    choices = models.TextField("lựa chọn (mỗi dòng một giá trị)", blank=True)
    pattern = models.CharField("mẫu kiểm tra (biểu thức chính quy)", max_length=200, blank=True)
    max_length = models.PositiveIntegerField("độ dài tối đa", null=True, blank=True)
    prefill = models.CharField("lấy sẵn từ hồ sơ định danh", max_length=20, choices=Prefill.choices, blank=True)

    class Meta:
        ordering = ["case", "order", "id"]
        verbose_name = "trường biểu mẫu"
        verbose_name_plural = "trường biểu mẫu"
        constraints = [models.UniqueConstraint(fields=["case", "key"], name="catalogue_formfield_key_uniq")]

    def __str__(self):
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]
