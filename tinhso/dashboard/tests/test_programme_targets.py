"""The programme's targets (chỉ tiêu chương trình chuyển đổi số): the seeded
2025 targets, targets in force by date, values entered by officials
(validated, audited, with who and when), the live providers recomputed from
rows built here, and the pages with their permission refusals."""

import datetime
from decimal import Decimal

import pytest

from tinhso.audit.models import AuditEvent
from tinhso.core.errors import Conflict, InvalidInput, PermissionDenied
from tinhso.dashboard import live, programme
from tinhso.dashboard.models import ProgrammeTarget, ProgrammeValue
from tinhso.dashboard.programme_actions import (create_programme_target, enter_programme_value,
                                                update_programme_target)
from tinhso.dashboard.queries import Period
from tinhso.dossiers.models import Dossier
from tinhso.dossiers.tests.conftest import vn

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(data):
    data.admin = data.w.admin
    data.centre = data.operations
    return data


def test_the_seeds_2025_targets_are_data_marked_unverified():
    rows = {t.key: t for t in ProgrammeTarget.objects.all()}
    for key, target in [("signed_documents", 100), ("services_online", 100), ("enterprises_ecommerce", 50),
                        ("enterprises_supported", 200), ("digital_economy_grdp", 20), ("email_accounts", 8000),
                        ("certificates", 5600), ("community_teams", 1340), ("communes_with_teams", 235),
                        ("base_stations", 2418),
                        ("digitisation_commune", 80), ("satisfaction", 90)]:
        assert rows[key].target == target, key
    assert rows["signed_documents"].kind == "percent" and rows["email_accounts"].kind == "count"
    assert rows["digitisation_province"].level == "province" and rows["digitisation_commune"].level == "commune"
    assert all(not t.verified for t in rows.values())
    assert "chưa đối chiếu văn bản" in rows["signed_documents"].basis
    assert "Hải Dương" in rows["email_accounts"].source_issuer
    assert rows["communes_with_teams"].group == "society" and "235 xã, phường" in rows["communes_with_teams"].basis


def test_the_target_in_force_on_a_day_is_used(people):
    old = ProgrammeTarget.objects.get(key="email_accounts")
    update_programme_target(acting_user=people.admin, row=old, valid_to=datetime.date(2025, 12, 31))
    with pytest.raises(Conflict):  # overlapping the old one
        create_programme_target(acting_user=people.admin, key="email_accounts", label="Hộp thư công vụ",
                                target=9000, kind="count", group="government", valid_from=datetime.date(2025, 6, 1))
    create_programme_target(acting_user=people.admin, key="email_accounts", label="Hộp thư công vụ", target=9000,
                            kind="count", group="government", valid_from=datetime.date(2026, 1, 1),
                            source_number="123/KH-UBND", source_date=datetime.date(2025, 12, 20),
                            source_issuer="UBND thành phố", verified=True)
    assert ProgrammeTarget.in_force(datetime.date(2025, 7, 1))["email_accounts"].target == 8000
    assert ProgrammeTarget.in_force(datetime.date(2026, 2, 1))["email_accounts"].target == 9000
    rows = {r["key"]: r for r in programme.scorecard(datetime.date(2026, 2, 1))}
    assert rows["email_accounts"]["target"] == 9000 and rows["email_accounts"]["row"].source_number == "123/KH-UBND"
    assert AuditEvent.objects.filter(action="dashboard.programme_target.created").count() == 1
    assert AuditEvent.objects.filter(action="dashboard.programme_target.updated").count() == 1


def test_bad_targets_are_refused_clearly(people):
    with pytest.raises(InvalidInput) as exc:
        create_programme_target(acting_user=people.admin, key="bad key!", label="", target="-1", kind="percent",
                                group="nowhere", valid_from="2026-02-30")
    fields = {e["field"] for e in exc.value.errors}
    assert {"key", "label", "target", "group", "valid_from"} <= fields
    with pytest.raises(InvalidInput) as exc:
        create_programme_target(acting_user=people.admin, key="x_rate", label="Tỷ lệ", target=120, kind="percent")
    assert exc.value.errors[0]["message"] == "Chỉ tiêu tỷ lệ phải từ 0 đến 100."
    with pytest.raises(PermissionDenied):
        create_programme_target(acting_user=people.operations, key="x", label="X", target=1)


