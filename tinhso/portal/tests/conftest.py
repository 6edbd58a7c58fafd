import datetime

import pytest

from tinhso.accounts.models import User
from tinhso.catalogue.eform_actions import save_form_fields
from tinhso.dossiers.tests.conftest import world  # noqa: F401 - reused fixture


@pytest.fixture
def citizen(db):
    return User.objects.create_user(
        username="cd-092095001234", full_name="Nguyễn Thị Mai", is_citizen=True, id_number="092095001234",
        birth_date=datetime.date(1995, 4, 12), address="Khu vực 2, phường Vị Thanh", phone="0912345678",
        email="mai@example.vn")


@pytest.fixture
def eform(world):
    save_form_fields(acting_user=world.admin, case=world.case, rows=[
        {"label": "Họ tên bên nam", "key": "ho_ten_nam", "kind": "text", "required": True},
        {"label": "Số định danh bên nam", "key": "cccd_nam", "kind": "id_number", "required": True},
        {"label": "Ngày dự kiến tổ chức", "key": "ngay", "kind": "date", "required": False},
        {"label": "Họ tên bên nữ", "key": "ho_ten_nu", "kind": "text", "required": True, "prefill": "full_name"},
    ])
    return world
