"""An agency's issuing profile (abbreviation in the number and symbol, place
name): read as a default until the clerical office or a system administrator
saves one through `update_profile` (audited); the next document issued uses it."""

from __future__ import annotations

import pytest

from tinhso.audit.models import AuditEvent
from tinhso.core.errors import InvalidInput, PermissionDenied
from tinhso.officialdocs import actions
from tinhso.officialdocs.actions.profiles import profile
from tinhso.officialdocs.models import IssuingProfile
from tinhso.officialdocs.tests.test_workflow import issued
from tinhso.testing import make_staff

pytestmark = pytest.mark.django_db


def test_reading_the_default_writes_nothing(offices):
    o = offices
    assert (profile(o.sxd).abbreviation, profile(o.sxd).place, profile(o.sxd).pk) == ("SXD", "Cần Thơ", None)
    assert profile(o.commune).abbreviation == "UBND"
    assert not IssuingProfile.objects.exists() and not AuditEvent.objects.filter(
        action__startswith="officialdocs.profile").exists()


def test_the_clerical_office_saves_the_profile_and_the_next_document_uses_it(offices,
                                                                              django_capture_on_commit_callbacks):
    from tinhso.notifications.models import Notification

    o = offices
    other_clerk = make_staff("vanthu2.sxd", roles=[("clerical_office", o.vp)])
    with django_capture_on_commit_callbacks(execute=True):
        row = actions.update_profile(acting_user=o.clerk, agency=o.sxd, abbreviation=" sxdct ", place="Cần  Thơ")
    assert (row.abbreviation, row.place) == ("SXDCT", "Cần Thơ")
    created = AuditEvent.objects.get(action="officialdocs.profile.created")
    assert created.actor == o.clerk and created.changes["abbreviation"] == [None, "SXDCT"]
    assert Notification.objects.filter(recipient=other_clerk, url=f"/van-ban/thong-tin-ban-hanh/{o.sxd.pk}/").exists()
    assert not Notification.objects.filter(recipient=o.clerk).exists()
    actions.update_profile(acting_user=o.clerk, agency=o.sxd, abbreviation="SXD", place="Cần Thơ")
    assert AuditEvent.objects.get(action="officialdocs.profile.changed").changes == {
        "agency": o.sxd.code, "abbreviation": ["SXDCT", "SXD"]}
    actions.update_profile(acting_user=o.clerk, agency=o.sxd, abbreviation="SXD", place="Cần Thơ")  # no change
    assert AuditEvent.objects.filter(action__startswith="officialdocs.profile").count() == 2
    actions.update_profile(acting_user=o.clerk, agency=o.sxd, abbreviation="XD", place="Ninh Kiều")
    doc = issued(o, django_capture_on_commit_callbacks)
    assert doc.reference == "1/XD-QLXD" and doc.place == "Ninh Kiều"
    assert IssuingProfile.objects.count() == 1


def test_a_system_administrator_may_save_any_agency_profile(offices):
    o = offices
    admin = make_staff("quantri", roles=[("system_admin", o.commune)])
    row = actions.update_profile(acting_user=admin, agency=o.sxd, abbreviation="SXD", place="Cần Thơ")
    assert row.pk and AuditEvent.objects.get(action="officialdocs.profile.created").actor == admin
    with pytest.raises(InvalidInput):  # an office issues in its department's name
        actions.update_profile(acting_user=admin, agency=o.vp, abbreviation="VP", place="Cần Thơ")


@pytest.mark.parametrize("who", ["specialist", "head", "leader", "c_clerk"])
def test_others_may_not_save_a_profile(offices, who):
    o = offices
    with pytest.raises(PermissionDenied):
        actions.update_profile(acting_user=getattr(o, who), agency=o.sxd, abbreviation="SXD", place="Cần Thơ")
    assert not IssuingProfile.objects.exists() and not AuditEvent.objects.filter(
        action__startswith="officialdocs.profile").exists()