def test_entered_values_are_validated_and_record_who_and_when(people):
    centre = people.operations
    ok = enter_programme_value(acting_user=centre, key="enterprises_ecommerce", period_start="2026-01-01",
                               period_end="2026-06-30", value="31,5", note="Sở Công Thương báo cáo")
    assert ok.value == Decimal("31.50") and ok.entered_by == centre and ok.entered_at is not None
    event = AuditEvent.objects.get(action="dashboard.programme_value.entered")
    assert event.actor == centre and event.changes["value"] == "31.50"
    bad = [
        (dict(key="enterprises_ecommerce", period_start="2026-07-01", period_end="2026-12-31", value="101"), "value"),
        (dict(key="base_stations", period_start="2026-07-01", period_end="2026-12-31", value="-5"), "value"),
        (dict(key="base_stations", period_start="2026-07-01", period_end="2026-06-30", value="5"), "period_end"),
        (dict(key="base_stations", period_start="hôm qua", period_end="2026-06-30", value="5"), "period_start"),
        (dict(key="no_such_target", period_start="2026-01-01", period_end="2026-06-30", value="5"), "key"),
        (dict(key="base_stations", period_start="2026-01-01", period_end="2026-06-30", value="abc"), "value"),
    ]
    for values, field in bad:
        with pytest.raises(InvalidInput) as exc:
            enter_programme_value(acting_user=centre, **values)
        assert field in {e["field"] for e in exc.value.errors}, values
        assert all(e["message"] for e in exc.value.errors)
    with pytest.raises(Conflict):  # the same period twice
        enter_programme_value(acting_user=centre, key="enterprises_ecommerce", period_start="2026-01-01",
                              period_end="2026-06-30", value="32")
    with pytest.raises(Conflict):  # counted by the platform itself
        enter_programme_value(acting_user=centre, key="online_share", period_start="2026-01-01",
                              period_end="2026-06-30", value="50")
    with pytest.raises(PermissionDenied):
        enter_programme_value(acting_user=people.province_leader, key="base_stations", period_start="2026-01-01",
                              period_end="2026-06-30", value="5")
    assert ProgrammeValue.objects.count() == 1


def test_scorecard_shows_live_and_entered_values_with_progress(people):
    day = datetime.date(2026, 12, 1)
    enter_programme_value(acting_user=people.operations, key="base_stations", period_start="2025-01-01",
                          period_end="2025-12-31", value=1000)
    enter_programme_value(acting_user=people.operations, key="base_stations", period_start="2026-01-01",
                          period_end="2026-12-31", value=1209)
    rows = {r["key"]: r for r in programme.scorecard(day)}
    stations = rows["base_stations"]
    assert stations["source"] == "entered" and stations["value"] == Decimal("1209.00")
    assert stations["progress"] == pytest.approx(50.0) and stations["met"] is False
    assert rows["online_share"]["source"] == "live" and rows["online_share"]["target"] == 50
    assert rows["enterprises_supported"]["value"] is None and rows["enterprises_supported"]["source"] is None
    # in mid-2025 only the 2025 value had begun
    assert {r["key"]: r for r in programme.scorecard(datetime.date(2025, 6, 1))}["base_stations"]["value"] == 1000


def test_live_online_share_matches_the_rows(people):
    rows = Dossier.objects.filter(received_at__gte=vn(2025, 1, 1), received_at__lt=vn(2026, 1, 1))
    online = sum(1 for d in rows if d.channel == 2)
    assert live.online_share(Period.year(2025)) == (Decimal(online) * 100 / rows.count()).quantize(Decimal("0.01"))
    assert live.online_share(Period.year(2025)) == Decimal("60.00")


