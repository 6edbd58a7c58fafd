"""The official report (form 06/VPCP/KSTT) on the hand-computed province-year
of conftest.py: carried over, new, online, handled early/on time/late, in
progress at the end within the limit or overdue; Excel, PDF, API, scope."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tinhso.dashboard import kstt
from tinhso.dashboard.queries import Period
from tinhso.dossiers.models import Dossier
from tinhso.dossiers.tests.conftest import vn

pytestmark = pytest.mark.django_db

# 2025, worked out by hand from conftest.py (A11 withdrawn on 10/9/2025):
# carried over A4, A10; new A1 A2 A3 A5 A6 A7 A8 A11 B1 B2 (online A2 A3 A6 A8 A11 B1);
# handled A1 (early) A2 (on time) A4 (late) A8 (early) B1 (late);
# in hand at the end A3 A5 A6 A7 A10 B2, overdue A5 A10 B2 (A6 waits for a supplement since 8/6: its clock
# is stopped, so it is not overdue although its appointment of 10/6 has passed).
EXPECTED = {"received": 12, "carried_over": 2, "new": 10, "online": 6, "handled": 5, "early": 2, "on_time": 1,
            "late": 2, "in_progress": 6, "in_progress_in_time": 3, "in_progress_overdue": 3}


@pytest.fixture
def year(data):
    from tinhso.dossiers.models import DossierPause

    Dossier.objects.filter(code="A11").update(closed_at=vn(2025, 9, 10, 8))
    DossierPause.objects.create(dossier=Dossier.objects.get(code="A6"), reason="supplement",
                                started_at=vn(2025, 6, 8, 9))
    return data


def test_the_figures_match_the_hand_count_in_one_query(year):
    with CaptureQueriesContext(connection) as queries:
        report = kstt.report(None, Period.year(2025))
    assert len(queries) == 1
    assert report["totals"] == EXPECTED
    [row] = report["rows"]
    assert row["level"] == "commune" and row["field_name"] == "Hộ tịch" and row["received"] == 12
    assert report["by_level"]["commune"] == EXPECTED and report["by_level"]["province"]["received"] == 0


def test_an_agency_scope_and_a_month(year):
    b = kstt.report(year.w.other_committee, Period.year(2025))["totals"]
    assert (b["new"], b["handled"], b["late"], b["in_progress_overdue"]) == (2, 1, 1, 1)
    june = kstt.report(None, Period.between(vn(2025, 6, 1).date(), vn(2025, 6, 7).date()))["totals"]
    assert june["in_progress_overdue"] == 2  # A5, A10; A6 was not paused yet but not due before 10/6 either
    january = kstt.report(None, Period.between(vn(2025, 1, 1).date(), vn(2025, 1, 31).date()))["totals"]
    # A4 and A10 carried over; A1, B1 new; A1, A4, B1 handled; A10 (overdue) and nothing else in hand at the end
    assert (january["carried_over"], january["new"], january["handled"], january["in_progress"]) == (2, 2, 3, 1)


def test_excel_and_pdf(year, client):
    client.force_login(year.province_leader)
    xlsx = client.get("/dashboard/bao-cao-kstt/", {"year": 2025, "format": "xlsx"})
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx["Content-Type"]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert any(row[0] == "Mẫu số 06/VPCP/KSTT" or "Mẫu số 06/VPCP/KSTT" in row for row in values)
    total = next(row for row in values if row[1] == "TỔNG CỘNG")
    assert list(total[2:]) == [EXPECTED[c] for c in kstt.COLUMNS]
    pdf = client.get("/dashboard/bao-cao-kstt/", {"year": 2025, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    page = client.get("/dashboard/bao-cao-kstt/", {"year": 2025}).content.decode()
    assert "Hộ tịch" in page and "Nguyễn Văn An" not in page  # no personal data


def test_api_scope_and_bad_input(year, client):
    client.force_login(year.province_leader)
    body = client.get("/api/v1/dashboard/kstt", {"year": 2025}).json()
    assert body["totals"] == EXPECTED and body["form"] == "Mẫu số 06/VPCP/KSTT"
    assert client.get("/api/v1/dashboard/kstt", {"date_from": "2025-02-01"}).status_code == 422
    client.force_login(year.w.clerk)  # a commune clerk is not a dashboard role
    assert client.get("/api/v1/dashboard/kstt", {"year": 2025}).status_code == 403
