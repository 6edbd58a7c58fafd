"""The administrator's and the auditor's pages."""

from __future__ import annotations

import pytest

from tinhso.integration import actions, log
from tinhso.integration.models import ApiKey, ClientSystem, MessageLog, Service
from tinhso.testing import make_staff


@pytest.fixture
def admin(agency):
    return make_staff("quantri.tichhop", roles=[("system_admin", agency)])


@pytest.fixture
def auditor(agency):
    return make_staff("thanhtra", roles=[("auditor", agency)], two_factor=False)


@pytest.mark.django_db
def test_admin_registers_grants_issues_rotates_and_revokes(client, admin):
    client.force_login(admin)
    response = client.post("/tich-hop/he-thong/", {"name": "Hệ thống đất đai", "owner": "Sở Nông nghiệp và Môi trường",
                                                   "code": "dat-dai"})
    system = ClientSystem.objects.get(name="Hệ thống đất đai")
    assert response.status_code == 302 and response["Location"] == f"/tich-hop/he-thong/{system.pk}/"
    response = client.post(f"/tich-hop/he-thong/{system.pk}/sua/", {"service": ["dossiers", "documents"],
                                                                    "rate_limit": "120", "is_active": "on",
                                                                    "service_user": admin.username})
    assert response.status_code == 302
    system.refresh_from_db()
    assert system.rate_limit == 120 and sorted(system.granted.values_list("code", flat=True)) == ["documents",
                                                                                                 "dossiers"]
    client.post(f"/tich-hop/he-thong/{system.pk}/khoa/", {"kind": "oauth", "scope": ["dossiers"], "valid_days": "90"})
    page = client.get(f"/tich-hop/he-thong/{system.pk}/").content.decode()
    key = ApiKey.objects.get(client=system)
    assert key.kind == "oauth" and key.prefix in page and "client_secret" in page
    again = client.get(f"/tich-hop/he-thong/{system.pk}/").content.decode()
    assert "client_secret:" not in again  # shown once
    client.post(f"/tich-hop/khoa/{key.pk}/doi/")
    assert ApiKey.objects.filter(client=system, revoked_at__isnull=True).count() == 2
    client.post(f"/tich-hop/khoa/{key.pk}/thu-hoi/")
    assert ApiKey.objects.get(pk=key.pk).revoked_at is not None
    # bad input: a clear message, nothing saved
    response = client.post(f"/tich-hop/he-thong/{system.pk}/sua/", {"rate_limit": "nhiều"}, follow=True)
    assert "số nguyên" in response.content.decode()
    response = client.post(f"/tich-hop/he-thong/{system.pk}/khoa/", {"kind": "api_key", "scope": ["open311"]},
                           follow=True)
    assert "Phạm vi không hợp lệ" in response.content.decode()


@pytest.mark.django_db
def test_admin_edits_a_consumed_service_and_resets_its_breaker(client, admin):
    client.force_login(admin)
    client.get("/tich-hop/")
    Service.objects.filter(code="population").update(breaker="open", failures=5)
    page = client.get("/tich-hop/").content.decode()
    assert "Cơ sở dữ liệu quốc gia về dân cư" in page and "Ngắt kết nối" in page
    assert "Đang chờ: 0" in page and 'href="/dong-bo-dvcqg/"' in page  # the national-portal sync backlog
    response = client.post("/tich-hop/dich-vu/population/sua/", {"timeout_seconds": "4,5", "max_retries": "1",
                                                                 "failure_threshold": "3", "cooldown_seconds": "30",
                                                                 "status": "active", "version": "2.1"})
    assert response.status_code == 302
    svc = Service.objects.get(code="population")
    assert (svc.timeout_seconds, svc.max_retries, svc.version) == (4.5, 1, "2.1")
    client.post("/tich-hop/dich-vu/population/sua/", {"reset_breaker": "1"})
    assert Service.objects.get(code="population").breaker == "closed"
    for field, value, message in [("timeout_seconds", "abc", "Thời gian chờ từ 0,5 đến 300 giây."),
                                  ("timeout_seconds", "nan", "Thời gian chờ từ 0,5 đến 300 giây."),
                                  ("max_retries", "-1", "Số lần thử lại từ 0 đến 5."),
                                  ("max_retries", "2000", "Số lần thử lại từ 0 đến 5."),
                                  ("failure_threshold", "0", "Số lỗi liên tiếp để ngắt từ 1 đến 100."),
                                  ("cooldown_seconds", "-5", "Thời gian ngắt từ 5 giây đến 1 ngày"),
                                  ("cooldown_seconds", "9" * 30, "Thời gian ngắt từ 5 giây đến 1 ngày")]:
        response = client.post("/tich-hop/dich-vu/population/sua/", {field: value, "version": "9"}, follow=True)
        assert response.status_code == 200 and message in response.content.decode(), (field, value)
    svc = Service.objects.get(code="population")  # nothing of a refused edit was saved
    assert (svc.timeout_seconds, svc.max_retries, svc.failure_threshold, svc.cooldown_seconds, svc.version) == (
        4.5, 1, 3, 30, "2.1")


