from tinhso.dashboard.models import KpiTarget
from tinhso.dashboard.tests.conftest import EXPECTED_2025

URL = "/api/v1/dashboard/summary"


def get(client, user, **params):
    if user is not None:
        client.force_login(user)
    return client.get(URL, params)


def test_summary_for_a_commune(client, data):
    KpiTarget.objects.create(indicator="online_share", target=70, verified=True)
    response = get(client, data.w.leader, year=2025)
    assert response.status_code == 200
    body = response.json()
    assert body["scope"] == {"agency_id": data.w.committee.pk, "agency_code": data.w.committee.code,
                             "label": data.w.committee.name}
    assert body["period"]["date_from"] == "2025-01-01" and body["period"]["date_to"] == "2025-12-31"
    expected = EXPECTED_2025["A"]
    for name in ("received", "received_online", "finished", "finished_early", "finished_on_time", "finished_late",
                 "overdue_now"):
        assert body["figures"][name] == expected[name], name
    assert float(body["figures"]["online_share"]) == 62.5 and float(body["figures"]["on_time_rate"]) == 75.0
    targets = {t["indicator"]: t for t in body["targets"]}
    assert float(targets["online_share"]["target"]) == 70 and targets["online_share"]["met"] is False
    assert targets["on_time_rate"]["target"] is None
    assert "owner" not in response.content.decode()


def test_summary_for_the_province_and_a_range(client, data):
    body = get(client, data.province_leader, year=2025).json()
    assert body["scope"]["agency_id"] is None and body["figures"]["received"] == 10
    body = get(client, data.operations, date_from="2025-01-01", date_to="2025-01-31").json()
    assert body["figures"]["received"] == 2 and body["figures"]["finished"] == 3
    body = get(client, data.w.admin, year=2025, agency=data.w.other_committee.pk).json()
    assert body["figures"]["overdue_now"] == 1


def test_errors_are_json(client, data):
    response = get(client, None)
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
    response = get(client, data.w.clerk)
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    response = get(client, data.w.leader, agency=data.w.other_committee.pk)
    assert response.status_code == 403 and data.w.other_committee.name in response.json()["message"]
    response = get(client, data.w.leader, agency=987654)
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    response = get(client, data.w.leader, year="hai nghìn")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "year"
    response = get(client, data.w.leader, year=1990)
    assert response.status_code == 422 and "Năm" in response.json()["message"]
    response = get(client, data.w.leader, date_from="2025-01-01")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "date_to"
    response = get(client, data.w.leader, date_from="2025-02-01", date_to="2025-01-01")
    assert response.status_code == 422
