from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q

from tinhso.agencies.models import Agency, AgencyKind
from tinhso.catalogue.models._dated import Dated, DatedQuerySet, effective_on
from tinhso.catalogue.models.choices import (
    LEGACY_TO_ONLINE,
    ONLINE_TO_LEGACY,
    AgencyRole,
    FeeStatus,
    LegacyLevel,
    Level,
    OnlineLevel,
)
from tinhso.core.text import fold


class Field(models.Model):
    """Lĩnh vực: the subject area a procedure belongs to (hộ tịch, đất đai...)."""

    code = models.CharField("mã lĩnh vực", max_length=40, unique=True)
    name = models.CharField("tên lĩnh vực", max_length=255)

    class Meta:
        ordering = ["name"]
        verbose_name = "lĩnh vực"
        verbose_name_plural = "lĩnh vực"

    def __str__(self):
        return self.name


class ProcedureQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def at_level(self, level: str):
        return self.filter(level_commune=True) if level == Level.COMMUNE else self.filter(level_province=True)

    def competent_agency(self, agency: Agency, day: datetime.date | None = None):
        """Procedures that `agency` (by itself or by its kind) resolves on `day`."""
        rules = ImplementingAgency.objects.filter(
            effective_on(day), Q(agency=agency) | Q(agency__isnull=True, agency_kind=agency.kind),
            role=AgencyRole.COMPETENT)
        return self.filter(pk__in=rules.values("procedure_id"))


class Procedure(models.Model):
    """Thủ tục hành chính (TTHC): one entry of the national TTHC database as
    the province offers it. The national code (e.g. `1.001193`) is the key
    used by import, export and the API."""

    code = models.CharField("mã thủ tục", max_length=40, unique=True)
    name = models.CharField("tên thủ tục", max_length=500)
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="procedures", verbose_name="lĩnh vực")
    level_province = models.BooleanField("thực hiện ở cấp tỉnh", default=False)
    level_commune = models.BooleanField("thực hiện ở cấp xã", default=False)
    online_level = models.CharField("mức độ dịch vụ công trực tuyến", max_length=10, choices=OnlineLevel.choices,
                                    default=OnlineLevel.NONE)
    legacy_level = models.PositiveSmallIntegerField("mức độ (cũ)", choices=LegacyLevel.choices, null=True,
                                                    blank=True)
    result_name = models.CharField("tên kết quả", max_length=500, blank=True)
    legal_basis = models.TextField("căn cứ pháp lý", blank=True)
    decision = models.CharField("quyết định công bố", max_length=300, blank=True)
    inter_agency = models.BooleanField("liên thông", default=False)
    fee_status = models.CharField("phí, lệ phí", max_length=10, choices=FeeStatus.choices, default=FeeStatus.FREE)
    is_active = models.BooleanField("đang áp dụng", default=True)
    note = models.TextField("ghi chú", blank=True)
    sample_fields = models.JSONField("trường số liệu mẫu (chưa kiểm chứng)", default=list, blank=True)
    search_text = models.CharField(max_length=1200, editable=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = "thủ tục hành chính"
        verbose_name_plural = "thủ tục hành chính"

    def __str__(self):
        return f"{self.code} · {self.name}"

    def save(self, *args, **kwargs):
        self.sync_levels()
        self.search_text = fold(f"{self.code} {self.name} {self.result_name}")[:1200]
        super().save(*args, **kwargs)

    def sync_levels(self) -> None:
        """Keep both online-level schemes: a legacy level alone sets the
        Decree 42 level (4 -> toàn trình, 3 -> một phần, 1-2 -> none); the
        Decree 42 level alone sets the legacy one (full -> 4, partial -> 3)."""
        if self.legacy_level and not self.online_level:
            self.online_level = LEGACY_TO_ONLINE[self.legacy_level]
        elif self.online_level and self.legacy_level is None:
            self.legacy_level = ONLINE_TO_LEGACY[OnlineLevel(self.online_level)]

    @property
    def levels(self) -> list[str]:
        return [lv for lv, on in ((Level.PROVINCE.value, self.level_province),
                                  (Level.COMMUNE.value, self.level_commune)) if on]

    def competent_agencies(self, day: datetime.date | None = None, level: str | None = None):
        """Agencies competent to resolve this procedure on `day` (today by
        default): those named one by one plus every active agency of a named kind."""
        return ImplementingAgency.resolve(self, AgencyRole.COMPETENT, day, level)

    def receiving_agencies(self, day: datetime.date | None = None, level: str | None = None):
        return ImplementingAgency.resolve(self, AgencyRole.RECEIVING, day, level)


class ImplementingAgency(Dated):
    """Cơ quan thực hiện: who resolves (competent) or receives a procedure at a
    level over a period. Names one agency, or every agency of a kind (e.g.
    every commune People's Committee), because the 2025 reorganisation moved
    competence between levels and the rule must be versioned."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="implementing_agencies",
                                  verbose_name="thủ tục")
    position = models.PositiveIntegerField("thứ tự", default=0)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name="cơ quan")
    agency_kind = models.CharField("loại cơ quan", max_length=40, choices=AgencyKind.choices, blank=True)
    role = models.CharField("vai trò", max_length=12, choices=AgencyRole.choices, default=AgencyRole.COMPETENT)
    level = models.CharField("cấp", max_length=10, choices=Level.choices)

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["procedure", "position", "id"]
        verbose_name = "cơ quan thực hiện"
        verbose_name_plural = "cơ quan thực hiện"
        constraints = [models.CheckConstraint(
            condition=(Q(agency__isnull=False, agency_kind="") | Q(agency__isnull=True) & ~Q(agency_kind="")),
            name="catalogue_impl_agency_or_kind")]

    def __str__(self):
        who = self.agency.name if self.agency_id else self.get_agency_kind_display()
        return f"{who} ({self.get_role_display()})"

    @classmethod
    def resolve(cls, procedure, role: str, day=None, level: str | None = None):
        rules = cls.objects.filter(effective_on(day), procedure=procedure, role=role)
        if level:
            rules = rules.filter(level=level)
        ids = [a for a in rules.values_list("agency_id", flat=True) if a]
        kinds = [k for k in rules.values_list("agency_kind", flat=True) if k]
        if not ids and not kinds:
            return Agency.objects.none()
        return Agency.objects.filter(Q(pk__in=ids) | Q(kind__in=kinds), is_active=True)
