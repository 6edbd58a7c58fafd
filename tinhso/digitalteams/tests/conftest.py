from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.testing import make_agency, make_staff, make_unit, xlsx_upload


@pytest.fixture
def communes(db):
    province = make_unit("92", "Thành phố Cần Thơ", level="province")
    ninhkieu_unit = make_unit("31135", "Phường Ninh Kiều", parent=province)
    vithanh_unit = make_unit("31465", "Xã Vị Thanh 1", parent=province)
    top = make_agency("000.00.00.H13", "Ủy ban nhân dân thành phố Cần Thơ", unit=province,
                      kind="provincial_committee", short_name="UBND TP")
    ninhkieu = make_agency("000.31135.H13", "Ủy ban nhân dân Phường Ninh Kiều", parent=top, unit=ninhkieu_unit,
                           kind="commune_committee", short_name="UBND Ninh Kiều")
    centre = make_agency("001.31135.H13", "Trung tâm Phục vụ hành chính công Phường Ninh Kiều", parent=ninhkieu,
                         unit=ninhkieu_unit, kind="commune_service_centre")
    vithanh = make_agency("000.31465.H13", "Ủy ban nhân dân Xã Vị Thanh 1", parent=top, unit=vithanh_unit,
                          kind="commune_committee", short_name="UBND Vị Thanh 1")
    nk_clerk = make_staff("motcua.ninhkieu", roles=[("clerk", centre)], full_name="Lý Thị Ngọc")
    nk_staff = make_staff("vanhoa.ninhkieu", roles=[("specialist", ninhkieu)], full_name="Công chức văn hóa")
    vt_staff = make_staff("vanhoa.vithanh1", roles=[("specialist", vithanh)], full_name="Thạch Thị Sa")
    city_leader = make_staff("lanhdao.tp", roles=[("leader", top)], full_name="Lãnh đạo thành phố")
    admin = make_staff("admin.tp", roles=[("system_admin", top)], full_name="Quản trị", two_factor=False)
    return SimpleNamespace(**locals())


def xlsx(rows, header=("Xã, phường", "Tên tổ", "Ấp, khu vực, tổ dân phố", "Họ và tên", "Vai trò", "Điện thoại",
                       "Thư điện tử")) -> SimpleUploadedFile:
    return xlsx_upload(header, rows, "to-cong-nghe-so.xlsx")
