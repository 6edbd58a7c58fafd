"""Sending a report: every bad input gets a clear Vietnamese message and
nothing is half-saved; photos are checked by content and their public copy
carries no EXIF; a retried submission makes no second report; a reporter
without e-ID confirms a phone number with a one-time code."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.core.errors import InvalidInput, PermissionDenied, TooManyAttempts
from tinhso.fieldreports import actions
from tinhso.fieldreports.models import FieldReport, ReportMedia
from tinhso.fieldreports.tests.conftest import VT_POINT, jpeg

pytestmark = pytest.mark.django_db


def fields_of(exc) -> set[str]:
    return {e["field"] for e in exc.value.errors}


@pytest.mark.parametrize("change, field", [
    ({"category_code": ""}, "category"),
    ({"category_code": "KHONG-CO"}, "category"),
    ({"lat": None, "lng": None, "address": ""}, "location"),
    ({"lat": 21.0285, "lng": 105.8542}, "location"),                # Hà Nội: outside the province
    ({"lat": "abc", "lng": "1"}, "location"),
    ({"unit_id": None}, "unit"),
    ({"description": ""}, "description"),
    ({"description": "a" * 4001}, "description"),
    ({"description": "Ổ gà <script>alert(1)</script>"}, "description"),
    ({"files": [SimpleUploadedFile("virus.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")]}, "photos"),
    ({"files": [jpeg() for _ in range(6)]}, "photos"),
])
def test_bad_input_is_refused_with_the_field_and_nothing_saved(submit, change, field):
    with pytest.raises(InvalidInput) as caught:
        submit(**change)
    assert field in fields_of(caught)
    assert all(e["message"] and not e["message"].isascii() for e in caught.value.errors)  # a Vietnamese message
    assert FieldReport.objects.count() == 0 and ReportMedia.objects.count() == 0


def test_a_commune_of_another_province_is_refused(submit):
    from tinhso.units.models import AdministrativeUnit

    hanoi_commune = AdministrativeUnit.objects.filter(level="commune", valid_to__isnull=True,
                                                      parent__code="01").first()
    with pytest.raises(InvalidInput) as caught:
        submit(unit_id=hanoi_commune.pk)
    assert "unit" in fields_of(caught)


def test_a_50_mb_photo_is_refused_before_it_is_read_whole(submit, settings):
    class Big:
        name, size = "lon.jpg", 50 * 1024 * 1024

        def read(self, n=-1):
            raise AssertionError("a file announced as 50 MB must not be read")
    with pytest.raises(InvalidInput) as caught:
        submit(files=[Big()])
    assert "quá lớn" in caught.value.errors[0]["message"]


def test_the_public_copy_of_a_photo_has_no_exif(submit):
    from PIL import Image

    original = jpeg(exif_gps=True)
    data = original.read()
    original.seek(0)
    assert Image.open(io.BytesIO(data)).getexif().get(0x8825), "the test photo must carry GPS data"
    report = submit(files=[original])
    media = report.media.get()
    with media.public_file.open("rb") as handle:
        public = Image.open(io.BytesIO(handle.read()))
        assert dict(public.getexif()) == {} and "exif" not in public.info
    with media.file.open("rb") as handle:
        assert Image.open(io.BytesIO(handle.read())).getexif().get(0x010F) == "PhoneMaker"  # staff keep the original


def test_a_retried_submission_returns_the_first_report(submit):
    first = submit(submit_key="web:abc")
    again = submit(submit_key="web:abc", files=[jpeg()])
    assert again.pk == first.pk and FieldReport.objects.count() == 1 and ReportMedia.objects.count() == 1


def test_anonymous_reporter_needs_a_confirmed_phone(world, settings, django_capture_on_commit_callbacks):
    from tinhso.notifications.models import OutgoingMessage

    common = dict(acting_user=None, category_code="GT01", description="Rác", unit_id=world.vithanh.pk,
                  lat=VT_POINT[0], lng=VT_POINT[1])
    with pytest.raises(PermissionDenied):
        actions.submit_report(**common)
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_phone_code(phone="0912 345 678")
    message = OutgoingMessage.objects.get(event="phone_code", recipient="0912345678")
    code = message.body.split(": ")[1].split(" ")[0]
    assert len(code) == 6 and code.isdigit()
    with pytest.raises(TooManyAttempts):
        actions.send_phone_code(phone="0912345678")  # again within a minute
    with pytest.raises(InvalidInput):
        actions.confirm_phone(phone="0912345678", code="000000" if code != "000000" else "111111")
    actions.confirm_phone(phone="0912345678", code=code)
    with pytest.raises(InvalidInput):
        actions.confirm_phone(phone="0912345678", code=code)  # a code works once
    report = actions.submit_report(**common, phone_confirmed=True, reporter_phone="0912345678")
    assert report.reporter is None and report.reporter_phone == "0912345678"


def test_five_wrong_codes_kill_the_code(world):
    from tinhso.fieldreports.models import PhoneConfirmation

    actions.send_phone_code(phone="0987654321")
    for _ in range(5):
        with pytest.raises(InvalidInput):
            actions.confirm_phone(phone="0987654321", code="999999x")
    assert PhoneConfirmation.objects.get(phone="0987654321").attempts == 5


def test_a_bad_phone_number_is_refused(world):
    with pytest.raises(InvalidInput):
        actions.send_phone_code(phone="12345")


def test_hotline_staff_take_a_report_only_from_the_centre(world):
    common = dict(category_code="GT01", description="Người dân gọi báo ổ gà", unit_id=world.vithanh.pk,
                  address="Đường 3 tháng 2", channel="phone", reporter_name="Ông Tư")
    with pytest.raises(PermissionDenied):
        actions.submit_report(acting_user=world.vt_handler, **common)
    report = actions.submit_report(acting_user=world.centre, **common)
    assert report.taken_by == world.centre and report.lat is None and report.channel == "phone"


def test_attributes_are_checked_against_the_category(world, submit):
    from tinhso.fieldreports.models import CategoryAttribute

    CategoryAttribute.objects.create(category=world.pothole, code="kich_thuoc", label="Kích thước",
                                     datatype="singlevaluelist", required=True,
                                     values=[{"key": "nho", "name": "Nhỏ"}, {"key": "lon", "name": "Lớn"}])
    with pytest.raises(InvalidInput) as caught:
        submit()
    assert "attribute[kich_thuoc]" in fields_of(caught)
    with pytest.raises(InvalidInput):
        submit(attributes={"kich_thuoc": "khong-co"})
    assert submit(attributes={"kich_thuoc": "lon"}).attributes == {"kich_thuoc": "lon"}


@pytest.mark.parametrize("given", ["nan", "inf", "-Infinity", "mười"])
def test_a_number_question_takes_only_a_real_number(world, submit, given):
    from tinhso.core.errors import InvalidInput
    from tinhso.fieldreports.models import CategoryAttribute

    CategoryAttribute.objects.create(category=world.pothole, code="width", label="Bề rộng ổ gà (m)",
                                     datatype="number", required=True)
    with pytest.raises(InvalidInput) as exc:
        submit(attributes={"width": given})
    assert {"field": "attribute[width]", "message": "Phải là số: Bề rộng ổ gà (m)."} in exc.value.errors
    assert submit(attributes={"width": "1.5"}).attributes == {"width": "1.5"}
