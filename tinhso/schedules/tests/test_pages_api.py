import pytest
from django.utils import timezone

from tinhso.schedules import weeks

pytestmark = pytest.mark.django_db


def test_the_public_week_page_and_the_api_show_a_published_week_only(published, sxd, client):
    this = weeks.label(weeks.monday(timezone.localdate()))
    page = client.get(f"/lich-cong-tac/{sxd.code}/")
    assert page.status_code == 200 and "Họp giao ban Sở" in page.content.decode() and 'aria-current="date"' in \
        page.content.decode()
    assert client.get(f"/lich-cong-tac/{sxd.code}/?tuan=abc").status_code == 400
    assert "Họp giao ban" not in client.get(f"/lich-cong-tac/{sxd.code}/?tuan=2020-W01").content.decode()
    data = client.get(f"/api/v1/schedules?agency={sxd.code}&week={this}").json()
    assert data["published"] and data["week"] == this
    entries = [e for d in data["days"] for e in d["entries"]]
    assert entries[0]["uid"] == published.uid and entries[0]["leaders"].startswith("Đ/c Võ Quốc Dũng")
    assert client.get(f"/api/v1/schedules?agency={sxd.code}&week=xyz").status_code == 422
    assert client.get("/api/v1/schedules?agency=000.99.99.H13").status_code == 404
    assert [e["uid"] for e in client.get("/api/v1/schedules/today").json()] == [published.uid]
    assert client.get("/api/v1/schedules/agencies").json()[0]["code"] == sxd.code


def test_the_back_office_edits_a_week_and_refuses_others(entry, clerk_office, outsider, sxd, client):
    client.force_login(clerk_office)
    index = client.get("/lich-cong-tac/quan-ly/")
    assert index.status_code == 200 and "Sở Xây dựng" in index.content.decode()
    page = client.get(f"/lich-cong-tac/quan-ly/{sxd.pk}/")
    assert page.status_code == 200 and "Họp giao ban Sở" in page.content.decode()
    bad = client.post(f"/lich-cong-tac/quan-ly/{sxd.pk}/", {"start": "2026-12-01T08:00", "end": "2026-12-01T07:00",
                                                            "content": "Họp", "leaders": "Đ/c A"})
    assert bad.status_code == 422 and "phải sau" in bad.content.decode()
    client.post(f"/lich-cong-tac/quan-ly/{sxd.pk}/cong-bo/", {"tuan": weeks.label(weeks.monday(timezone.localdate()))})
    assert client.get(f"/lich-cong-tac/{sxd.code}/").status_code == 200
    client.force_login(outsider)
    assert client.get(f"/lich-cong-tac/quan-ly/{sxd.pk}/").status_code == 403


def test_the_agencys_online_meetings_show_read_only_in_its_week(published, leader, sxd, client):
    import datetime

    from tinhso.meetings import actions as meetings

    start = timezone.now() + datetime.timedelta(minutes=30)
    if timezone.localtime(start).date() != timezone.localdate():
        pytest.skip("too close to midnight for a meeting today")
    from tinhso.testing import make_agency

    guest = make_agency("000.00.10.H13", "Sở Tư pháp", parent=sxd.parent)
    meetings.create_meeting(acting_user=leader, host=sxd, title="Họp trực tuyến về quy hoạch đô thị", start=start,
                            end=start + datetime.timedelta(hours=1), participant_ids=[guest.pk])
    data = client.get(f"/api/v1/schedules?agency={sxd.code}").json()
    today = [d for d in data["days"] if d["today"]][0]
    assert [m["title"] for m in today["meetings"]] == ["Họp trực tuyến về quy hoạch đô thị"]
    assert "Họp trực tuyến về quy hoạch đô thị" in client.get(f"/lich-cong-tac/{sxd.code}/").content.decode()
    assert b"quy ho" not in client.get(f"/lich-cong-tac/{sxd.code}/lich.ics").content
