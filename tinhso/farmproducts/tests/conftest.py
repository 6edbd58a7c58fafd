import datetime
import io

import pytest

from tinhso.farmproducts import actions
from tinhso.testing import make_agency, make_staff, xlsx_upload
from tinhso.units.models import AdministrativeUnit


def unit(code):
    return AdministrativeUnit.objects.get(level="commune", code=code, valid_to__isnull=True)


@pytest.fixture
def snnmt(real_units):
    root = make_agency("000.00.00.H13", "Ủy ban nhân dân thành phố Cần Thơ", kind="provincial_committee")
    return make_agency("000.00.12.H13", "Sở Nông nghiệp và Môi trường", parent=root)


@pytest.fixture
def specialist(snnmt):
    return make_staff("chuyenvien.snnmt", roles=[("specialist", snnmt)])


@pytest.fixture
def outsider(snnmt):
    sxd = make_agency("000.00.11.H13", "Sở Xây dựng", parent=snnmt.parent)
    return make_staff("chuyenvien.sxd", roles=[("specialist", sxd)])


@pytest.fixture
def household(specialist, snnmt):
    return actions.register_producer(acting_user=specialist, name="Hộ Nguyễn Văn Tư", kind="household",
                                     unit_id=unit("31315").pk, agency_id=snnmt.pk, contact_phone="0912345678")


@pytest.fixture
def product(specialist, household):
    product = actions.save_product(acting_user=specialist, producer_id=household.pk, name="Dâu Hạ Châu",
                                   category="fruit", ocop_stars=4, ocop_certificate_no="2183/QĐ-UBND",
                                   ocop_certified_on="2024-11-20", ocop_expires_on="2027-11-20")
    actions.add_certification(acting_user=specialist, product_id=product.pk, scheme="vietgap", number="VG-0001")
    actions.add_shop_link(acting_user=specialist, product_id=product.pk, platform="Shopee",
                          url="https://shopee.vn/dauhachau")
    return product


@pytest.fixture
def area(specialist, snnmt, household):
    site = actions.register_growing_area(acting_user=specialist, code="VN-CTOR-0101", crop="Dâu", area_ha="18,5",
                                         unit_id=unit("31299").pk, agency_id=snnmt.pk, producer_id=household.pk,
                                         lat=10.0034, lng=105.6702)
    return actions.change_code_status(acting_user=specialist, kind="area", code=site.code, action="verify")


@pytest.fixture
def batch(specialist, product, area):
    today = datetime.date.today()
    return actions.create_batch(acting_user=specialist, product_id=product.pk, growing_area=area.code,
                                harvest_date=today - datetime.timedelta(days=2),
                                packing_date=today - datetime.timedelta(days=1), quantity="850")


def png_bytes():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def xlsx(header, *rows, name="nhap.xlsx"):
    """An uploaded .xlsx with this header row and rows, as a user sends it."""
    return xlsx_upload(header, rows, name)