def test_live_signed_documents_satisfaction_reports_and_services(people):
    from tinhso.catalogue.models import Procedure
    from tinhso.evaluations.models import Evaluation
    from tinhso.fieldreports.models import FieldReport, ReportCategory, StageRecord
    from tinhso.officialdocs.models import DocumentFile, DocumentType, OfficialDocument

    w = people.w
    kind = DocumentType.objects.first() or DocumentType.objects.create(name="Công văn", abbreviation="CV",
                                                                       is_letter=True)
    for i, (issued, signed) in enumerate([(datetime.date(2025, 3, 1), True), (datetime.date(2025, 5, 1), True),
                                          (datetime.date(2025, 7, 1), False), (datetime.date(2024, 7, 1), False)]):
        doc = OfficialDocument.objects.create(direction="out", agency=w.committee, doc_type=kind, summary=f"VB {i}",
                                              status="issued", number=i + 1, symbol="UBND", issued_on=issued)
        DocumentFile.objects.create(document=doc, role="leader_signed", file="x.pdf", original_name="x.pdf",
                                    content_type="application/pdf", sha256="0" * 64)
        if signed:
            DocumentFile.objects.create(document=doc, role="signed", file="y.pdf", original_name="y.pdf",
                                        content_type="application/pdf", sha256="1" * 64)
    OfficialDocument.objects.create(direction="out", agency=w.committee, doc_type=kind, summary="Dự thảo",
                                    status="draft")  # not issued: not counted
    assert live.signed_documents(Period.year(2025)) == Decimal("66.67")  # 2 of 3 issued in 2025
    assert live.signed_documents(Period.year(2023)) is None

    for code, rating, at in [("A1", "very_satisfied", vn(2025, 2, 1, 9)), ("A2", "satisfied", vn(2025, 3, 1, 9)),
                             ("A4", "not_satisfied", vn(2025, 4, 1, 9)), ("A8", "satisfied", vn(2024, 4, 1, 9))]:
        Evaluation.objects.create(dossier=Dossier.objects.get(code=code), overall=rating, created_at=at)
    assert live.satisfaction(Period.year(2025)) == Decimal("66.67")

    category = ReportCategory.objects.create(code="rac", name="Rác thải", group="Môi trường")
    report = FieldReport.objects.create(code="PA-1", category=category, description="Rác", unit=w.commune,
                                       created_at=vn(2025, 1, 1, 7))
    for ended, on_time, stage in [(vn(2025, 1, 5, 9), True, "handle"), (vn(2025, 2, 5, 9), True, "handle"),
                                  (vn(2025, 3, 5, 9), False, "handle"), (vn(2025, 3, 5, 9), False, "confirm"),
                                  (None, None, "handle")]:
        StageRecord.objects.create(report=report, stage=stage, started_at=vn(2025, 1, 1, 8),
                                   due_at=vn(2025, 1, 4, 17), ended_at=ended, on_time=on_time)
    assert live.field_reports_on_time(Period.year(2025)) == Decimal("66.67")  # the confirm stage is not handling

    procedures = list(Procedure.objects.filter(is_active=True))
    full = sum(1 for p in procedures if p.online_level == "full")
    some = sum(1 for p in procedures if p.online_level in ("full", "partial"))
    assert live.services_online() == (Decimal(some) * 100 / len(procedures)).quantize(Decimal("0.01"))
    assert live.services_full_online() == (Decimal(full) * 100 / len(procedures)).quantize(Decimal("0.01"))


def test_registered_figures_keep_working_and_live_ones_are_registered():
    keys = {f.key for f in programme.figures()}
    assert {"online_share", "signed_documents", "satisfaction", "field_reports_on_time"} <= keys


def test_pages_and_refusals(people, client):
    client.force_login(people.province_leader)
    page = client.get("/dashboard/chuong-trinh/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Hộp thư điện tử công vụ được cấp" in html and "chưa đối chiếu văn bản" in html and "<svg" in html
    bad = client.get("/dashboard/chuong-trinh/", {"ngay": "31-12-2025"})
    assert bad.status_code == 422 and "không hợp lệ" in bad.content.decode()
    assert client.get("/dashboard/chuong-trinh/them/").status_code == 403  # a leader does not edit targets
    assert client.get("/dashboard/chuong-trinh/nhap-so-lieu/").status_code == 403

    client.force_login(people.w.clerk)  # not a dashboard role
    assert client.get("/dashboard/chuong-trinh/").status_code == 403
    client.force_login(people.w.leader)  # a commune's leader: not the province's figures
    assert client.get("/dashboard/chuong-trinh/").status_code == 403

    client.force_login(people.operations)
    response = client.post("/dashboard/chuong-trinh/nhap-so-lieu/", {
        "key": "base_stations", "period_start": "2026-01-01", "period_end": "2025-12-31", "value": "10"})
    assert response.status_code == 422 and "“Đến ngày” phải sau hoặc bằng “Từ ngày”." in response.content.decode()
    response = client.post("/dashboard/chuong-trinh/nhap-so-lieu/", {
        "key": "base_stations", "period_start": "2026-01-01", "period_end": "2026-06-30", "value": "2000",
        "note": "Sở KH&CN"})
    assert response.status_code == 302
    assert ProgrammeValue.objects.get(key="base_stations").entered_by == people.operations

    client.force_login(people.admin)
    response = client.post("/dashboard/chuong-trinh/them/", {
        "key": "open_data_sets", "label": "Bộ dữ liệu mở được công bố", "kind": "count", "target": "50",
        "unit": "bộ", "group": "government", "level": "", "valid_from": "2026-01-01",
        "source_number": "45/KH-UBND", "source_date": "2026-01-10", "source_issuer": "UBND thành phố"})
    assert response.status_code == 302
    row = ProgrammeTarget.objects.get(key="open_data_sets")
    assert row.source_number == "45/KH-UBND" and row.verified is False
    response = client.post(f"/dashboard/chuong-trinh/{row.pk}/", {
        "key": "open_data_sets", "label": "Bộ dữ liệu mở được công bố", "kind": "percent", "target": "500",
        "group": "government"})
    assert response.status_code == 422 and "Chỉ tiêu tỷ lệ phải từ 0 đến 100." in response.content.decode()
