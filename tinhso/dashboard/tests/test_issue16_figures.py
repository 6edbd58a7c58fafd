"""Issue 16's "done means": the dashboard shows the counts of the six systems against the targets the seeds name.

A little data is made in each app through its own actions (a mailbox and a certificate issued through the
directory's approval flow, teams in two communes, products with e-commerce shops and a verified growing-area
code, a meeting a commune connected to), then the leaders' dashboard (`/dashboard/`), the programme's targets
page (`/dashboard/chuong-trinh/`) and its JSON (`/api/v1/dashboard/programme-targets`) must each show every
figure counted live with the seeded target beside it."""

from __future__ import annotations

import datetime
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from tinhso.testing import make_agency, make_staff, make_unit

pytestmark = pytest.mark.django_db

# key: (label on the dashboard (the app's figure), label on the programme page (the target's), value made below,
# unit, the seeded target). The seeds' "105 OCOP and 904 farm products on e-commerce platforms" is a target of
# 1,009 products (dashboard.0003) and its OCOP part, 105 (dashboard.0007). The meetings' share is a decimal: "50,0 %" on the dashboard, "50 %"
# on the programme page.
EXPECTED = {
    "email_accounts": ("Hộp thư công vụ đang hoạt động", "Hộp thư điện tử công vụ được cấp", "1", "tài khoản", "8000"),
    "certificates": ("Chứng thư số còn hiệu lực", "Chứng thư số được cấp", "1", "chứng thư", "5600"),
    "community_teams": ("Tổ công nghệ số cộng đồng", "Tổ công nghệ số cộng đồng", "3", "tổ", "1340"),
    "communes_with_teams": ("Xã, phường có tổ công nghệ số cộng đồng", "Xã, phường có tổ công nghệ số cộng đồng", "2",
                            "xã, phường", "235"),
    "products_on_ecommerce": ("Sản phẩm nông nghiệp trên sàn thương mại điện tử",
                              "Sản phẩm nông sản, OCOP trên sàn thương mại điện tử", "2", "sản phẩm", "1009"),
    "ocop_on_ecommerce": ("Sản phẩm OCOP trên sàn thương mại điện tử", "Sản phẩm OCOP trên sàn thương mại điện tử",
                          "1", "sản phẩm", "105"),
    "growing_area_codes": ("Mã số vùng trồng đang hiệu lực", "Mã số vùng trồng được cấp", "1", "mã", "261"),
    "meeting_communes": ("Xã, phường kết nối họp trực tuyến", "Xã, phường kết nối hội nghị trực tuyến", "50", "%",
                         "100"),
}
ON_DASHBOARD = {"meeting_communes": "50,0"}


class _Table(HTMLParser):
    """The text of each cell of each row of the table with the given id."""

    def __init__(self, table_id: str):
        super().__init__()
        self.table_id, self.depth, self.rows, self.cell = table_id, 0, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and (self.depth or dict(attrs).get("id") == self.table_id):
            self.depth += 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1
        elif self.depth and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def _rows(html: str, table_id: str) -> dict[str, list[str]]:
    parser = _Table(table_id)
    parser.feed(html)
    return {row[0]: row for row in parser.rows if row}


@pytest.fixture
def province(real_units):
    """The province's committee and two communes with their committees, the departments of the directory and
    of farm products, and the people who act in each app."""
    from types import SimpleNamespace

    city = make_unit("92", "Thành phố Cần Thơ", level="province")
    top = make_agency("000.00.00.H13", "Ủy ban nhân dân thành phố Cần Thơ", unit=city, kind="provincial_committee")
    ninhkieu = make_agency("000.31135.H13", "Ủy ban nhân dân Phường Ninh Kiều", parent=top, kind="commune_committee",
                           unit=make_unit("31135", "Phường Ninh Kiều", parent=city))
    caikhe = make_agency("000.31120.H13", "Ủy ban nhân dân Phường Cái Khế", parent=top, kind="commune_committee",
                         unit=make_unit("31120", "Phường Cái Khế", parent=city))
    sxd = make_agency("000.00.11.H13", "Sở Xây dựng", parent=top)
    snnmt = make_agency("000.00.12.H13", "Sở Nông nghiệp và Môi trường", parent=top)
    return SimpleNamespace(
        top=top, ninhkieu=ninhkieu, caikhe=caikhe, sxd=sxd, snnmt=snnmt,
        leader=make_staff("lanhdao.tp", roles=[("leader", top)], full_name="Lãnh đạo thành phố"),
        admin=make_staff("quantri", roles=[("system_admin", top)], full_name="Quản trị CNTT"),
        sxd_leader=make_staff("lanhdao.sxd", roles=[("leader", sxd)], full_name="Võ Quốc Dũng"),
        sxd_specialist=make_staff("chuyenvien.sxd", roles=[("specialist", sxd)], full_name="Lê Hoàng Nam"),
        sxd_other=make_staff("chuyenvien2.sxd", roles=[("specialist", sxd)], full_name="Trần Thị Thu"),
        farm=make_staff("chuyenvien.snnmt", roles=[("specialist", snnmt)], full_name="Chuyên viên SNNMT"),
        organiser=make_staff("vanphong.tp", roles=[("specialist", top)], full_name="Trần Thu Hà"),
        nk_staff=make_staff("vanhoa.ninhkieu", roles=[("specialist", ninhkieu)], full_name="Công chức Ninh Kiều"),
        ck_staff=make_staff("vanhoa.caikhe", roles=[("specialist", caikhe)], full_name="Công chức Cái Khế"),
    )


