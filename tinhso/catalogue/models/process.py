from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q

from tinhso.accounts.models import Role
from tinhso.agencies.models import Agency, AgencyKind
from tinhso.catalogue.models.case import ProcedureCase
from tinhso.catalogue.models.choices import HOURS_PER_UNIT, MoveKind, TimeUnit


class ProcessStep(models.Model):
    """Bước quy trình nội bộ: one step of a case's internal process, done by a
    role (optionally in a given agency or kind of agency) within a time
    allowance. Steps are keyed by `order` inside the case."""

    case = models.ForeignKey(ProcedureCase, on_delete=models.CASCADE, related_name="steps", verbose_name="trường hợp")
    order = models.PositiveIntegerField("thứ tự bước")
    name = models.CharField("tên bước", max_length=300)
    role = models.CharField("vai trò thực hiện", max_length=30, choices=Role.choices)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name="cơ quan")
    agency_kind = models.CharField("loại cơ quan", max_length=40, choices=AgencyKind.choices, blank=True)
    allowance = models.DecimalField("thời gian cho phép", max_digits=7, decimal_places=2)
    allowance_unit = models.CharField("đơn vị thời gian", max_length=15, choices=TimeUnit.choices,
                                      default=TimeUnit.WORKING_HOURS)

    class Meta:
        ordering = ["case", "order"]
        verbose_name = "bước quy trình"
        verbose_name_plural = "bước quy trình"
        constraints = [models.UniqueConstraint(fields=["case", "order"], name="catalogue_step_order_uniq")]

    def __str__(self):
        return f"{self.order}. {self.name}"

    @property
    def allowance_hours(self) -> Decimal:
        return self.allowance * HOURS_PER_UNIT[TimeUnit(self.allowance_unit)]


class StepMove(models.Model):
    """Bước chuyển: an allowed move between two steps of the same case,
    forward (chuyển tiếp) or back (trả lại)."""

    from_step = models.ForeignKey(ProcessStep, on_delete=models.CASCADE, related_name="moves_out",
                                  verbose_name="từ bước")
    to_step = models.ForeignKey(ProcessStep, on_delete=models.CASCADE, related_name="moves_in",
                                verbose_name="đến bước")
    kind = models.CharField("loại", max_length=10, choices=MoveKind.choices, default=MoveKind.FORWARD)

    class Meta:
        ordering = ["from_step__order", "kind", "to_step__order"]
        verbose_name = "bước chuyển"
        verbose_name_plural = "bước chuyển"
        constraints = [
            models.UniqueConstraint(fields=["from_step", "to_step", "kind"], name="catalogue_move_uniq"),
            models.CheckConstraint(condition=~Q(from_step=models.F("to_step")), name="catalogue_move_not_self"),
        ]

    def __str__(self):
        return f"{self.from_step.order} → {self.to_step.order} ({self.get_kind_display()})"
