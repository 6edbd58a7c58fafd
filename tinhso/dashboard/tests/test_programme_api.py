"""GET /api/v1/dashboard/programme-targets: the scorecard as JSON (live or entered value, progress, source
document), province-wide roles only, bad input a 422 with the field."""

import datetime
from decimal import Decimal

import pytest

from tinhso.dashboard import programme
from tinhso.dashboard.programme_actions import enter_programme_value
from tinhso.dashboard.tests.test_programme_targets import people  # noqa: F401 - reused fixture

pytestmark = pytest.mark.django_db
URL = "/api/v1/dashboard/programme-targets"


def test_the_targets_with_their_values_and_source_documents(people, client):  # noqa: F811
    enter_programme_value(acting_user=people.operations, key="base_stations", period_start="2026-01-01",
                          period_end="2026-12-31", value=1209, note="Báo cáo Sở KH&CN")
    client.force_login(people.province_leader)
    response = client.get(URL, {"day": "2026-12-01"})
    assert response.status_code == 200
    body = response.json()
    assert body["day"] == "2026-12-01"
    rows = {r["key"]: r for r in body["targets"]}
    want = {r["key"]: r for r in programme.scorecard(datetime.date(2026, 12, 1))}
    assert set(rows) == set(want)
    stations = rows["base_stations"]
    assert stations["source"] == "entered" and Decimal(stations["value"]) == Decimal("1209")
    assert stations["progress"] == pytest.approx(50.0) and stations["met"] is False
    assert stations["entered"]["note"] == "Báo cáo Sở KH&CN" and stations["entered"]["period_end"] == "2026-12-31"
    assert stations["document"]["basis"] == want["base_stations"]["row"].basis
    assert stations["document"]["verified"] is False
    assert rows["online_share"]["source"] == "live" and rows["online_share"]["entered"] is None
    assert rows["enterprises_supported"]["value"] is None and rows["enterprises_supported"]["source"] is None


def test_refusals_and_bad_input(people, client):  # noqa: F811
    assert client.get(URL).status_code == 401
    client.force_login(people.w.leader)  # a commune's leader: not the province's figures
    refused = client.get(URL)
    assert refused.status_code == 403 and refused.json()["message"]
    client.force_login(people.w.clerk)  # no dashboard role
    assert client.get(URL).status_code == 403
    client.force_login(people.operations)
    bad = client.get(URL, {"day": "31-12-2026"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "day"
