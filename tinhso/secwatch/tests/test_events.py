"""Events from the hooks and the pulls; alert rules fire once per window."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from tinhso.accounts import signin
from tinhso.audit.actions import record
from tinhso.audit.models import AuditEvent
from tinhso.core.errors import InvalidInput, PermissionDenied
from tinhso.secwatch import actions, collect
from tinhso.secwatch.events import record_event
from tinhso.secwatch.models import Alert, AlertRule, SecurityEvent
from tinhso.testing import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(agency):
    return make_staff("kiemtra", roles=[("auditor", agency)], two_factor=False)


def test_failed_sign_ins_and_two_factor_codes_become_events(client, agency):
    make_staff("motcua", roles=[("clerk", agency)])
    client.post("/accounts/login/", {"username": "motcua", "password": "sai"}, REMOTE_ADDR="10.0.0.7")
    event = SecurityEvent.objects.get(kind="signin_failed")
    assert (event.username, event.address, event.severity) == ("motcua", "10.0.0.7", "warning")
    signin.record_failure("motcua", "10.0.0.7", stage="otp")
    assert SecurityEvent.objects.filter(kind="otp_failed", username="motcua").count() == 1


def test_a_403_page_and_api_answer_become_permission_events(client, agency):
    clerk = make_staff("motcua", roles=[("clerk", agency)])
    client.force_login(clerk)
    assert client.get("/an-ninh/", REMOTE_ADDR="10.0.0.8").status_code == 403
    assert client.get("/api/v1/security/events").status_code == 403
    rows = list(SecurityEvent.objects.filter(kind="permission_denied").values_list("username", "detail"))
    assert [(u, d["path"]) for u, d in rows] == [("motcua", "/api/v1/security/events"), ("motcua", "/an-ninh/")]


def test_pull_reads_audit_and_gateway_rows_once_from_the_cursor(agency, admin_user):
    from tinhso.integration import log
    from tinhso.integration.models import Outcome

    with transaction.atomic():
        record(actor=admin_user, action="accounts.role.assigned", obj=agency)
        record(actor=admin_user, action="dossiers.viewed", obj=agency, personal_data=True)
        record(actor=None, action="accounts.signin.locked", changes={"key": "x", "address": "1.2.3.4"})
        record(actor=admin_user, action="dossiers.received", obj=agency)  # not a security event
    AuditEvent.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    for outcome in (Outcome.OK, Outcome.REFUSED, Outcome.LIMITED):
        log.append(direction="in", service="dossiers", operation="GET /api/v1/dossiers", status=403,
                   outcome=outcome, address="203.0.113.9")
    assert collect.collect() == {"audit": 3, "gateway": 2}
    assert collect.collect() == {"audit": 0, "gateway": 0}
    kinds = sorted(SecurityEvent.objects.values_list("kind", flat=True))
    assert kinds == ["admin_change", "api_limited", "api_refused", "personal_data", "signin_locked"]
    assert SecurityEvent.objects.get(kind="signin_locked").address == "1.2.3.4"


def test_rule_fires_once_per_window_and_mails_once(agency, django_capture_on_commit_callbacks):
    AlertRule.objects.all().delete()
    rule = AlertRule.objects.create(name="Dò mật khẩu", kind="signin_failed", threshold=20, window_minutes=10,
                                    group_by="username", severity="high", recipients="attt@cantho.gov.vn")
    start = timezone.now() - datetime.timedelta(minutes=30)
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(45):  # 45 failures in 15 minutes: one alert, not 26
            record_event("signin_failed", username="lanhdao", address="45.1.1.1",
                         at=start + datetime.timedelta(seconds=20 * i))
        for i in range(19):  # another account under the threshold
            record_event("signin_failed", username="vanthu", at=start + datetime.timedelta(seconds=20 * i))
    assert Alert.objects.filter(rule=rule).count() == 1
    assert len(mail.outbox) == 1 and "Dò mật khẩu" in mail.outbox[0].subject
    assert mail.outbox[0].to == ["attt@cantho.gov.vn"]
    assert SecurityEvent.objects.filter(kind="alert").count() == 1
    later = start + datetime.timedelta(minutes=25)  # a new window: may fire again
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(20):
            record_event("signin_failed", username="lanhdao", at=later + datetime.timedelta(seconds=i))
    assert Alert.objects.filter(rule=rule).count() == 2 and len(mail.outbox) == 2


def test_rules_are_edited_by_the_admin_only_and_checked(admin_user, officer):
    data = {"name": "Quá nhiều từ chối", "kind": "permission_denied", "threshold": "30", "window_minutes": "10",
            "group_by": "username", "severity": "warning", "recipients": "attt@cantho.gov.vn", "active": "1"}
    with pytest.raises(PermissionDenied):
        actions.save_rule(acting_user=officer, data=data)
    with pytest.raises(InvalidInput) as bad:
        actions.save_rule(acting_user=admin_user, data={**data, "threshold": "0", "recipients": "khong-phai-thu"})
    assert {e["field"] for e in bad.value.errors} == {"threshold", "recipients"}
    rule = actions.save_rule(acting_user=admin_user, data=data)
    actions.save_rule(acting_user=admin_user, data={**data, "threshold": "40"}, rule_id=rule.pk)
    assert AlertRule.objects.get(pk=rule.pk).threshold == 40
    assert AuditEvent.objects.filter(action="secwatch.rule.updated", changes__threshold=[30, 40]).exists()


def test_officer_screen_filters_and_rejects_bad_dates(client, officer):
    record_event("signin_failed", username="a", address="10.0.0.1")
    record_event("signature_invalid", "warning", detail={"x": 1})
    client.force_login(officer)
    page = client.get("/an-ninh/", {"kind": "signin_failed"}).content.decode()
    assert 'id="chart-events"' in page and "Đăng nhập sai mật khẩu" in page
    response = client.get("/an-ninh/", {"since": "hôm qua", "user": "a"})
    assert response.status_code == 200 and "không đúng dạng" in response.content.decode()
    assert client.get("/an-ninh/quy-tac/").status_code == 200
    assert client.post("/an-ninh/kiem-tra-nhat-ky/").status_code == 403


@pytest.mark.parametrize("query", [{"until": "9999-12-31"}, {"since": "0001-01-01", "until": "0001-01-02"},
                                   {"since": "1999-12-31"}, {"until": "2100-01-01"}])
def test_dates_out_of_range_get_a_message_never_a_500(client, officer, query):
    """A day is added to `until` and the period is turned into times: the
    extremes of the calendar used to overflow (500) on the page and the exports."""
    record_event("signin_failed", username="a", address="10.0.0.1")
    client.force_login(officer)
    response = client.get("/an-ninh/", query)
    assert response.status_code == 200
    assert "nằm ngoài khoảng cho phép (01/01/2000 – 31/12/2099)" in response.content.decode()
    for url in ("/an-ninh/xuat/su-kien.jsonl", "/an-ninh/xuat/syslog.log"):
        response = client.get(url, query)
        assert response.status_code == 422 and "nằm ngoài khoảng cho phép" in response.content.decode()
    assert client.get("/an-ninh/xuat/su-kien.jsonl", {"since": "2026-01-01", "until": "2026-01-02"}).status_code == 200


def test_a_failing_rule_evaluation_never_breaks_the_action_that_emitted_the_event(client, agency, caplog):
    """A broken rule row (group_by naming no field) raises inside the
    evaluation; the sign-in page still answers, the event is stored, the
    error is logged."""
    make_staff("motcua", roles=[("clerk", agency)])
    AlertRule.objects.all().delete()
    AlertRule.objects.create(name="Hỏng", kind="signin_failed", threshold=1, window_minutes=10, group_by="khong_co",
                             severity="high", recipients="attt@cantho.gov.vn")
    with caplog.at_level("ERROR", logger="tinhso.secwatch"):
        response = client.post("/accounts/login/", {"username": "motcua", "password": "sai"}, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 200 and "Tên đăng nhập" in response.content.decode()
    assert SecurityEvent.objects.filter(kind="signin_failed", username="motcua").count() == 1
    assert not Alert.objects.exists()
    assert "could not evaluate the alert rules" in caplog.text
    with transaction.atomic():  # inside the caller's transaction too: it stays usable
        event = record_event("signin_failed", username="motcua")
        assert event is not None and SecurityEvent.objects.filter(pk=event.pk).exists()


def test_a_rule_without_recipients_mails_the_security_officers(agency, django_capture_on_commit_callbacks):
    """The default rules carry no address: they mail the staff holding the
    auditor role today who have an e-mail address."""
    from tinhso.accounts.models import RoleAssignment

    officer = make_staff("giamsat.attt", roles=[("auditor", agency)])
    officer.email = "giamsat@cantho.gov.vn"
    officer.save()
    make_staff("giamsat.khongthu", roles=[("auditor", agency)])  # no e-mail address
    former = make_staff("giamsat.cu", roles=[("auditor", agency)])
    former.email = "cu@cantho.gov.vn"
    former.save()
    RoleAssignment.objects.filter(user=former).update(valid_to=timezone.localdate() - datetime.timedelta(days=1))
    clerk = make_staff("motcua.thu", roles=[("clerk", agency)])
    clerk.email = "motcua@cantho.gov.vn"
    clerk.save()
    default = AlertRule.objects.get(kind="audit_integrity")  # from the data migration: no recipients
    assert default.recipient_list() == []
    with django_capture_on_commit_callbacks(execute=True):
        record_event("audit_integrity", "critical", detail={"problems": [{"seal": "1..3", "problem": "sửa"}]})
    assert Alert.objects.filter(rule=default).count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["giamsat@cantho.gov.vn"]
    assert "Nhật ký hệ thống mất toàn vẹn" in mail.outbox[0].subject
    default.recipients = "attt@cantho.gov.vn"  # an address on the rule replaces the officers
    default.save()
    Alert.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        record_event("audit_integrity", "critical", detail={})
    assert mail.outbox[-1].to == ["attt@cantho.gov.vn"]
