import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.news import actions
from tinhso.testing import make_agency, make_staff


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def ubnd(province):
    return make_agency("000.00.00.H13", "Ủy ban nhân dân thành phố Cần Thơ", kind="provincial_committee")


@pytest.fixture
def office(ubnd):
    return make_agency("000.00.01.H13", "Văn phòng Ủy ban nhân dân thành phố", parent=ubnd, kind="office")


@pytest.fixture
def editor(office):
    return make_staff("truyenthong", roles=[("clerical_office", office)])


@pytest.fixture
def outsider(ubnd):
    sxd = make_agency("000.00.11.H13", "Sở Xây dựng", parent=ubnd)
    return make_staff("chuyenvien.sxd", roles=[("specialist", sxd)])


@pytest.fixture
def category(db):
    return actions.ensure_category(acting_user=None, name="Chỉ đạo, điều hành", slug="chi-dao-dieu-hanh")


@pytest.fixture
def article(editor, office, category):
    from django.utils import timezone

    return actions.save_article(acting_user=editor, agency_id=office.pk, category_id=category.pk,
                                title="Cần Thơ triển khai ứng dụng công dân số", summary="Tóm tắt",
                                body="Đoạn một.\n\nĐoạn hai <script>alert(1)</script>.",
                                published_at=timezone.now())


def png(width=800, height=600):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(out, "PNG")
    return SimpleUploadedFile("anh.png", out.getvalue(), content_type="image/png")