@pytest.mark.parametrize("abbreviation, place, field, message", [
    ("", "Cần Thơ", "abbreviation", "Nhập chữ viết tắt tên cơ quan."),
    ("   ", "Cần Thơ", "abbreviation", "Nhập chữ viết tắt tên cơ quan."),
    ("S" * 31, "Cần Thơ", "abbreviation", "Chữ viết tắt tên cơ quan tối đa 30 ký tự."),
    ("SXD-QLXD", "Cần Thơ", "abbreviation", "Chữ viết tắt chỉ gồm chữ cái in hoa không dấu"),
    ("SXD/1", "Cần Thơ", "abbreviation", "Chữ viết tắt chỉ gồm chữ cái in hoa không dấu"),
    ("S XD", "Cần Thơ", "abbreviation", "Chữ viết tắt chỉ gồm chữ cái in hoa không dấu"),
    ("SỞXD", "Cần Thơ", "abbreviation", "Chữ viết tắt chỉ gồm chữ cái in hoa không dấu"),
    ("SXD", "", "place", "Nhập địa danh."),
    ("SXD", "Cần Thơ" * 15, "place", "Địa danh tối đa 100 ký tự."),
    ("SXD", "Cần Thơ<b>", "place", "Địa danh chỉ gồm chữ cái"),
])
def test_bad_profiles_are_refused_in_vietnamese(offices, abbreviation, place, field, message):
    with pytest.raises(InvalidInput) as caught:
        actions.update_profile(acting_user=offices.clerk, agency=offices.sxd, abbreviation=abbreviation, place=place)
    assert caught.value.errors[0]["field"] == field and caught.value.errors[0]["message"].startswith(message)
    assert not IssuingProfile.objects.exists()


def test_bcd_with_d_stroke_is_a_good_abbreviation(offices):
    row = actions.update_profile(acting_user=offices.clerk, agency=offices.sxd, abbreviation="bcđ", place="Tp. Cần Thơ")
    assert (row.abbreviation, row.place) == ("BCĐ", "Tp. Cần Thơ")


def test_the_profiles_page_lists_and_saves_for_the_clerical_office_only(offices, client):
    o = offices
    client.force_login(o.clerk)
    assert "/van-ban/thong-tin-ban-hanh/" in client.get("/van-ban/").content.decode()
    listed = client.get("/van-ban/thong-tin-ban-hanh/").content.decode()
    assert "Sở Xây dựng" in listed and "SXD" in listed and "Mặc định" in listed
    assert "Ninh Kiều" not in listed  # another agency's clerical office
    url = f"/van-ban/thong-tin-ban-hanh/{o.sxd.pk}/"
    bad = client.post(url, {"abbreviation": "", "place": "Cần Thơ"})
    assert bad.status_code == 422 and "Nhập chữ viết tắt tên cơ quan." in bad.content.decode()
    assert client.post(url, {"abbreviation": "SXDCT", "place": "Cần Thơ"}).status_code == 302
    assert IssuingProfile.objects.get(agency=o.sxd).abbreviation == "SXDCT"
    assert "Đã lưu" in client.get("/van-ban/thong-tin-ban-hanh/").content.decode()
    client.force_login(o.specialist)
    assert "/van-ban/thong-tin-ban-hanh/" not in client.get("/van-ban/").content.decode()
    assert "Sở Xây dựng" not in client.get("/van-ban/thong-tin-ban-hanh/").content.decode()
    assert client.get(url).status_code == 404
    assert client.post(url, {"abbreviation": "X", "place": "Cần Thơ"}).status_code == 404
    assert IssuingProfile.objects.get(agency=o.sxd).abbreviation == "SXDCT"


def test_the_api_lists_and_saves_profiles(offices, client):
    o = offices
    client.force_login(o.clerk)
    listed = client.get("/api/v1/documents/profiles").json()
    assert [(p["agency_code"], p["abbreviation"], p["saved"]) for p in listed] == [(o.sxd.code, "SXD", False)]
    url = f"/api/v1/documents/profiles/{o.sxd.pk}"
    bad = client.put(url, {"abbreviation": "SXD-1", "place": "Cần Thơ"}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "abbreviation"
    done = client.put(url, {"abbreviation": "SXDCT", "place": "Cần Thơ"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["saved"] and done.json()["abbreviation"] == "SXDCT"
    client.force_login(o.c_clerk)
    refused = client.put(url, {"abbreviation": "X", "place": "Cần Thơ"}, content_type="application/json")
    assert refused.status_code == 403
    assert client.put("/api/v1/documents/profiles/999999", {"abbreviation": "X", "place": "Cần Thơ"},
                      content_type="application/json").status_code == 404
    assert IssuingProfile.objects.get(agency=o.sxd).abbreviation == "SXDCT"
