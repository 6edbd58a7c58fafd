"""A farmer checks today's prices on a phone: the table fits 360 px, a rise
is marked, the trend chart draws."""

import pytest

from tinhso.marketprices import actions

from .conftest import days_ago

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_public_prices_read_well_at_360px(chromium, live_server, specialist, market, rice, pig):
    for n, price in ((5, 26500), (3, 27000), (0, 28000)):
        actions.set_price(acting_user=specialist, market_id=market.pk, good_id=rice.pk, day=days_ago(n), price=price)
    actions.set_price(acting_user=specialist, market_id=market.pk, good_id=pig.pk, day=days_ago(0), price=62000)
    phone = chromium.new_context(locale="vi-VN", viewport={"width": 360, "height": 780}, is_mobile=True,
                                 has_touch=True)
    page = phone.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/gia-ca/")
    page.get_by_role("heading", name="Giá cả thị trường").wait_for()
    row = page.get_by_role("row").filter(has_text="Gạo ST25")
    assert "28.000" in row.inner_text() and "▲ 1.000" in row.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("link", name="Gạo ST25").click()
    page.get_by_role("heading", name="Diễn biến giá: Gạo ST25").wait_for()
    assert page.locator("svg.price-chart circle").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    phone.close()
