"""A generated province-year (small N) over the demo province, with
digitisation data added to a deterministic share of its dossiers, since the
generator predates the digitisation columns."""

import datetime

import pytest
from django.utils import timezone

from tinhso.demo import province_year
from tinhso.demo.seed import seed_demo
from tinhso.dossiers.models import Dossier, DossierComponent

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
                     .values_list("pk", "status"))
    components = []
    for pk, status in generated:
        if pk % 3 == 0:
            components.append(DossierComponent(dossier_id=pk, name="Tờ khai", received=True, digitisation="scanned"))
        if pk % 5 == 0:
            components.append(DossierComponent(dossier_id=pk, name="Bản sao giấy tờ", received=True,
                                               digitisation="paper"))
        if pk % 7 == 0:
            components.append(DossierComponent(dossier_id=pk, name="Giấy khai sinh", received=True,
                                               national_source="civil-status:birth"))
        if pk % 11 == 0:
            components.append(DossierComponent(dossier_id=pk, name="CCCD", received=True,
                                               reused_from_data_store=True))
    DossierComponent.objects.bulk_create(components)
    finished = [pk for pk, status in generated if status in (9, 10)]
    Dossier.objects.filter(pk__in=[pk for pk in finished if pk % 2 == 0]).update(result_form="electronic")
    Dossier.objects.filter(pk__in=[pk for pk in finished if pk % 2 == 1]).update(result_form="paper")
    Dossier.objects.filter(pk__in=[pk for pk in finished if pk % 4 == 1]).update(
        result_digitised_at=timezone.now())
    Dossier.objects.filter(pk__in=[pk for pk, _ in generated if pk % 13 == 0]).update(owner_verified=True)
    return {"year": year, "first": datetime.date(year, 1, 1), "ids": [pk for pk, _ in generated]}
