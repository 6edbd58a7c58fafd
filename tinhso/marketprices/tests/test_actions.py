import pytest

from tinhso.audit.models import AuditEvent
from tinhso.core.errors import InvalidInput, PermissionDenied
from tinhso.marketprices import actions, importer, queries
from tinhso.marketprices.models import PriceEntry

from .conftest import days_ago, xlsx

pytestmark = pytest.mark.django_db


def test_the_agency_enters_prices_and_an_outsider_is_refused(specialist, outsider, market, rice):
    entry = actions.set_price(acting_user=specialist, market_id=market.pk, good_id=rice.pk, day=days_ago(0),
                              price="28.000")
    assert entry.price == 28000 and AuditEvent.objects.filter(action="marketprices.price.set").count() == 1
    again = actions.set_price(acting_user=specialist, market_id=market.pk, good_id=rice.pk, day=days_ago(0),
                              price=28500, note="Hàng mới")
    assert again.pk == entry.pk and PriceEntry.objects.get().price == 28500
    with pytest.raises(PermissionDenied):
        actions.set_price(acting_user=outsider, market_id=market.pk, good_id=rice.pk, day=days_ago(0), price=1)
    assert PriceEntry.objects.get().price == 28500


@pytest.mark.parametrize("price, day, field", [
    ("mười nghìn", None, "price"), ("0", None, "price"), ("12.5", None, "price"), (-5, None, "price"),
    ("10000", "31/02/2026", "day"), ("10000", "2999-01-01", "day"),
])
def test_bad_prices_and_days_are_refused_in_vietnamese(specialist, market, rice, price, day, field):
    with pytest.raises(InvalidInput) as exc:
        actions.set_price(acting_user=specialist, market_id=market.pk, good_id=rice.pk, day=day or days_ago(0),
                          price=price)
    assert exc.value.errors[0]["field"] == field and not PriceEntry.objects.exists()


def test_a_file_with_bad_rows_imports_nothing_and_lists_each_row(specialist, market, rice, pig):
    upload = xlsx([
        (days_ago(1).strftime("%d/%m/%Y"), "Chợ Cái Răng", "Gạo ST25", 28000, ""),
        (days_ago(1).strftime("%d/%m/%Y"), "Chợ Không Có", "Gạo ST25", 28000, ""),
        (days_ago(1).strftime("%d/%m/%Y"), "cho cai rang", "heo hoi", "abc", ""),
        ("hôm qua", "Chợ Cái Răng", "Heo hơi", 62000, ""),
        (days_ago(1).strftime("%d/%m/%Y"), "Chợ Cái Răng", "GẠO ST25", 28100, ""),
    ])
    with pytest.raises(importer.ImportRefused) as exc:
        importer.import_prices(acting_user=specialist, upload=upload)
    assert [r["row"] for r in exc.value.rows] == [3, 4, 5, 6]
    assert "Chợ Không Có" in exc.value.rows[0]["message"] and "Trùng với dòng 2" in exc.value.rows[3]["message"]
    assert not PriceEntry.objects.exists() and not AuditEvent.objects.filter(action="marketprices.imported").exists()


def test_importing_the_same_day_again_updates_and_never_duplicates(specialist, outsider, market, rice, pig):
    rows = [(days_ago(1), "Chợ Cái Răng", "Gạo ST25", 28000, ""), (days_ago(1), "Chợ Cái Răng", "Heo hơi", 62000, "")]
    first = importer.import_prices(acting_user=specialist, upload=xlsx(rows))
    assert (first.created, first.updated) == (2, 0)
    rows[1] = (days_ago(1), "Chợ Cái Răng", "Heo hơi", 61000, "Giảm nhẹ")
    second = importer.import_prices(acting_user=specialist, upload=xlsx(rows))
    assert (second.created, second.updated) == (0, 2) and PriceEntry.objects.count() == 2
    assert PriceEntry.objects.get(good=pig).price == 61000
    with pytest.raises(importer.ImportRefused) as exc:
        importer.import_prices(acting_user=outsider, upload=xlsx(rows))
    assert "không có quyền" in exc.value.rows[0]["message"]
    with pytest.raises(InvalidInput):
        importer.import_prices(acting_user=specialist, upload=xlsx(rows, header=("A", "B")))
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(InvalidInput):
        importer.import_prices(acting_user=specialist, upload=SimpleUploadedFile("gia.xlsx", b"%PDF-1.4 not excel"))


def test_the_board_shows_the_change_against_the_previous_entry_and_the_trend(specialist, market, rice, pig):
    for n, price in ((3, 27000), (1, 28000)):
        actions.set_price(acting_user=specialist, market_id=market.pk, good_id=rice.pk, day=days_ago(n), price=price)
    actions.set_price(acting_user=specialist, market_id=market.pk, good_id=pig.pk, day=days_ago(2), price=63000)
    actions.set_price(acting_user=specialist, market_id=market.pk, good_id=pig.pk, day=days_ago(1), price=61000)
    board = queries.board(market)
    assert board["day"] == days_ago(1)
    rows = {r["good"].name: r for r in board["rows"]}
    assert (rows["Gạo ST25"]["direction"], rows["Gạo ST25"]["change"]) == ("up", 1000)
    assert (rows["Heo hơi"]["direction"], rows["Heo hơi"]["change"]) == ("down", -2000)
    assert [p["price"] for p in queries.trend(rice, market, 30)] == [27000, 28000]
    chart = queries.line_chart(queries.trend(rice, market, 30))
    assert len(chart["marks"]) == 2 and chart["marks"][0]["y"] > chart["marks"][1]["y"]
