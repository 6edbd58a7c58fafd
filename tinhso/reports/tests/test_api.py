"""GET /api/v1/reports/dti and /dti/{year}: the DTI self-assessment by year as JSON, computed as the pages
compute it (reports.dti), province-wide roles only."""

from decimal import Decimal

import pytest

from tinhso.reports import actions, dti
from tinhso.reports.tests.test_dti import constructed  # noqa: F401 - reused fixture

pytestmark = pytest.mark.django_db


def test_the_years_and_one_year_with_its_indicators(constructed, client):  # noqa: F811
    d = constructed
    assessment = actions.create_assessment(acting_user=d.operations, year=2025)
    actions.enter_score(acting_user=d.operations, assessment=assessment, indicator=d.a1, points="45", note="Biên bản")
    actions.enter_score(acting_user=d.operations, assessment=assessment, indicator=d.c1, points="120")
    actions.set_published(acting_user=d.operations, assessment=assessment, score="0.3700", rank="20")
    want = dti.result(assessment)
    client.force_login(d.province_leader)
    years = client.get("/api/v1/reports/dti")
    assert years.status_code == 200
    row = next(y for y in years.json() if y["year"] == 2025)
    assert Decimal(row["dti"]) == want.dti and Decimal(row["points"]) == want.points
    assert row["missing"] == want.missing == 3 and row["published_rank"] == 20
    assert [i["code"] for i in row["indices"]] == ["A", "B", "C", "D"] and row["indices"][0]["indicators"] is None
    one = client.get("/api/v1/reports/dti/2025").json()
    a = next(i for i in one["indices"] if i["code"] == "A")
    assert Decimal(a["value"]) == Decimal("0.4500") and Decimal(a["earned"]) == 45
    a1 = next(i for i in a["indicators"] if i["code"] == "a1")
    assert Decimal(a1["points"]) == 45 and a1["note"] == "Biên bản"
    assert next(i for i in a["indicators"] if i["code"] == "a2")["points"] is None
    assert next(i for i in one["indices"] if i["code"] == "D")["max_points"] is None


def test_refusals_and_a_year_without_assessment(constructed, client):  # noqa: F811
    d = constructed
    assert client.get("/api/v1/reports/dti").status_code == 401
    client.force_login(d.w.leader)  # a commune's leader
    assert client.get("/api/v1/reports/dti").status_code == 403
    client.force_login(d.w.clerk)
    assert client.get("/api/v1/reports/dti/2025").status_code == 403
    client.force_login(d.operations)
    missing = client.get("/api/v1/reports/dti/2031")
    assert missing.status_code == 404 and "2031" in missing.json()["message"]
    assert client.get("/api/v1/reports/dti/abc").status_code == 422
