"""Odd input to the citizen app's content API (unicode digits, huge numbers,
NUL bytes, bad dates) answers 4xx with the JSON error format (or an empty
result), never 500, on SQLite and PostgreSQL."""

import pytest

pytestmark = pytest.mark.django_db

URLS = [
    "/api/v1/schedules?agency=²", "/api/v1/schedules?agency=99999999999999999999999", "/api/v1/schedules?agency=%00",
    "/api/v1/schedules?agency=1&week=2026-W99", "/api/v1/schedules/today?agency=x%00",
    "/api/v1/market-prices?market=99999999999999999999999", "/api/v1/market-prices?day=2026-02-30",
    "/api/v1/market-prices/trend?good=-1", "/api/v1/market-prices/trend?good=1&days=100000",
    "/api/v1/news?page=99999999999999", "/api/v1/news/99999999999999999999999", "/api/v1/news?category=%00",
    "/api/v1/questions?page=0", "/api/v1/questions/99999999999999999999999", "/api/v1/questions?agency=%00",
]


@pytest.mark.parametrize("url", URLS)
def test_odd_input_is_a_clear_4xx(client, url):
    response = client.get(url)
    assert response.status_code < 500, (url, response.status_code, response.content[:300])
    assert response.status_code == 200 or response.json()["message"]


def test_odd_ids_in_forms_are_clear_messages(province):
    from tinhso.core.errors import InvalidInput
    from tinhso.marketprices import actions as prices
    from tinhso.news import actions as news
    from tinhso.schedules import actions as schedules

    for call in (lambda: schedules.save_entry(acting_user=None, agency_id="١٢", start="2026-01-05T08:00",
                                              content="x", leaders="y"),
                 lambda: prices.set_price(acting_user=None, market_id="9" * 30, good_id=1, day="2026-01-05",
                                          price=1),
                 lambda: news.save_article(acting_user=None, agency_id="²", title="x", body="y")):
        with pytest.raises(InvalidInput):
            call()
