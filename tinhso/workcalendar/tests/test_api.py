import pytest

pytestmark = pytest.mark.django_db

DUE = "/api/v1/calendar/due"


def test_due_friday_afternoon(client):
    r = client.get(DUE, {"start": "2025-12-05T16:00:00+07:00", "amount": 1, "unit": "working_days"})
    assert r.status_code == 200
    body = r.json()
    assert body["due"] == "2025-12-08T16:00:00+07:00"
    assert body["counting_from"] == "2025-12-05T16:00:00+07:00"
    assert body["amount"] == 1 and body["unit"] == "working_days"


def test_due_naive_is_vietnam_time_and_utc_is_converted(client):
    r = client.get(DUE, {"start": "2026-01-02T16:00", "amount": 1})  # default unit working_days; 2 Jan is off
    assert r.json()["counting_from"] == "2026-01-05T07:00:00+07:00"
    assert r.json()["due"] == "2026-01-05T17:00:00+07:00"
    r = client.get(DUE, {"start": "2025-12-05T02:00:00Z", "amount": 2, "unit": "working_hours"})
    assert r.json()["start"] == "2025-12-05T09:00:00+07:00"
    assert r.json()["due"] == "2025-12-05T11:00:00+07:00"


def test_due_tet_2026_days(client):
    r = client.get(DUE, {"start": "2026-02-12T10:00:00+07:00", "amount": 10, "unit": "days"})
    assert r.json()["due"] == "2026-02-23T07:00:00+07:00"


@pytest.mark.parametrize("params,field", [
    ({"start": "not-a-date", "amount": 1}, "start"),
    ({"start": "2026-01-05T08:00", "amount": -1}, "amount"),
    ({"start": "2026-01-05T08:00", "amount": 1, "unit": "weeks"}, "unit"),
    ({"amount": 1}, "start"),
    ({"start": "2026-01-05T08:00"}, "amount"),
    ({"start": "2026-01-05T08:00", "amount": 10**9}, "amount"),
    ({"start": "2026-01-05T08:00", "amount": 5000, "unit": "working_days"}, "amount"),
    ({"start": "1900-01-05T08:00", "amount": 1}, "start"),
    ({"start": "2026-01-05T08:00", "amount": "abc"}, "amount"),
])
def test_due_bad_input_is_422_in_vietnamese(client, params, field):
    r = client.get(DUE, params)
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "invalid_input"
    assert body["message"] == "Dữ liệu gửi lên không hợp lệ."
    assert field in [e["field"] for e in body["errors"]]
    assert all(e["message"] for e in body["errors"])


def test_working_time(client):
    r = client.get("/api/v1/calendar/working-time", {"start": "2026-01-09T07:00", "end": "2026-01-12T17:00"})
    assert r.status_code == 200
    assert r.json()["seconds"] == 3 * 8 * 3600  # Fri, make-up Sat 10 Jan, Mon
    assert r.json()["hours"] == 24
    r = client.get("/api/v1/calendar/working-time", {"start": "2026-01-12T17:00", "end": "2026-01-09T07:00"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "end"


def test_days_of_year(client):
    r = client.get("/api/v1/calendar/days", {"year": 2026})
    assert r.status_code == 200
    body = r.json()
    dates = {d["date"]: d for d in body["days"]}
    assert dates["2026-01-10"]["kind"] == "makeup_workday" and dates["2026-01-10"]["day_off"] is False
    assert {"2026-02-16", "2026-02-20", "2026-04-27", "2026-08-31", "2026-09-01", "2026-09-02"} <= set(dates)
    assert len(body["days"]) == 15
    r = client.get("/api/v1/calendar/days", {"year": 2025})
    assert len(r.json()["days"]) == 13
    assert client.get("/api/v1/calendar/days", {"year": "abc"}).status_code == 422
    assert client.get("/api/v1/calendar/days", {"year": 99999}).status_code == 422


def test_openapi_documents_the_parameters(client):
    spec = client.get("/api/v1/openapi.json").json()
    params = {p["name"]: p for p in spec["paths"]["/api/v1/calendar/due"]["get"]["parameters"]}
    assert set(params) >= {"start", "amount", "unit"}
    assert all(p.get("description") for p in params.values())
    assert "/api/v1/calendar/working-time" in spec["paths"] and "/api/v1/calendar/days" in spec["paths"]
