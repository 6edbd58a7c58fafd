import pytest
from django.urls import reverse

from tinhso.accounts.models import Role
from tinhso.testing import make_staff
from tinhso.workcalendar.models import CalendarDay

pytestmark = pytest.mark.django_db
PASSWORD = "Matkhau-2026!"


@pytest.fixture
def clerk(agency):
    return make_staff("clerk", roles=[(Role.CLERK, agency)])


def test_staff_sees_year_and_calculator(client, clerk):
    client.force_login(clerk)
    url = reverse("workcalendar:index")
    r = client.get(url, {"year": 2026, "start_date": "2026-02-13", "start_time": "10:00", "amount": 1,
                         "unit": "working_days"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "Tết Nguyên đán" in html and "23/02/2026" in html
    assert "Quản trị lịch" not in html
    assert client.post(reverse("workcalendar:propose"), {"year": 2027}).status_code == 403


def test_anonymous_redirected(client):
    r = client.get(reverse("workcalendar:index"))
    assert r.status_code == 302


def test_admin_flow(client, admin_user):
    client.force_login(admin_user)
    r = client.get(reverse("workcalendar:index"), {"year": 2026})
    assert "Quản trị lịch" in r.content.decode()
    r = client.post(reverse("workcalendar:day_add"), {"date": "2026-11-24", "kind": "holiday",
                                                      "name": "Ngày Văn hóa Việt Nam", "confirmed": "on"})
    assert r.status_code == 302
    day = CalendarDay.objects.get(date="2026-11-24")
    assert day.confirmed
    r = client.post(reverse("workcalendar:day_edit", args=[day.pk]),
                    {"date": "2026-11-24", "kind": "holiday", "name": "Ngày Văn hóa", "source": "x"})
    assert r.status_code == 302
    day.refresh_from_db()
    assert day.name == "Ngày Văn hóa" and not day.confirmed
    client.post(reverse("workcalendar:day_confirm", args=[day.pk]))
    day.refresh_from_db()
    assert day.confirmed
    client.post(reverse("workcalendar:day_remove", args=[day.pk]))
    assert not CalendarDay.objects.filter(pk=day.pk).exists()
    client.post(reverse("workcalendar:propose"), {"year": 2027})
    assert CalendarDay.objects.proposals().in_year(2027).exists()
    r = client.get(reverse("workcalendar:index"), {"year": 2027})
    assert "Xác nhận tất cả" in r.content.decode()
    client.post(reverse("workcalendar:confirm_year"), {"year": 2027})
    assert not CalendarDay.objects.proposals().in_year(2027).exists()
    r = client.get(reverse("workcalendar:schedule_add"))
    assert r.status_code == 200
    r = client.post(reverse("workcalendar:schedule_add"), {
        "valid_from": "2027-01-01", "morning_start": "07:30", "morning_end": "11:30", "afternoon_start": "13:00",
        "afternoon_end": "17:00", "weekday_set": ["1", "2", "3", "4", "5"]})
    assert r.status_code == 302
    r = client.post(reverse("workcalendar:schedule_add"), {
        "valid_from": "2028-01-01", "morning_start": "12:30", "morning_end": "11:30", "afternoon_start": "13:00",
        "afternoon_end": "17:00", "weekday_set": ["1"]})
    assert r.status_code == 200 and "thứ tự" in r.content.decode()


def test_bad_day_form_gives_message_not_500(client, admin_user):
    client.force_login(admin_user)
    r = client.post(reverse("workcalendar:day_add"), {"date": "2026-01-01", "kind": "holiday", "name": "x"},
                    follow=True)
    assert r.status_code == 200
    r = client.post(reverse("workcalendar:day_add"), {"date": "garbage", "kind": "holiday", "name": "x"}, follow=True)
    assert r.status_code == 200
