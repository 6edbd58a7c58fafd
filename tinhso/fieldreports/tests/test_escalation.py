"""Stage deadlines come from the working calendar and the ladder tells each
rung once: 80% of the time to the handlers, the deadline to the leaders and
the centre, twice the time to the level above."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from tinhso.fieldreports import actions
from tinhso.fieldreports.models import FieldReport, Reason, ReportEvent
from tinhso.notifications.models import Notification
from tinhso.workcalendar.engine import reset_cache

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args):
    return datetime.datetime(*args, tzinfo=VN)


@pytest.fixture
def holiday():
    from tinhso.workcalendar.models import CalendarDay

    CalendarDay.objects.create(date=datetime.date(2026, 12, 7), kind="holiday", name="Ngày nghỉ thử", confirmed=True)
    reset_cache()
    yield
    reset_cache()


def test_the_confirm_deadline_skips_the_weekend_and_holidays(submit, holiday):
    # Friday 4 Dec 2026, 16:00; 8 working hours: 1 h on Friday; Monday 7th is a holiday; 7 h on Tuesday 8th.
    report = submit(at=at(2026, 12, 4, 16, 0))
    due = report.stage_due_at.astimezone(VN)
    assert due.date() == datetime.date(2026, 12, 8), due


def test_each_rung_is_told_once(world, submit, django_capture_on_commit_callbacks):
    start = at(2026, 12, 1, 8, 0)  # Tuesday
    report = submit(at=start)
    actions.confirm(acting_user=world.centre, code=report.code, at=at(2026, 12, 1, 9, 0))
    report.refresh_from_db()
    handle_due = report.stage_due_at  # 3 working days
    assert report.next_escalation_at < handle_due
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.escalate(report.next_escalation_at - datetime.timedelta(minutes=1)) == {"warned": 0,
                                                                                             "breached": 0}
        counts = actions.escalate(report.next_escalation_at + datetime.timedelta(minutes=1))
    assert counts == {"warned": 1, "breached": 0}
    assert Notification.objects.filter(recipient=world.vt_handler, kind="fieldreport.due_soon").count() == 1
    assert not Notification.objects.filter(kind="fieldreport.overdue").exists()
    assert not Notification.objects.filter(recipient=world.centre, kind="fieldreport.due_soon").exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.escalate(handle_due - datetime.timedelta(minutes=1)) == {"warned": 0, "breached": 0}
        assert actions.escalate(handle_due + datetime.timedelta(minutes=1)) == {"warned": 0, "breached": 1}
        assert actions.escalate(handle_due + datetime.timedelta(hours=2)) == {"warned": 0, "breached": 0}
    assert Notification.objects.filter(recipient=world.vt_leader, kind="fieldreport.overdue").count() == 1
    assert Notification.objects.filter(recipient=world.centre, kind="fieldreport.overdue").count() == 1
    report.refresh_from_db()
    assert report.escalated_percent == 100
    with django_capture_on_commit_callbacks(execute=True):
        actions.escalate(report.next_escalation_at + datetime.timedelta(minutes=1))
    assert Notification.objects.filter(recipient=world.top_leader, kind="fieldreport.overdue").count() == 1
    assert ReportEvent.objects.filter(report=report, action="escalate").count() == 3


def test_a_finished_stage_stops_its_ladder(world, submit):
    report = submit(at=at(2026, 12, 1, 8, 0))
    actions.reject(acting_user=world.centre, code=report.code, reason_id=Reason.objects.filter(kind="reject").first().pk,
                   at=at(2026, 12, 1, 9, 0))
    assert FieldReport.objects.get(pk=report.pk).next_escalation_at is None
    assert actions.escalate(at(2027, 1, 1, 9, 0)) == {"warned": 0, "breached": 0}


def test_a_category_ladder_replaces_the_general_one(world, submit, django_capture_on_commit_callbacks):
    from tinhso.fieldreports.models import EscalationStep

    EscalationStep.objects.create(category=world.pothole, stage="confirm", percent=50, notify="parent_leaders")
    report = submit(at=at(2026, 12, 1, 8, 0))
    with django_capture_on_commit_callbacks(execute=True):
        counts = actions.escalate(report.stage_due_at + datetime.timedelta(minutes=1))
    assert counts == {"warned": 1, "breached": 0}  # only the 50% rung exists for this category


def test_the_due_soon_list_follows_the_rule_without_waiting_for_the_job(world, submit):
    from tinhso.fieldreports.queries import tab_queryset

    report = submit(at=at(2026, 12, 1, 8, 0))
    assert report.stage_warn_at < report.stage_due_at
    before = report.stage_warn_at - datetime.timedelta(minutes=1)
    assert not tab_queryset(world.centre, "due_soon", before).filter(pk=report.pk).exists()
    assert tab_queryset(world.centre, "due_soon", report.stage_warn_at).filter(pk=report.pk).exists()
    assert tab_queryset(world.centre, "overdue", report.stage_due_at + datetime.timedelta(minutes=1)).filter(
        pk=report.pk).exists()
