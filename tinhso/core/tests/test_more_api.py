"""The API for pages that had none: audit log, notices, staff and roles,
dated rules. Each is permission-checked like its page; bad input is a 4xx."""

import datetime
import json

import pytest
from django.utils import timezone

from tinhso.accounts.models import RoleAssignment, User
from tinhso.audit.models import AuditEvent
from tinhso.notifications.actions import notify
from tinhso.testing import make_staff


@pytest.fixture
def clerk(agency):
    return make_staff("motcua", roles=[("clerk", agency)])


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


@pytest.mark.django_db
def test_audit_log_is_for_administrators_only(client, admin_user, clerk):
    assert client.get("/api/v1/audit").status_code == 401
    client.force_login(clerk)
    assert client.get("/api/v1/audit").status_code == 403
    client.force_login(admin_user)
    post(client, "/api/v1/staff", {"username": "moi", "full_name": "Cán bộ mới", "password": "Matkhau-2026!x"})
    body = client.get("/api/v1/audit", {"action": "accounts.user."}).json()
    assert body["count"] >= 1 and all(e["action"].startswith("accounts.user.") for e in body["items"])
    assert client.get("/api/v1/audit", {"limit": 0}).status_code == 422


@pytest.mark.django_db
def test_notices_are_ones_own(client, clerk, admin_user):
    notify([clerk], kind="test", title="Việc của cán bộ một cửa")
    notify([admin_user], kind="test", title="Việc của quản trị")
    client.force_login(clerk)
    body = client.get("/api/v1/notifications").json()
    assert [n["title"] for n in body["items"]] == ["Việc của cán bộ một cửa"] and body["unread"] == 1
    others = list(admin_user.notifications.values_list("pk", flat=True))
    assert post(client, "/api/v1/notifications/read", {"ids": others}).json() == {"marked": 0}
    assert post(client, "/api/v1/notifications/read", {}).json() == {"marked": 1}
    assert client.get("/api/v1/notifications", {"unread": True}).json()["count"] == 0


@pytest.mark.django_db
def test_staff_and_roles_through_the_api(client, admin_user, clerk, agency):
    client.force_login(clerk)
    assert client.get("/api/v1/staff").status_code == 403
    assert post(client, "/api/v1/staff", {"username": "x", "full_name": "X", "password": "Matkhau-2026!x"}
                ).status_code == 403
    client.force_login(admin_user)
    created = post(client, "/api/v1/staff", {"username": "chuyenvien2", "full_name": "Lê Văn Hai",
                                              "password": "Matkhau-2026!x"})
    assert created.status_code == 201 and "password" not in created.json()
    uid = created.json()["id"]
    assert post(client, "/api/v1/staff", {"username": "chuyenvien2", "full_name": "Trùng",
                                          "password": "Matkhau-2026!x"}).status_code == 409
    bad = post(client, f"/api/v1/staff/{uid}/roles", {"role": "specialist", "agency": "000.99.99.H13"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "agency"
    assert post(client, f"/api/v1/staff/{uid}/roles", {"role": "janitor", "agency": agency.code}).status_code == 422
    given = post(client, f"/api/v1/staff/{uid}/roles", {"role": "specialist", "agency": agency.code})
    assert given.status_code == 201 and given.json()["roles"][0]["role"] == "specialist"
    assignment = RoleAssignment.objects.get(user_id=uid)
    assert client.delete(f"/api/v1/staff/{uid}/roles/{assignment.pk}").json()["roles"] == []
    assert AuditEvent.objects.filter(action="accounts.role.revoked").exists()
    citizen = User.objects.create_user(username="cd-9", is_citizen=True, id_number="092085009999")
    assert client.get(f"/api/v1/staff/{citizen.pk}").status_code == 404  # citizens are not staff records


@pytest.mark.django_db
def test_dated_rules_through_the_api(client, admin_user, clerk):
    client.force_login(clerk)
    assert client.get("/api/v1/policies").status_code == 403
    client.force_login(admin_user)
    rules = {p["key"]: p for p in client.get("/api/v1/policies").json()}
    assert rules["dossiers.max_supplement_requests"]["value"] == 1
    later = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    made = post(client, "/api/v1/policies/dossiers.max_supplement_requests", {"value": 2, "effective_from": later})
    assert made.status_code == 201 and made.json()["changes"][0]["value"] == 2
    past = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    refused = post(client, "/api/v1/policies/dossiers.max_supplement_requests", {"value": 2, "effective_from": past})
    assert refused.status_code == 422 and "quá khứ" in refused.json()["message"]
    assert post(client, "/api/v1/policies/khong.co", {"value": 1, "effective_from": later}).status_code == 404
