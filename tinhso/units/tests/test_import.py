import json

import pytest
from django.db.models import Count
from django.conf import settings

from tinhso.core.errors import InvalidInput
from tinhso.units.actions import import_units
from tinhso.units.importer import read_dataset
from tinhso.units.models import REFORM_DATE, AdministrativeUnit, UnitSuccession


@pytest.mark.django_db
def test_the_real_2025_units_are_loaded_with_their_codes():
    current = AdministrativeUnit.objects.filter(valid_to__isnull=True)
    assert current.filter(level="province").count() == 34
    assert current.filter(level="commune").count() == 3321
    can_tho = current.get(level="province", code="92")
    assert can_tho.name == "Thành phố Cần Thơ" and can_tho.valid_from == REFORM_DATE
    vi_thanh = current.get(level="commune", code="31321")
    assert vi_thanh.name == "Phường Vị Thanh" and vi_thanh.parent == can_tho


@pytest.mark.django_db
def test_old_units_keep_their_own_rows_even_when_a_code_is_reused():
    old = AdministrativeUnit.objects.get(level="commune", code="31321", valid_to__isnull=False)
    new = AdministrativeUnit.objects.get(level="commune", code="31321", valid_to__isnull=True)
    assert old.name == "Phường III" and old.parent.name == "Tỉnh Hậu Giang"
    assert old.successors() == [new]
    assert str(old) == "Phường III (cũ)"


@pytest.mark.django_db
def test_old_provinces_map_to_the_merged_province():
    hau_giang = AdministrativeUnit.objects.get(level="province", code="93")
    assert [u.code for u in hau_giang.successors()] == ["92"]
    assert AdministrativeUnit.objects.filter(level="province", valid_to__isnull=False).count() == 63


@pytest.mark.django_db
def test_partial_successions_split_an_old_commune_across_new_ones():
    split = (UnitSuccession.objects.filter(kind="partial").values("predecessor")
             .annotate(n=Count("id")).filter(n__gt=1).order_by("predecessor").first())
    assert split is not None
    old = AdministrativeUnit.objects.get(pk=split["predecessor"])
    assert len(old.successors()) == split["n"]


@pytest.mark.django_db
def test_import_is_idempotent_and_keeps_administrator_corrections():
    row = UnitSuccession.objects.filter(kind="full").first()
    row.kind, row.corrected = "partial", True
    row.save()
    before = (AdministrativeUnit.objects.count(), UnitSuccession.objects.count())
    summary = import_units(acting_user=None, directory=settings.TINHSO_ADMIN_UNITS_DIR)
    assert summary["units_created"] == 0 and summary["successions_created"] == 0
    assert (AdministrativeUnit.objects.count(), UnitSuccession.objects.count()) == before
    row.refresh_from_db()
    assert row.kind == "partial"


def test_reader_cross_checks_the_markdown_list_against_the_mapping():
    data = read_dataset(settings.TINHSO_ADMIN_UNITS_DIR)
    assert not any("chỉ có trong" in w for w in data.warnings)
    assert sum(1 for u in data.units if u.current and u.level == "commune") == 3321


def test_missing_or_broken_data_files_give_a_clear_message(tmp_path):
    with pytest.raises(InvalidInput) as info:
        read_dataset(tmp_path)
    assert "Thiếu tệp dữ liệu" in info.value.message
    for name in ("915_CTK-CSCL.csv", "1027_CTK-CSCL.md"):
        (tmp_path / name).write_text((settings.TINHSO_ADMIN_UNITS_DIR / name).read_text(encoding="utf-8"))
    (tmp_path / "merges.json").write_text("{not json")
    (tmp_path / "splits.json").write_text(json.dumps({"data": []}))
    with pytest.raises(InvalidInput) as info:
        read_dataset(tmp_path)
    assert "không đúng định dạng" in info.value.message
