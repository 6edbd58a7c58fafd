"""A generated province-year (small N) over the demo province: dossiers with their history, payments, papers
with their digitisation and result forms (tinhso.demo.province_year), and the index flags the generator sets
from the same draws."""

import datetime

import pytest
from django.utils import timezone

from tinhso.demo import province_year
from tinhso.demo.seed import seed_demo
from tinhso.dossiers.models import Dossier

N = 400


@pytest.fixture
def province(db, settings):
    settings.TINHSO_TSA_URL = "off"
    settings.TINHSO_REQUIRE_2FA = False
    seed_demo()
    year = timezone.localdate().year - 1
    province_year.generate(N, seed=11, year=year)
    gen = province_year.current()
    generated = list(Dossier.objects.filter(pk__gte=gen.dossier_id_from, pk__lte=gen.dossier_id_to)
                     .values_list("pk", flat=True))
    return {"year": year, "first": datetime.date(year, 1, 1), "ids": generated}
