"""A province leader reads the service index on a 360 px phone: groups chart, tables, the monthly trend and the
comparison with the published score fit the screen; an indicator opens its drill-down list."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tinhso.serviceindex import actions
from tinhso.serviceindex.models import Indicator, IndicatorGroup, Methodology
from tinhso.serviceindex.seed import install
from tinhso.testing import make_agency, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_service_index_on_a_phone(chromium, live_server):
    install(Methodology, IndicatorGroup, Indicator)  # a transactional test starts from an emptied database
    top = make_agency("000.00.00.H13", "Ủy ban nhân dân thành phố Cần Thơ", kind="provincial_committee")
    make_staff("lanhdao.tinh", roles=[("leader", top)], full_name="Chủ tịch UBND")
    first = timezone.localdate().replace(day=1)
    months = []
    for _ in range(3):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        months.append(first)
    for month in months:
        actions.take_snapshot(acting_user=None, agency=None, month=month)
    actions.enter_published_score(acting_user=None, agency=None, month=months[0], points="71.5",
                                  group_points={"1": "15", "2": "18", "3": "14.5", "4": "10", "5": "14"},
                                  basis="dichvucong.gov.vn")
    phone = chromium.new_context(locale="vi-VN", viewport={"width": 360, "height": 780}, is_mobile=True,
                                 has_touch=True)
    page = phone.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(f"{live_server.url}/accounts/login/?next=/chi-so-766/")
        page.get_by_label("Tên đăng nhập").fill("lanhdao.tinh")
        page.get_by_label("Mật khẩu").fill("Matkhau-2026!")
        page.get_by_role("button", name="Đăng nhập").click()
        page.get_by_role("heading", name="Bộ chỉ số phục vụ người dân, doanh nghiệp (QĐ 766)").wait_for()
        assert page.locator("#group-chart").is_visible() and page.locator("#trend-chart").is_visible()
        assert "71,50" in page.locator("#cmp-title + h3").inner_text() or "71.50" in page.locator(
            "#cmp-title + h3").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.locator("#ind-21").get_by_role("link", name="Vì sao mất điểm").click()
        page.get_by_role("heading", name="2.1 Hồ sơ giải quyết đúng hạn").wait_for()
        assert page.locator("#drill-count").inner_text() == "0"
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        phone.close()
