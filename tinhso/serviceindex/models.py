"""The service index of Decision 766/QĐ-TTg (Bộ chỉ số chỉ đạo, điều hành và
đánh giá chất lượng phục vụ người dân, doanh nghiệp) as data: the methodology
in versions with effective dates, the values entered for indicators whose
source is outside Tỉnh Số, the monthly snapshots and the scores the national
portal published. See docs/service-index.md."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    COMPUTED = "computed", _("Tính từ dữ liệu Tỉnh Số")
    ENTERED = "entered", _("Nhập tay hằng tháng")
    IMPORTED = "imported", _("Nhập từ tệp / hệ thống khác")


class Methodology(models.Model):
    """Phương pháp đánh giá (phiên bản): the groups and indicators of the index
    in force from `valid_from` until the next version's `valid_from`. A month is
    scored with the version in force on its last day, so a new version never
    changes the score of an earlier month."""

    code = models.SlugField("mã phiên bản", max_length=40, unique=True)
    name = models.CharField("tên", max_length=300)
    basis = models.CharField("văn bản căn cứ", max_length=500)
    valid_from = models.DateField("hiệu lực từ", unique=True)
    note = models.TextField("ghi chú", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = "phương pháp đánh giá Bộ chỉ số 766"
        verbose_name_plural = "phương pháp đánh giá Bộ chỉ số 766"

    def __str__(self):
        return f"{self.name} (từ {self.valid_from:%d/%m/%Y})"


class IndicatorGroup(models.Model):
    """Nhóm chỉ số: one of the five groups (công khai minh bạch, tiến độ giải
    quyết, dịch vụ trực tuyến, số hóa hồ sơ, mức độ hài lòng) with its points."""

    methodology = models.ForeignKey(Methodology, on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveSmallIntegerField("số thứ tự nhóm")
    name = models.CharField("tên nhóm", max_length=200)
    max_points = models.DecimalField("điểm tối đa", max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["methodology", "number"]
        constraints = [models.UniqueConstraint(fields=["methodology", "number"], name="si_group_uniq")]
        verbose_name = "nhóm chỉ số"
        verbose_name_plural = "nhóm chỉ số"

    def __str__(self):
        return f"{self.number}. {self.name}"


class Indicator(models.Model):
    """Chỉ số thành phần: code ("2.1"), name, the computation in code that
    gives its numerator and denominator (`formula`, a key of
    `tinhso.serviceindex.formulas.FORMULAS`), the points at stake and the ratio
    that earns full marks: score = min(max, max × ratio / target); where lower
    is better (`zero_ratio` set), full marks at or below `target` and none at
    or above `zero_ratio`. `weight_confirmed` says whether the points were checked against the
    published decision (several are only partly confirmed)."""

    group = models.ForeignKey(IndicatorGroup, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField("mã chỉ số", max_length=10)
    name = models.CharField("tên chỉ số", max_length=400)
    formula = models.CharField("công thức (khóa tính toán)", max_length=40)
    formula_text = models.CharField("công thức (diễn giải)", max_length=500)
    max_points = models.DecimalField("điểm tối đa", max_digits=6, decimal_places=2,
                                     validators=[MinValueValidator(Decimal("0"))])
    target = models.DecimalField("tỷ lệ đạt điểm tối đa", max_digits=5, decimal_places=4,
                                 validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal("1"))])
    # Set for an indicator where lower is better (2.2, the share of the allowed time used): full marks at or below
    # `target`, 0 at or above `zero_ratio`, linear between.
    zero_ratio = models.DecimalField("tỷ lệ không đạt điểm (chỉ số càng thấp càng tốt)", max_digits=5,
                                     decimal_places=4, null=True, blank=True,
                                     validators=[MinValueValidator(Decimal("0.0001"))])
    source = models.CharField("nguồn số liệu", max_length=10, choices=Source.choices, default=Source.COMPUTED)
    weight_confirmed = models.BooleanField("điểm đã đối chiếu văn bản", default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["group", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["group", "code"], name="si_indicator_uniq")]
        verbose_name = "chỉ số thành phần"
        verbose_name_plural = "chỉ số thành phần"

    def __str__(self):
        return f"{self.code} {self.name}"


def scope_key(agency) -> str:
    """'province' or 'agency:<id>': one key column, so that uniqueness holds on every database (a NULL agency
    would not be unique on PostgreSQL)."""
    return "province" if agency is None else f"agency:{agency.pk}"


class EnteredValue(models.Model):
    """Số liệu chỉ số nhập tay: the numerator and denominator of an indicator
    whose data is outside Tỉnh Số (e.g. 1.2, procedures updated on the national
    database) for one month and one scope, entered by an official or imported."""

    indicator_code = models.CharField("mã chỉ số", max_length=10)
    scope = models.CharField("phạm vi", max_length=30)
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    month = models.DateField("tháng (ngày 1)")
    numerator = models.PositiveIntegerField("tử số")
    denominator = models.PositiveIntegerField("mẫu số")
    source = models.CharField("nguồn", max_length=10, choices=Source.choices, default=Source.ENTERED)
    basis = models.CharField("căn cứ (báo cáo, trang Cổng DVCQG)", max_length=300, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month", "indicator_code"]
        constraints = [models.UniqueConstraint(fields=["indicator_code", "scope", "month"], name="si_entered_uniq")]
        verbose_name = "số liệu chỉ số nhập tay"
        verbose_name_plural = "số liệu chỉ số nhập tay"


class Snapshot(models.Model):
    """Ảnh chụp điểm hằng tháng: the score of one scope for one month as it
    was computed when taken (on the first of the next month by the periodic
    job), kept as data: later corrections of dossiers do not rewrite it."""

    scope = models.CharField("phạm vi", max_length=30)
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    month = models.DateField("tháng (ngày 1)")
    methodology = models.ForeignKey(Methodology, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField("tổng điểm", max_digits=6, decimal_places=2)
    max_points = models.DecimalField("điểm tối đa", max_digits=6, decimal_places=2)
    data = models.JSONField("chi tiết (nhóm, chỉ số)", default=dict)
    taken_at = models.DateTimeField("thời điểm chụp")

    class Meta:
        ordering = ["scope", "month"]
        constraints = [models.UniqueConstraint(fields=["scope", "month"], name="si_snapshot_uniq")]
        verbose_name = "ảnh chụp điểm hằng tháng"
        verbose_name_plural = "ảnh chụp điểm hằng tháng"


class PublishedScore(models.Model):
    """Điểm công bố trên Cổng DVCQG: the score the Government Office published
    for one month and scope, with the points of each group, entered by an
    official, so the page can compare it with Tỉnh Số's own computation."""

    scope = models.CharField("phạm vi", max_length=30)
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    month = models.DateField("tháng (ngày 1)")
    points = models.DecimalField("tổng điểm công bố", max_digits=6, decimal_places=2)
    group_points = models.JSONField("điểm từng nhóm", default=dict)
    basis = models.CharField("nguồn (đường dẫn, ngày xem)", max_length=300, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["scope", "-month"]
        constraints = [models.UniqueConstraint(fields=["scope", "month"], name="si_published_uniq")]
        verbose_name = "điểm công bố trên Cổng DVCQG"
        verbose_name_plural = "điểm công bố trên Cổng DVCQG"