@pytest.mark.django_db
def test_the_auditor_searches_charts_exports_and_verifies_the_log(client, auditor, admin):
    system = actions.register_client(acting_user=None, name="Cổng phản ánh quận")
    for i in range(3):
        log.append(direction="in", client=system, service="open311", operation="GET /open311/v2/requests.json",
                   status=200, outcome="ok")
    log.append(direction="out", service="population", operation="POST /verify", subject="H13.9", status=0,
               outcome="unavailable")
    client.force_login(auditor)
    page = client.get("/tich-hop/nhat-ky/").content.decode()
    assert 'id="chart-open311"' in page and 'id="chart-population"' in page and "Bản ghi (4)" in page
    page = client.get("/tich-hop/nhat-ky/", {"outcome": "unavailable"}).content.decode()
    assert "Bản ghi (1)" in page and "H13.9" in page
    page = client.get("/tich-hop/nhat-ky/", {"since": "hôm qua"}).content.decode()
    assert "YYYY-MM-DD" in page  # a clear message, not a 500
    csv = b"".join(client.get("/tich-hop/nhat-ky/tai-ve.csv", {"service": "open311"}).streaming_content).decode()
    assert csv.count(",open311,") == 3 and "request_sha256" in csv and "population" not in csv
    page = client.post("/tich-hop/nhat-ky/kiem-tra/", follow=True).content.decode()
    assert "Chuỗi toàn vẹn" in page
    MessageLog.objects.filter(seq=2).update(latency_ms=999)
    page = client.post("/tich-hop/nhat-ky/kiem-tra/", follow=True).content.decode()
    assert "Chuỗi bị đứt" in page and "#2" in page
    # the auditor reads; only the administrator changes
    assert client.get(f"/tich-hop/he-thong/{system.pk}/").status_code == 403
    assert client.post("/tich-hop/he-thong/", {"name": "x"}).status_code == 403
    from tinhso.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="integration.log.searched", actor=auditor).exists()


@pytest.mark.django_db
def test_the_registry_gives_each_consumed_system_a_version_and_no_broken_specification_link(client, admin):
    import pathlib
    import re

    from tinhso.integration.registry import CONSUMED

    client.force_login(admin)
    page = client.get("/tich-hop/").content.decode()
    assert "phiên bản 1 (chưa xác minh)" in page and "QCVN 102:2016" in page
    docs = pathlib.Path(__file__).resolve().parents[3]
    for code, (_name, _owner, spec) in CONSUMED.items():
        html = client.get(f"/tich-hop/dich-vu/{code}/").content.decode()
        assert 'href="docs/' not in html and f"<code>{spec}</code>" in html, code
        path, _, anchor = spec.partition("#")
        headings = [line.lstrip("#").strip() for line in (docs / path).read_text(encoding="utf-8").splitlines()
                    if line.startswith("#")]
        slugs = {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}
        assert anchor in slugs, (code, anchor)  # the anchor GitHub makes of a real heading
