"""Agency edits over the API: system administrators only, through the actions."""

import json

import pytest

from tinhso.audit.models import AuditEvent
from tinhso.testing import make_staff


def _send(client, method, url, data):
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


@pytest.mark.django_db
def test_administrators_add_and_edit_agencies(client, admin_user, agency, commune):
    data = {"code": "000.00.31.H13", "name": "Sở Khoa học và Công nghệ", "kind": "department",
            "unit_code": "92", "parent_code": agency.code}
    client.force_login(make_staff("motcua", roles=[("clerk", agency)]))
    assert _send(client, "post", "/api/v1/agencies", data).status_code == 403
    client.force_login(admin_user)
    made = _send(client, "post", "/api/v1/agencies", data)
    assert made.status_code == 201 and made.json()["parent_code"] == agency.code
    assert _send(client, "post", "/api/v1/agencies", data).status_code == 409
    bad = _send(client, "post", "/api/v1/agencies", {**data, "code": "x", "unit_code": "00000"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "unit_code"
    assert _send(client, "post", "/api/v1/agencies", {**data, "code": "y", "kind": "palace"}).status_code == 422
    changed = _send(client, "patch", "/api/v1/agencies/000.00.31.H13", {"short_name": "Sở KH&CN"})
    assert changed.status_code == 200 and changed.json()["short_name"] == "Sở KH&CN"
    assert _send(client, "patch", "/api/v1/agencies/khong-co", {"name": "x"}).status_code == 404
    assert AuditEvent.objects.filter(action__startswith="agencies.agency.").count() == 2
