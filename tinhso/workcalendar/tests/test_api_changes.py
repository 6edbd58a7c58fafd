"""Calendar edits over the API: system administrators only; the deadline
engine sees a new day off at once."""

import datetime
import json

import pytest

from tinhso.testing import make_staff
from tinhso.workcalendar.engine import get_calendar


@pytest.mark.django_db
def test_an_administrator_adds_and_removes_a_day_off(client, admin_user, agency):
    day = {"date": "2031-03-12", "kind": "holiday", "name": "Nghỉ đột xuất", "source": "Thông báo 1/TB-UBND"}
    client.force_login(make_staff("motcua", roles=[("clerk", agency)]))
    assert client.post("/api/v1/calendar/days", json.dumps(day), content_type="application/json").status_code == 403
    client.force_login(admin_user)
    made = client.post("/api/v1/calendar/days", json.dumps(day), content_type="application/json")
    assert made.status_code == 201
    assert not get_calendar().is_working_day(datetime.date(2031, 3, 12))
    assert client.post("/api/v1/calendar/days", json.dumps(day), content_type="application/json").status_code == 409
    bad = client.post("/api/v1/calendar/days", json.dumps({**day, "kind": "party"}), content_type="application/json")
    assert bad.status_code == 422
    assert client.delete("/api/v1/calendar/days/2031-03-12").status_code == 204
    assert get_calendar().is_working_day(datetime.date(2031, 3, 12))
    assert client.delete("/api/v1/calendar/days/2031-03-12").status_code == 404


@pytest.mark.django_db
def test_schedules_and_holiday_proposals_through_the_api(client, admin_user, agency):
    client.force_login(make_staff("motcua", roles=[("clerk", agency)]))
    assert client.post("/api/v1/calendar/proposals", json.dumps({"year": 2031}),
                       content_type="application/json").status_code == 403
    client.force_login(admin_user)
    proposed = client.post("/api/v1/calendar/proposals", json.dumps({"year": 2031}), content_type="application/json")
    assert proposed.status_code == 201 and proposed.json()["created"]
    assert client.post("/api/v1/calendar/proposals/discard", json.dumps({"year": 2031}),
                       content_type="application/json").json()["count"] == len(proposed.json()["created"])
    schedule = {"valid_from": "2031-01-01", "morning_start": "07:30", "morning_end": "11:30",
                "afternoon_start": "13:00", "afternoon_end": "17:00", "weekdays": "12345"}
    assert client.post("/api/v1/calendar/schedules", json.dumps(schedule),
                       content_type="application/json").status_code == 201
    assert client.post("/api/v1/calendar/schedules", json.dumps({**schedule, "weekdays": "89"}),
                       content_type="application/json").status_code == 422
    assert "2031-01-01" in [s["valid_from"] for s in client.get("/api/v1/calendar/schedules").json()]
