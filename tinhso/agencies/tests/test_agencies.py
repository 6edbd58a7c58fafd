import pytest

from tinhso.agencies import actions
from tinhso.agencies.models import Agency
from tinhso.audit.models import AuditEvent
from tinhso.core.errors import Conflict, InvalidInput, PermissionDenied
from tinhso.testing import make_agency, make_staff


@pytest.fixture
def tree(province):
    root = make_agency("000.00.00.H13", "UBND thành phố Cần Thơ", unit=province, kind="provincial_committee")
    dept = make_agency("000.00.11.H13", "Sở Xây dựng", parent=root)
    div = make_agency("000.01.11.H13", "Phòng Quản lý xây dựng", parent=dept, kind="division")
    return root, dept, div


@pytest.mark.django_db
def test_materialised_path_follows_a_move(tree, admin_user):
    root, dept, div = tree
    assert div.path == f"/{root.pk}/{dept.pk}/{div.pk}/" and div.depth == 2
    other = make_agency("000.00.10.H13", "Sở Tư pháp", parent=root)
    actions.update_agency(acting_user=admin_user, agency=dept, parent=other)
    div.refresh_from_db()
    assert div.path == f"/{root.pk}/{other.pk}/{dept.pk}/{div.pk}/" and div.depth == 3
    assert list(other.subtree().order_by("depth")) == [other, Agency.objects.get(pk=dept.pk), div]


@pytest.mark.django_db
def test_an_agency_cannot_be_moved_under_itself(tree, admin_user):
    root, dept, div = tree
    with pytest.raises(InvalidInput):
        actions.update_agency(acting_user=admin_user, agency=dept, parent=div)


@pytest.mark.django_db
def test_duplicate_identifier_code_is_a_conflict(tree, admin_user, province):
    with pytest.raises(Conflict):
        actions.create_agency(acting_user=admin_user, code="000.00.11.H13", name="Trùng", kind="department",
                              unit=province)


@pytest.mark.django_db
def test_only_admins_edit_agencies_and_edits_are_audited(tree, admin_user):
    root, dept, div = tree
    clerk = make_staff("clerk", roles=[("clerk", div)])
    with pytest.raises(PermissionDenied):
        actions.update_agency(acting_user=clerk, agency=div, name="Khác")
    actions.update_agency(acting_user=admin_user, agency=div, name="Phòng Quản lý xây dựng và hạ tầng")
    event = AuditEvent.objects.get(action="agencies.agency.updated")
    assert event.changes == {"name": ["Phòng Quản lý xây dựng", "Phòng Quản lý xây dựng và hạ tầng"]}


@pytest.mark.django_db
def test_agencies_api_filters_by_subtree_and_name(client, tree):
    body = client.get("/api/v1/agencies", {"under": "000.00.11.H13"}).json()
    assert [a["code"] for a in body] == ["000.00.11.H13", "000.01.11.H13"]
    body = client.get("/api/v1/agencies", {"q": "so xay dung"}).json()
    assert [a["code"] for a in body] == ["000.00.11.H13"]


@pytest.mark.django_db
def test_agency_form_reports_bad_unit_code_and_duplicate_code(client, tree, admin_user):
    client.force_login(admin_user)
    data = {"code": "000.00.11.H13", "name": "Sở mới", "kind": "department", "unit_code": "00000", "is_active": "on"}
    html = client.post("/agencies/new/", data).content.decode()
    assert "Không có đơn vị hành chính hiện hành mang mã này." in html
    data["unit_code"] = "92"
    html = client.post("/agencies/new/", data).content.decode()
    assert "Mã định danh đã tồn tại." in html
    assert Agency.objects.filter(name="Sở mới").count() == 0
    data["code"] = "000.00.19.H13"
    assert client.post("/agencies/new/", data).status_code == 302
    assert Agency.objects.get(code="000.00.19.H13").unit.code == "92"
