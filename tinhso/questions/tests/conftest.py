import pytest

from tinhso.accounts.models import User
from tinhso.questions import actions
from tinhso.testing import make_agency, make_staff


@pytest.fixture
def stp(province):
    root = make_agency("000.00.00.H13", "Ủy ban nhân dân thành phố Cần Thơ", kind="provincial_committee")
    return make_agency("000.00.10.H13", "Sở Tư pháp", parent=root)


@pytest.fixture
def specialist(stp):
    return make_staff("chuyenvien.stp", roles=[("specialist", stp)])


@pytest.fixture
def outsider(stp):
    sxd = make_agency("000.00.11.H13", "Sở Xây dựng", parent=stp.parent)
    return make_staff("chuyenvien.sxd", roles=[("specialist", sxd)])


@pytest.fixture
def citizen(db):
    return User.objects.create_user(username="cd-092085000011", full_name="Nguyễn Thị Hoa", is_citizen=True,
                                    id_number="092085000011", email="hoa@example.vn")


@pytest.fixture
def question(citizen, stp):
    return actions.ask_question(acting_user=citizen, agency_id=stp.pk, title="Trích lục khai sinh bản sao",
                                body="Tôi cần xin bản sao trích lục khai sinh ở đâu?")
