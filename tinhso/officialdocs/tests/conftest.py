from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.testing import make_agency, make_staff, make_unit


def pdf(text: str = "CONG VAN") -> SimpleUploadedFile:
    from tinhso.signatures.tests.conftest import make_pdf

    return SimpleUploadedFile("du-thao.pdf", make_pdf(text), content_type="application/pdf")


@pytest.fixture
def offices(db):
    province = make_unit("92", "Thành phố Cần Thơ", level="province")
    ninhkieu = make_unit("31135", "Phường Ninh Kiều", parent=province)
    top = make_agency("000.00.00.H13", "Ủy ban nhân dân thành phố Cần Thơ", unit=province,
                      kind="provincial_committee", short_name="UBND TP")
    sxd = make_agency("000.00.11.H13", "Sở Xây dựng", parent=top, short_name="SXD")
    qlxd = make_agency("000.01.11.H13", "Phòng Quản lý xây dựng", parent=sxd, kind="division", short_name="P.QLXD")
    vp = make_agency("000.02.11.H13", "Văn phòng Sở Xây dựng", parent=sxd, kind="office", short_name="VP SXD")
    commune = make_agency("000.31135.H13", "Ủy ban nhân dân Phường Ninh Kiều", parent=top, unit=ninhkieu,
                          kind="commune_committee", short_name="UBND Ninh Kiều")
    specialist = make_staff("chuyenvien.sxd", roles=[("specialist", qlxd)], full_name="Lê Hoàng Nam")
    head = make_staff("truongphong.sxd", roles=[("head_of_division", sxd)], full_name="Phạm Thị Lan")
    leader = make_staff("lanhdao.sxd", roles=[("leader", sxd)], full_name="Võ Quốc Dũng")
    clerk = make_staff("vanthu.sxd", roles=[("clerical_office", vp)], full_name="Huỳnh Thị Mai")
    c_clerk = make_staff("vanthu.ninhkieu", roles=[("clerical_office", commune)], full_name="Văn thư Ninh Kiều")
    c_leader = make_staff("lanhdao.ninhkieu", roles=[("leader", commune)], full_name="Tạ Minh Tuấn")
    c_handler = make_staff("chuyenvien.ninhkieu", roles=[("specialist", commune)], full_name="Châu Văn Phúc")
    return SimpleNamespace(**locals())
