"""A citizen reads an agency's week on a phone: today highlighted, a changed
entry marked, a cancelled one struck, nothing wider than 360 px."""

import pytest

from tinhso.schedules import actions

from .conftest import at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_public_schedule_reads_well_at_360px(chromium, live_server, published, clerk_office, sxd):
    actions.save_entry(acting_user=clerk_office, agency_id=sxd.pk, entry_id=published.pk, start=at(0, 9),
                       end=at(0, 11), content=published.content, leaders=published.leaders, place="Hội trường B")
    extra = actions.save_entry(acting_user=clerk_office, agency_id=sxd.pk, start=at(0, 15), content="Tiếp công dân",
                               leaders="Đ/c Võ Quốc Dũng")
    actions.cancel_entry(acting_user=clerk_office, entry_id=extra.pk, reason="Hoãn")
    phone = chromium.new_context(locale="vi-VN", viewport={"width": 360, "height": 780}, is_mobile=True,
                                 has_touch=True)
    page = phone.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/lich-cong-tac/")
    page.get_by_role("link", name="Sở Xây dựng").click()
    page.get_by_role("heading", name="Lịch công tác: Sở Xây dựng").wait_for()
    today = page.locator("[aria-current=date]")
    assert "Họp giao ban Sở" in today.inner_text() and "Thay đổi" in today.inner_text()
    struck = page.locator(".is-cancelled .sched-text").first
    assert struck.evaluate("e => getComputedStyle(e).textDecorationLine") == "line-through"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("link", name="Tuần sau").click()
    page.get_by_text("chưa được công bố").wait_for()
    phone.close()
