"""The centre edits categories and their dated deadlines and routes; running
reports keep the rule they started under."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tinhso.audit.models import AuditEvent
from tinhso.core.errors import Conflict, InvalidInput, PermissionDenied
from tinhso.fieldreports import actions, rules
from tinhso.fieldreports.actions import categories
from tinhso.fieldreports.models import CategoryRoute, ReportCategory

pytestmark = pytest.mark.django_db


def test_only_the_centre_edits_categories(world):
    with pytest.raises(PermissionDenied):
        categories.save_category(acting_user=world.vt_handler, code="GT01", data={"name": "x", "group": "y"})
    with pytest.raises(InvalidInput) as caught:
        categories.save_category(acting_user=world.centre, code="GT01", data={"name": "", "group": "x"}, create=True)
    assert {"code", "name"} <= {e["field"] for e in caught.value.errors}
    made = categories.save_category(acting_user=world.centre, code="dt09", create=True,
                                    data={"name": "Vỉa hè hư hỏng", "group": "Hạ tầng đô thị", "is_public": True})
    assert made.code == "DT09"
    categories.save_category(acting_user=world.centre, code="DT09", data={"name": "Vỉa hè, bó vỉa hư hỏng",
                                                                          "group": "Hạ tầng đô thị"})
    assert AuditEvent.objects.filter(action="fieldreports.category.changed",
                                     changes__name__1="Vỉa hè, bó vỉa hư hỏng").exists()


def test_a_new_deadline_applies_to_new_reports_only(world, submit):
    running = submit()
    first_due = running.stage_due_at
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    categories.set_deadline(acting_user=world.centre, code="GT01", stage="confirm", amount=2, unit="working_hours",
                            valid_from=tomorrow)
    assert rules.deadline(world.pothole, "confirm", timezone.now()) == (8, "working_hours")
    later = timezone.now() + datetime.timedelta(days=2)
    assert rules.deadline(world.pothole, "confirm", later) == (2, "working_hours")
    running.refresh_from_db()
    assert running.stage_due_at == first_due
    with pytest.raises(InvalidInput):
        categories.set_deadline(acting_user=world.centre, code="GT01", stage="confirm", amount=0,
                                unit="working_hours")
    with pytest.raises(InvalidInput):
        categories.set_deadline(acting_user=world.centre, code="GT01", stage="confirm", amount=3, unit="days",
                                valid_from=timezone.localdate() - datetime.timedelta(days=3))


def test_a_new_route_ends_the_old_one(world, submit):
    categories.add_route(acting_user=world.centre, code="GT01", agency_id=world.construction.pk,
                         unit_id=world.vithanh.pk)
    old = CategoryRoute.objects.get(category=world.pothole, unit=world.vithanh, agency=world.vt)
    assert old.valid_to == timezone.localdate() - datetime.timedelta(days=1)
    report = submit()
    assert actions.confirm(acting_user=world.centre, code=report.code).agency == world.construction
    with pytest.raises(Conflict):
        categories.add_route(acting_user=world.centre, code="GT01", agency_id=world.construction.pk,
                             unit_id=world.vithanh.pk)
    route = CategoryRoute.objects.get(category=world.pothole, unit=world.vithanh, agency=world.construction)
    categories.end_route(acting_user=world.centre, route_id=route.pk, last_day=timezone.localdate())
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    assert rules.route(world.pothole, world.vithanh, tomorrow) is None  # back to the centre's queue


def test_category_pages(client, world):
    client.force_login(world.vt_handler)
    assert client.get(reverse("fieldreports:categories")).status_code == 403
    client.force_login(world.centre)
    assert "GT01" in client.get(reverse("fieldreports:categories")).content.decode()
    response = client.post(reverse("fieldreports:category_new"), {"code": "MT09", "name": "Khói bụi công trình",
                                                                  "group": "Môi trường", "is_public": "on"})
    assert response.status_code == 302 and ReportCategory.objects.filter(code="MT09", is_public=True).exists()
    bad = client.post(reverse("fieldreports:category_new"), {"code": "MT09", "name": "Trùng mã", "group": "Môi trường"})
    assert bad.status_code == 422 and "Mã này đã có." in bad.content.decode()
    client.post(reverse("fieldreports:category_deadline", args=["MT09"]),
                {"stage": "handle", "amount": "5", "unit": "working_days"})
    client.post(reverse("fieldreports:category_route", args=["MT09"]), {"agency": world.construction.pk, "unit": ""})
    page = client.get(reverse("fieldreports:category_edit", args=["MT09"])).content.decode()
    assert "5 ngày làm việc" in page and "Sở Xây dựng" in page and "Toàn tỉnh" in page
