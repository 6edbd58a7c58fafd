"""Demo: a heat warning for two Cần Thơ wards (published once: idempotent)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from tinhso.citizenapp.models import WeatherWarning
from tinhso.units.models import AdministrativeUnit

TITLE = "Nắng nóng gay gắt"


def seed_warning() -> None:
    if WeatherWarning.objects.filter(title=TITLE).exists():
        return
    communes = list(AdministrativeUnit.objects.filter(level="commune", valid_to__isnull=True,
                                                      code__in=["31135", "31150"]))
    if not communes:
        return
    from tinhso.audit.actions import record

    with transaction.atomic():
        warning = WeatherWarning.objects.create(
            title=TITLE, severity="warning", valid_until=timezone.now() + datetime.timedelta(days=365),
            text="Nhiệt độ cao nhất 36–37 °C từ 11 đến 15 giờ. Hạn chế ra ngoài trời, uống đủ nước, "
                 "chú ý người già và trẻ nhỏ.")
        warning.communes.set(communes)
        record(actor=None, action="citizenapp.warning_published", obj=warning, changes={"demo": True})
