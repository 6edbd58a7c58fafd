import pytest

from tinhso.marketprices import actions

from .conftest import days_ago, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def prices(specialist, market, rice, pig):
    for n, price in ((3, 27000), (1, 28000)):
        actions.set_price(acting_user=specialist, market_id=market.pk, good_id=rice.pk, day=days_ago(n), price=price)
    actions.set_price(acting_user=specialist, market_id=market.pk, good_id=pig.pk, day=days_ago(1), price=62000)


def test_the_api_gives_the_latest_board_and_the_trend(prices, market, rice, client):
    boards = client.get(f"/api/v1/market-prices?market={market.pk}").json()
    assert boards[0]["day"] == days_ago(1).isoformat()
    by_name = {p["good"]["name"]: p for p in boards[0]["prices"]}
    assert by_name["Gạo ST25"]["price"] == 28000 and by_name["Gạo ST25"]["direction"] == "up"
    assert by_name["Heo hơi"]["direction"] is None
    old = client.get(f"/api/v1/market-prices?market={market.pk}&day={days_ago(2)}").json()
    assert old[0]["day"] == days_ago(3).isoformat()
    trend = client.get(f"/api/v1/market-prices/trend?good={rice.pk}&market={market.pk}&days=30").json()
    assert [p["price"] for p in trend["points"]] == [27000, 28000]
    assert client.get(f"/api/v1/market-prices/trend?good={rice.pk}&days=0").status_code == 422
    assert client.get("/api/v1/market-prices/trend?good=99999").status_code == 404
    assert client.get("/api/v1/market-prices?market=99999").status_code == 404
    assert client.get("/api/v1/market-prices?day=hom-nay").status_code == 422


def test_public_pages_show_prices_and_a_chart(prices, market, rice, client):
    page = client.get("/gia-ca/").content.decode()
    assert "Chợ Cái Răng" in page and "28.000" in page and "▲ 1.000" in page
    trend = client.get(f"/gia-ca/mat-hang/{rice.pk}/?cho={market.pk}").content.decode()
    assert "<polyline" in trend and "style=" not in trend
    assert client.get("/gia-ca/mat-hang/99999/").status_code == 404
    assert client.get("/gia-ca/?cho=abc&ngay=xyz").status_code == 200


def test_the_back_office_import_lists_bad_rows(specialist, market, rice, client):
    client.force_login(specialist)
    bad = xlsx([(days_ago(0), "Chợ Cái Răng", "Gạo ST25", "?", "")])
    response = client.post("/gia-ca/quan-ly/", {"which": "import", "import-file": bad})
    assert response.status_code == 422 and "Giá phải là số đồng" in response.content.decode()
    good = xlsx([(days_ago(0), "Chợ Cái Răng", "Gạo ST25", "28.000", "")])
    assert client.post("/gia-ca/quan-ly/", {"which": "import", "import-file": good}).status_code == 302
    assert client.get("/gia-ca/quan-ly/mau-nhap.xlsx").status_code == 200