@pytest.fixture
def figures(province):
    """One of each counted thing, made through the apps' actions."""
    from tinhso.digitalteams import actions as teams
    from tinhso.directory import actions as directory
    from tinhso.directory.models import RequestKind
    from tinhso.farmproducts import actions as farm
    from tinhso.meetings import actions as meetings
    from tinhso.units.models import AdministrativeUnit

    p = province
    for person, kind, extra in [(p.sxd_specialist, RequestKind.MAILBOX, {"wanted_address": "lehoangnam@cantho.gov.vn"}),
                                (p.sxd_other, RequestKind.PERSONAL_CERTIFICATE, {})]:
        request = directory.submit_request(acting_user=person, kind=kind, **extra)
        directory.approve(request.pk, acting_user=p.sxd_leader)
        directory.start_processing(request.pk, acting_user=p.admin)
        directory.issue(request.pk, acting_user=p.admin)

    for staff, agency, names in [(p.nk_staff, p.ninhkieu, ["Tổ khu vực 1", "Tổ khu vực 2", "Tổ khu vực 3"]),
                                 (p.ck_staff, p.caikhe, ["Tổ khu vực 4"])]:
        for name in names:
            team = teams.create_team(acting_user=staff, agency=agency, name=name)
    teams.deactivate_team(acting_user=p.nk_staff, team_id=team.pk - 1, reason="Sáp nhập")  # not counted
    # 4 teams made, 1 disbanded: 3 counted, in 2 communes

    commune = AdministrativeUnit.objects.get(level="commune", code="31315", valid_to__isnull=True)
    producer = farm.register_producer(acting_user=p.farm, name="HTX Dâu Hạ Châu", kind="cooperative",
                                      unit_id=commune.pk, agency_id=p.snnmt.pk)
    ocop = farm.save_product(acting_user=p.farm, producer_id=producer.pk, name="Dâu Hạ Châu", category="fruit",
                             ocop_stars=4, ocop_certificate_no="2183/QĐ-UBND", ocop_certified_on="2024-11-20",
                             ocop_expires_on="2027-11-20")
    rice = farm.save_product(acting_user=p.farm, producer_id=producer.pk, name="Gạo ST25", category="rice")
    farm.save_product(acting_user=p.farm, producer_id=producer.pk, name="Bưởi Năm Roi", category="fruit")  # no shop
    for product, url in [(ocop, "https://shopee.vn/dauhachau"), (rice, "https://tiki.vn/gao-st25")]:
        farm.add_shop_link(acting_user=p.farm, product_id=product.pk, platform="Sàn TMĐT", url=url)
    area = farm.register_growing_area(acting_user=p.farm, code="VN-CTOR-0101", crop="Dâu", area_ha="18,5",
                                      unit_id=commune.pk, agency_id=p.snnmt.pk, producer_id=producer.pk)
    farm.change_code_status(acting_user=p.farm, kind="area", code=area.code, action="verify")
    farm.register_growing_area(acting_user=p.farm, code="VN-CTOR-0102", crop="Dâu", area_ha="3",
                               unit_id=commune.pk, agency_id=p.snnmt.pk)  # pending: not counted

    start = timezone.now() - datetime.timedelta(minutes=2)
    meeting = meetings.create_meeting(acting_user=p.organiser, host=p.top, title="Giao ban trực tuyến",
                                      start=start, end=start + datetime.timedelta(hours=2), all_communes=True)
    meetings.check_in(acting_user=p.nk_staff, participant_id=meeting.participants.get(agency=p.ninhkieu).pk,
                      attendance="connected")  # 1 of the 2 communes
    return p


def test_the_dashboard_and_the_programme_page_show_each_issue16_figure_against_its_target(figures, client):
    client.force_login(figures.leader)  # a leader of the provincial committee: the whole province

    html = client.get("/dashboard/").content.decode()
    rows = _rows(html, "programme")
    for key, (label, _target_label, value, unit, target) in EXPECTED.items():
        assert label in rows, f"{key} is not on the dashboard"
        _label, shown, goal, _share = rows[label]
        assert shown == f"{ON_DASHBOARD.get(key, value)} {unit}", key
        assert goal == f"{target} {unit}", key

    html = client.get("/dashboard/chuong-trinh/").content.decode()
    rows = _rows(html, "programme-targets")
    for key, (_figure_label, label, value, unit, target) in EXPECTED.items():
        row = next((r for first, r in rows.items() if first.startswith(label)), None)
        assert row is not None, f"{key} is not on the programme page"
        _label, shown, goal, _progress = row
        assert shown == f"{value} {unit} tự tính", key  # counted live by the app, not entered
        assert goal == f"{target} {unit}", key

    body = client.get("/api/v1/dashboard/programme-targets").json()
    api = {r["key"]: r for r in body["targets"]}
    for key, (_figure_label, _target_label, value, unit, target) in EXPECTED.items():
        assert api[key]["source"] == "live" and api[key]["unit"] == unit, key
        assert Decimal(api[key]["value"]) == Decimal(value) and Decimal(api[key]["target"]) == Decimal(target), key
        assert api[key]["met"] is False and api[key]["document"]["verified"] is False, key
    assert api["communes_with_teams"]["group"] == "society" and api["communes_with_teams"]["kind"] == "count"
    assert "Hải Dương" in api["communes_with_teams"]["document"]["issuer"]
