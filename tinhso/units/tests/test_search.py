import pytest

from tinhso.units.services import describe_now_part_of, search_units


@pytest.mark.django_db
def test_search_without_diacritics_finds_the_unit_first():
    results = search_units("Vi Thanh")
    assert (results[0].code, results[0].name, results[0].valid_to) == ("31321", "Phường Vị Thanh", None)


@pytest.mark.django_db
def test_an_old_province_says_it_is_now_part_of_can_tho():
    results = search_units("Hau Giang")
    assert [(u.code, u.name) for u in results] == [("93", "Tỉnh Hậu Giang")]
    assert describe_now_part_of(results[0]) == "Nay thuộc Thành phố Cần Thơ"


@pytest.mark.django_db
def test_words_match_at_word_starts_only():
    names = [u.name for u in search_units("Hau Giang", limit=50)]
    assert "Phường Châu Giang" not in names


@pytest.mark.django_db
def test_an_old_commune_is_found_and_points_to_its_new_commune():
    results = search_units("Phuong III", current=False, province=None, limit=100)
    old = next(u for u in results if u.parent and u.parent.code == "93")
    assert "Phường Vị Thanh" in describe_now_part_of(old)


@pytest.mark.django_db
def test_filters_by_level_and_current():
    assert all(u.level == "province" for u in search_units("Can Tho", level="province"))
    assert all(u.valid_to is None for u in search_units("Soc Trang", current=True))
    assert search_units("   ") == []
