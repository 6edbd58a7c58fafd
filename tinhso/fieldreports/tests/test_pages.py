"""The pages: the web form (with the duplicate check, the one-time code and
kept uploads), public pages without personal data, staff screens scoped by
unit and role, statistics with Excel, the JSON API."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse

from tinhso.fieldreports import actions
from tinhso.fieldreports.models import FieldReport, Reason
from tinhso.fieldreports.tests.conftest import VT_POINT, jpeg

pytestmark = pytest.mark.django_db
SECRETS = ("0901234567", "Nguyễn Văn An", "092085001234", "an@example.com")


def form(world, **extra):
    data = {"category": "GT01", "description": "Ổ gà sâu trước trường học", "unit": str(world.vithanh.pk),
            "address": "Đường 30/4", "lat": str(VT_POINT[0]), "lng": str(VT_POINT[1]), "form_token": "tok-1"}
    data.update(extra)
    return data


def test_citizen_sends_from_the_web_form_after_declining_a_duplicate(client, world, citizen, submit):
    nearby = submit(description="Ổ gà đã báo")
    actions.confirm(acting_user=world.centre, code=nearby.code)
    client.force_login(citizen)
    first = client.post(reverse("fieldreports:submit"), {**form(world), "photos": jpeg()})
    assert first.status_code == 200 and "Có phải một trong các phản ánh này?" in first.content.decode()
    assert nearby.code in first.content.decode() and FieldReport.objects.count() == 1
    assert "anh.jpg (đã tải lên)" in first.content.decode()  # the photo is kept while the citizen decides
    second = client.post(reverse("fieldreports:submit"), {**form(world), "dup_checked": "1"})
    report = FieldReport.objects.exclude(pk=nearby.pk).get()
    assert second.status_code == 302 and second["Location"] == reverse("fieldreports:public_detail",
                                                                        args=[report.code])
    assert report.media.count() == 1 and report.reporter == citizen
    again = client.post(reverse("fieldreports:submit"), {**form(world), "dup_checked": "1"})
    assert again.status_code == 302 and FieldReport.objects.count() == 2  # a retried post makes no second report


def test_bad_input_on_the_form_keeps_everything_typed(client, world, citizen):
    client.force_login(citizen)
    response = client.post(reverse("fieldreports:submit"), {**form(world, description="<b>x</b>", lat="21.03",
                                                                   lng="105.85"), "photos": jpeg()})
    html = response.content.decode()
    assert response.status_code == 422
    assert "không được chứa mã HTML" in html and "ngoài địa bàn" in html and "anh.jpg (đã tải lên)" in html
    assert "Đường 30/4" in html and FieldReport.objects.count() == 0


def test_a_reporter_without_e_id_confirms_the_phone(client, world, django_capture_on_commit_callbacks):
    from tinhso.notifications.models import OutgoingMessage

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("fieldreports:submit"), {**form(world), "phone": "0912345678", "send_code": "1"})
    assert "Đã gửi mã xác nhận" in sent.content.decode()
    code = OutgoingMessage.objects.get(event="phone_code").body.split(": ")[1][:6]
    wrong = client.post(reverse("fieldreports:submit"), {**form(world), "phone": "0912345678", "code": "12345x"})
    assert wrong.status_code == 422 and FieldReport.objects.count() == 0
    done = client.post(reverse("fieldreports:submit"), {**form(world), "phone": "0912345678", "code": code})
    report = FieldReport.objects.get()
    assert done.status_code == 302 and report.reporter_phone == "0912345678" and report.reporter is None
    assert client.get(done["Location"]).status_code == 200  # the reporter sees it before it is confirmed


def test_public_pages_never_show_personal_data(client, world, submit, citizen):
    report = submit(hide_location=True, address="Nhà riêng số 9", reporter_phone="0901234567")
    actions.confirm(acting_user=world.centre, code=report.code)
    for url in (reverse("fieldreports:public_list"), reverse("fieldreports:public_detail", args=[report.code]),
                "/api/v1/field-reports", f"/api/v1/field-reports/{report.code}"):
        html = client.get(url).content.decode()
        assert report.code in html, url
        for secret in (*SECRETS, "Nhà riêng số 9"):
            assert secret not in html, (url, secret)
    media = report.media.get()
    photo = client.get(reverse("fieldreports:public_media", args=[report.code, media.pk]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"


def test_new_rejected_and_hidden_reports_are_not_public(client, world, submit):
    new = submit()
    assert client.get(reverse("fieldreports:public_detail", args=[new.code])).status_code == 404
    hidden = submit(description="Ổ gà khác")
    actions.confirm(acting_user=world.centre, code=hidden.code)
    actions.hide(acting_user=world.centre, code=hidden.code, reason_id=Reason.objects.filter(kind="hide").first().pk)
    assert client.get(reverse("fieldreports:public_detail", args=[hidden.code])).status_code == 404
    media = hidden.media.get()
    assert client.get(reverse("fieldreports:public_media", args=[hidden.code, media.pk])).status_code == 404


def test_the_reporter_signed_in_sees_the_photo_of_a_report_not_yet_public(client, world, submit, citizen):
    report = submit()  # new: not public yet; the citizen app shows the reporter their own photo
    url = reverse("fieldreports:public_media", args=[report.code, report.media.get().pk])
    assert client.get(url).status_code == 404
    client.force_login(world.nk_handler)
    assert client.get(url).status_code == 404
    client.force_login(citizen)
    assert client.get(url).status_code == 200


def test_staff_see_only_their_reports_and_the_centre_sees_all(client, world, submit):
    report = submit()
    actions.confirm(acting_user=world.centre, code=report.code)
    url = reverse("fieldreports:staff_detail", args=[report.code])
    client.force_login(world.nk_handler)
    assert client.get(url).status_code == 404
    assert report.code not in client.get(reverse("fieldreports:staff_queue") + "?tab=all").content.decode()
    client.force_login(world.vt_handler)
    page = client.get(url).content.decode()
    assert "Nhận xử lý" in page and "Nguyễn Văn An" in page
    client.post(reverse("fieldreports:staff_act", args=[report.code, "accept"]))
    assert FieldReport.objects.get(pk=report.pk).status == "accepted"
    client.force_login(world.centre)
    assert client.get(url).status_code == 200
    from tinhso.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="fieldreports.reporter_viewed", personal_data=True).count() == 2


def test_an_anonymous_reporter_is_hidden_from_the_agency(client, world, submit):
    report = submit(anonymous=True)
    actions.confirm(acting_user=world.centre, code=report.code)
    client.force_login(world.vt_handler)
    assert "Nguyễn Văn An" not in client.get(reverse("fieldreports:staff_detail", args=[report.code])).content.decode()
    client.force_login(world.centre)
    assert "Nguyễn Văn An" in client.get(reverse("fieldreports:staff_detail", args=[report.code])).content.decode()


def test_a_refused_action_shows_its_message(client, world, submit):
    report = submit()
    client.force_login(world.centre)
    response = client.post(reverse("fieldreports:staff_act", args=[report.code, "reject"]), follow=True)
    assert "Chọn lý do trong danh sách." in response.content.decode()
    assert FieldReport.objects.get(pk=report.pk).status == "new"


def test_hotline_form_takes_a_call(client, world):
    client.force_login(world.centre)
    response = client.post(reverse("fieldreports:hotline"), {
        "category": "MT01", "description": "Người dân gọi báo rác", "unit": str(world.vithanh.pk),
        "address": "Chợ Vị Thanh", "reporter_name": "Bà Năm", "reporter_phone": "0907000111", "form_token": "h1"})
    assert response.status_code == 302
    report = FieldReport.objects.get()
    assert report.channel == "phone" and report.taken_by == world.centre
    client.force_login(world.vt_handler)
    assert client.get(reverse("fieldreports:hotline")).status_code == 403


def test_statistics_and_excel(client, world, submit, citizen):
    from openpyxl import load_workbook

    report = submit()
    actions.confirm(acting_user=world.centre, code=report.code)
    actions.accept(acting_user=world.vt_handler, code=report.code)
    actions.answer(acting_user=world.vt_handler, code=report.code, text="Đã vá.", files=[jpeg()])
    actions.publish(acting_user=world.centre, code=report.code)
    actions.rate(acting_user=citizen, code=report.code, rating="satisfied")
    other = submit(description="Ổ gà 2")
    actions.confirm(acting_user=world.centre, code=other.code)
    actions.accept(acting_user=world.vt_handler, code=other.code)
    actions.answer(acting_user=world.vt_handler, code=other.code, text="Đã vá.", files=[jpeg()])
    actions.publish(acting_user=world.centre, code=other.code)
    actions.rate(acting_user=citizen, code=other.code, rating="not_satisfied")
    client.force_login(world.centre)
    page = client.get(reverse("fieldreports:stats")).content.decode()
    assert 'id="satisfaction">50,0%' in page
    book = load_workbook(io.BytesIO(client.get(reverse("fieldreports:stats") + "?format=xlsx").content))
    rows = {r[0]: r[1] for r in book["Tong hop"].iter_rows(values_only=True) if r and r[0]}
    assert rows["Tổng số phản ánh"] == 2 and rows["Tỷ lệ hài lòng (%)"] == 50.0
    assert [r[0] for r in book["Dung han theo buoc"].iter_rows(min_row=2, values_only=True)] == [
        "Xác nhận, phân loại", "Xử lý", "Duyệt, công khai kết quả"]


def test_json_api_submit_and_rate(client, world, citizen):
    client.force_login(citizen)
    response = client.post("/api/v1/field-reports", {
        "category": "GT01", "description": "Ổ gà qua API", "unit_id": world.vithanh.pk, "lat": VT_POINT[0],
        "lng": VT_POINT[1], "submit_key": "k1", "photos": jpeg()})
    assert response.status_code == 201, response.content
    code = json.loads(response.content)["code"]
    assert client.post("/api/v1/field-reports", {
        "category": "GT01", "description": "Ổ gà qua API", "unit_id": world.vithanh.pk, "lat": VT_POINT[0],
        "lng": VT_POINT[1], "submit_key": "k1"}).status_code == 201
    assert FieldReport.objects.count() == 1
    bad = client.post("/api/v1/field-reports", {"category": "", "description": "", "unit_id": world.vithanh.pk})
    body = json.loads(bad.content)
    assert bad.status_code == 422 and {"category", "description", "location"} <= {e["field"] for e in body["errors"]}
    mine = json.loads(client.get("/api/v1/field-reports/mine").content)
    assert [r["code"] for r in mine] == [code]
    rated = client.post(f"/api/v1/field-reports/{code}/rating", {"rating": "satisfied"}, content_type="application/json")
    assert rated.status_code == 409  # not published yet


def test_a_reporter_without_e_id_rates_from_the_link_in_the_message(client, world, django_capture_on_commit_callbacks):
    from django.test import Client

    from tinhso.fieldreports.models import ReportFollower
    from tinhso.notifications.models import OutgoingMessage

    with django_capture_on_commit_callbacks(execute=True):
        report = actions.submit_report(acting_user=world.centre, channel="phone", category_code="GT01",
                                       description="Ổ gà", unit_id=world.vithanh.pk, address="Chợ Vị Thanh",
                                       reporter_name="Bà Năm", reporter_phone="0907000111")
    ReportFollower.objects.create(report=report, phone="0907000222")
    ReportFollower.objects.create(report=report, phone="0907000333")
    actions.confirm(acting_user=world.centre, code=report.code)
    actions.accept(acting_user=world.vt_handler, code=report.code)
    actions.answer(acting_user=world.vt_handler, code=report.code, text="Đã vá.", files=[jpeg()])
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish(acting_user=world.centre, code=report.code)
    sent = {m.recipient: m.body for m in OutgoingMessage.objects.filter(event="fr_answered", channel="sms")}
    assert set(sent) == {"0907000111", "0907000222", "0907000333"}  # every follower, not one per channel
    assert "?t=" in sent["0907000111"] and "?t=" not in sent["0907000222"]
    link = sent["0907000111"].split("Xem va danh gia: ")[1].strip()
    phone = Client()
    assert phone.get(link.replace("http://127.0.0.1:8000", "")).status_code == 302
    page = phone.get(reverse("fieldreports:public_detail", args=[report.code])).content.decode()
    assert "Gửi đánh giá" in page
    phone.post(reverse("fieldreports:rate", args=[report.code]), {"rating": "satisfied"})
    report.refresh_from_db()
    assert report.rating == "satisfied"
    stranger = Client()
    stranger.get(reverse("fieldreports:public_detail", args=[report.code]) + "?t=forged")
    assert "Gửi đánh giá" not in stranger.get(reverse("fieldreports:public_detail", args=[report.code])).content.decode()
