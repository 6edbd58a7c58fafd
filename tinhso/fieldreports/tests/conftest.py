"""A small province for field-report tests: Cần Thơ with two real communes,
the operations centre, the communes' committees with a handler and a leader
each, a department, and categories with routes and deadlines."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.testing import make_agency, make_staff, make_unit


def jpeg(size=(80, 60), exif_gps: bool = False, name: str = "anh.jpg") -> SimpleUploadedFile:
    from PIL import Image

    image = Image.new("RGB", size, (200, 80, 40))
    out = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x0110] = "PhoneModel X"  # Model
        exif[0x8825] = {1: "N", 2: (10.0, 2.0, 3.0), 3: "E", 4: (105.0, 47.0, 1.0)}  # GPS IFD
        image.save(out, "JPEG", exif=exif)
    else:
        image.save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def world(db):
    from tinhso.fieldreports.models import CategoryRoute, ReportCategory, StageDeadline

    province = make_unit("92", "Thành phố Cần Thơ", level="province")
    vithanh = make_unit("31321", "Phường Vị Thanh", parent=province)
    ninhkieu = make_unit("31135", "Phường Ninh Kiều", parent=province)
    top = make_agency("000.00.00.H13", "Ủy ban nhân dân thành phố Cần Thơ", unit=province,
                      kind="provincial_committee")
    science = make_agency("000.00.18.H13", "Sở Khoa học và Công nghệ", parent=top)
    centre_agency = make_agency("000.01.18.H13", "Trung tâm Giám sát, điều hành đô thị thông minh", parent=science,
                                kind="other")
    construction = make_agency("000.00.11.H13", "Sở Xây dựng", parent=top)
    vt = make_agency("000.31321.H13", "Ủy ban nhân dân Phường Vị Thanh", parent=top, unit=vithanh,
                     kind="commune_committee")
    nk = make_agency("000.31135.H13", "Ủy ban nhân dân Phường Ninh Kiều", parent=top, unit=ninhkieu,
                     kind="commune_committee")
    centre = make_staff("dieuhanh", roles=[("operations_centre", centre_agency)], full_name="Bùi Văn Tài")
    vt_handler = make_staff("chuyenvien.vithanh", roles=[("specialist", vt)], full_name="Thạch Văn Sang")
    vt_leader = make_staff("lanhdao.vithanh", roles=[("leader", vt)], full_name="Lãnh đạo Vị Thanh")
    nk_handler = make_staff("chuyenvien.ninhkieu", roles=[("specialist", nk)], full_name="Châu Văn Phúc")
    top_leader = make_staff("lanhdao.tinh", roles=[("leader", top)], full_name="Lãnh đạo thành phố")
    sxd_handler = make_staff("chuyenvien.sxd", roles=[("specialist", construction)], full_name="Lê Hoàng Nam")

    def category(code, name, group, *, routes=(), handle=(3, "working_days"), evidence=True, public=True):
        row = ReportCategory.objects.create(code=code, name=name, group=group, keywords="", is_public=public,
                                            requires_evidence=evidence)
        StageDeadline.objects.create(category=row, stage="confirm", amount=8, unit="working_hours")
        StageDeadline.objects.create(category=row, stage="handle", amount=handle[0], unit=handle[1])
        StageDeadline.objects.create(category=row, stage="answer", amount=4, unit="working_hours")
        for unit, agency in routes:
            CategoryRoute.objects.create(category=row, unit=unit, agency=agency)
        return row

    pothole = category("GT01", "Đường hư hỏng, ổ gà", "Giao thông", routes=[(vithanh, vt), (ninhkieu, nk)])
    signs = category("GT03", "Biển báo giao thông", "Giao thông", routes=[(None, construction)])
    garbage = category("MT01", "Rác thải", "Môi trường", routes=[(vithanh, vt)])
    other = category("KH01", "Vấn đề khác", "Khác", evidence=False)
    return SimpleNamespace(**locals())


@pytest.fixture
def citizen(db):
    from tinhso.accounts.models import User

    return User.objects.create(username="cccd-092085001234", id_number="092085001234", is_citizen=True,
                               full_name="Nguyễn Văn An", phone="0901234567", email="an@example.com")


VT_POINT = (9.7842, 105.4701)
NK_POINT = (10.0340, 105.7880)


@pytest.fixture
def submit(world, citizen):
    """Send a report as the citizen (defaults: a pothole in Vị Thanh with one photo)."""
    from tinhso.fieldreports import actions

    def go(**kwargs):
        data = dict(acting_user=citizen, category_code="GT01", description="Ổ gà lớn giữa đường Trần Hưng Đạo.",
                    unit_id=world.vithanh.pk, lat=VT_POINT[0], lng=VT_POINT[1], address="Đường Trần Hưng Đạo",
                    files=[jpeg()])
        data.update(kwargs)
        return actions.submit_report(**data)
    return go
