from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone


def effective_on(day: datetime.date | None = None, prefix: str = "") -> Q:
    """Rows whose [valid_from, valid_to] period contains `day` (today by default);
    an empty bound is open."""
    day = day or timezone.localdate()
    return ((Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day}))
            & (Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})))


class DatedQuerySet(models.QuerySet):
    def effective(self, day: datetime.date | None = None):
        return self.filter(effective_on(day))


class Dated(models.Model):
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_effective(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or self.valid_to >= day)
