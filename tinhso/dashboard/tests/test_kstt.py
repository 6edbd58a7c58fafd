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
# is stopped, so it is not overdue although its appointment of 10/6 has passed); withdrawn A11.
EXPECTED = {"received": 12, "carried_over": 2, "new": 10, "online": 6, "handled": 5, "early": 2, "on_time": 1,
            "late": 2, "in_progress": 6, "in_progress_in_time": 3, "in_progress_overdue": 3, "withdrawn": 1}


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


# The third quarter of 2025 by hand: carried over A5 A6 A10 (received before 1/7, still in hand); new A7 (1/7 08:00),
# A11, B2, of which online A11; nothing handled; in hand at 1/10: A5 A6 A7 A10 B2, overdue A5 A10 B2 (A6 paused);
# withdrawn A11 (10/9).
Q3 = {"received": 6, "carried_over": 3, "new": 3, "online": 1, "handled": 0, "early": 0, "on_time": 0, "late": 0,
      "in_progress": 5, "in_progress_in_time": 2, "in_progress_overdue": 3, "withdrawn": 1}


def test_a_quarter_adds_up_and_bad_quarters_are_refused(year, client):
    report = kstt.report(None, kstt.quarter_period(2025, 3))
    assert report["totals"] == Q3
    for totals in (report["totals"], EXPECTED):
        assert totals["received"] == totals["handled"] + totals["in_progress"] + totals["withdrawn"]
    client.force_login(year.province_leader)
    body = client.get("/api/v1/dashboard/kstt", {"year": 2025, "quarter": 3}).json()
    assert body["totals"] == Q3 and body["period"]["date_from"] == "2025-07-01" \
        and body["period"]["date_to"] == "2025-09-30"
    for bad in ({"year": 2025, "quarter": 5}, {"quarter": 2}, {"year": 2025, "quarter": "hai"}):
        response = client.get("/api/v1/dashboard/kstt", bad)
        assert response.status_code == 422 and response.json()["message"], bad
    page = client.get("/dashboard/bao-cao-kstt/", {"year": 2025, "quarter": 7})
    assert "Quý phải là 1, 2, 3 hoặc 4." in page.content.decode()
    page = client.get("/dashboard/bao-cao-kstt/", {"year": 2025, "quarter": 3})
    assert "01/07/2025 – 30/09/2025" in page.content.decode()


def test_the_quarterly_pdf_and_excel_carry_the_unit_period_and_totals(year, client, tmp_path):
    import subprocess

    client.force_login(year.province_leader)
    pdf = client.get("/dashboard/bao-cao-kstt/", {"year": 2025, "quarter": 3, "format": "pdf"})
    path = tmp_path / "q3.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in text and "01/07/2025 – 30/09/2025" in text
    assert "TOÀN TỈNH" in text and "Hộ tịch" in text
    total = next(line for line in text.splitlines() if "TỔNG CỘNG" in line)
    assert total.split()[-len(kstt.COLUMNS):] == [str(Q3[c]) for c in kstt.COLUMNS]
    xlsx = client.get("/dashboard/bao-cao-kstt/", {"year": 2025, "quarter": 3, "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "TOÀN TỈNH" and any("01/07/2025 – 30/09/2025" in str(r[0]) for r in values)
    assert list(next(r for r in values if r[1] == "TỔNG CỘNG")[2:]) == [Q3[c] for c in kstt.COLUMNS]
