"""The document page and the API take their steps from one table
(`actions/dispatch.py`): the same names reach the same actions."""

from __future__ import annotations

import pytest

from tinhso.officialdocs.models import DocStatus, OfficialDocument
from tinhso.officialdocs.tests.test_workflow import draft

pytestmark = pytest.mark.django_db


def test_the_page_and_the_api_share_one_action_table():
    from tinhso.officialdocs import api
    from tinhso.officialdocs.actions.dispatch import ACTIONS
    from tinhso.officialdocs.views import pages

    assert pages.ACTIONS is ACTIONS and api.ACTIONS is ACTIONS
    assert {"submit", "approve", "send_back", "sign", "issue", "register", "return", "assign", "start", "complete",
            "progress", "recall", "recall_accept", "recall_refuse"} == set(ACTIONS)


def test_a_step_by_name_from_the_page_and_from_the_api(offices, client):
    o = offices
    doc = draft(o)
    client.force_login(o.specialist)
    assert client.post(f"/van-ban/{doc.pk}/thao-tac/no_such_step/").status_code == 404
    assert client.post(f"/api/v1/documents/{doc.pk}/actions/no_such_step").status_code == 404
    response = client.post(f"/van-ban/{doc.pk}/thao-tac/submit/")
    assert response.status_code == 302
    assert OfficialDocument.objects.get(pk=doc.pk).status == DocStatus.REVIEW
    client.force_login(o.head)
    answer = client.post(f"/api/v1/documents/{doc.pk}/actions/send_back", {"note": "Sửa trích yếu"})
    assert answer.status_code == 200 and answer.json()["status"] == DocStatus.DRAFT
    assert doc.events.filter(action="send_back", note="Sửa trích yếu").exists()
