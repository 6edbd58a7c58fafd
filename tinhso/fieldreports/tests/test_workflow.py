"""Every transition of a field report, allowed and refused, with its history,
audit and stage rows."""

from __future__ import annotations

import datetime

import pytest

from tinhso.audit.models import AuditEvent
from tinhso.core.errors import Conflict, InvalidInput, PermissionDenied
from tinhso.fieldreports import actions
from tinhso.fieldreports.models import Reason, ReportEvent, ReportFollower, ReportMedia, StageRecord, Status
from tinhso.fieldreports.tests.conftest import jpeg

pytestmark = pytest.mark.django_db


def reason(kind):
    return Reason.objects.filter(kind=kind).first().pk


def to_published(world, report):
    actions.confirm(acting_user=world.centre, code=report.code)
    actions.accept(acting_user=world.vt_handler, code=report.code)
    actions.start_work(acting_user=world.vt_handler, code=report.code)
    actions.answer(acting_user=world.vt_handler, code=report.code, text="Đã vá ổ gà.", files=[jpeg(name="sau.jpg")])
    return actions.publish(acting_user=world.centre, code=report.code)


def test_the_whole_happy_path_writes_history_audit_and_stages(world, submit, citizen):
    report = submit()
    assert report.status == Status.NEW and report.stage == "confirm" and report.code.startswith("PA-")
    report = actions.confirm(acting_user=world.centre, code=report.code)
    assert report.status == Status.ASSIGNED and report.agency == world.vt and report.stage == "handle"
    actions.accept(acting_user=world.vt_handler, code=report.code)
    actions.start_work(acting_user=world.vt_handler, code=report.code)
    report = actions.answer(acting_user=world.vt_handler, code=report.code, text="Đã vá xong ổ gà.",
                            files=[jpeg(name="sau.jpg")])
    assert report.status == Status.ANSWERED and report.stage == "answer"
    report = actions.publish(acting_user=world.centre, code=report.code)
    assert report.status == Status.PUBLISHED and report.published_at and report.stage == ""
    report = actions.rate(acting_user=citizen, code=report.code, rating="very_satisfied", comment="Cảm ơn")
    assert report.status == Status.CLOSED and report.closed_at
    actions_done = list(ReportEvent.objects.filter(report=report).values_list("action", flat=True))
    assert actions_done == ["submit", "confirm", "accept", "start", "answer", "publish", "rate"]
    audited = set(AuditEvent.objects.filter(object_id=str(report.pk), action__startswith="fieldreports.")
                  .values_list("action", flat=True))
    assert {"fieldreports.submit", "fieldreports.confirm", "fieldreports.publish", "fieldreports.rate"} <= audited
    stages = list(StageRecord.objects.filter(report=report).values_list("stage", "on_time"))
    assert stages == [("confirm", True), ("handle", True), ("answer", True)]
    assert ReportMedia.objects.filter(report=report, role="evidence").count() == 1


@pytest.mark.parametrize("status_path, action, who, error", [
    ([], "accept", "vt_handler", PermissionDenied),                # a new report is at no agency yet
    ([], "publish", "centre", Conflict),                           # nothing to publish
    ([], "confirm", "vt_handler", PermissionDenied),               # only the centre confirms
    ([], "reject", "citizen", PermissionDenied),
    (["confirm"], "confirm", "centre", Conflict),                  # confirmed twice
    (["confirm"], "accept", "nk_handler", PermissionDenied),       # another commune's staff
    (["confirm"], "answer", "vt_handler", Conflict),               # answer before accepting
    (["confirm", "accept"], "reject", "centre", Conflict),         # rejection is for new reports
    (["confirm", "accept"], "publish", "centre", Conflict),
    (["confirm", "accept"], "rate", "citizen", Conflict),
])
def test_refused_transitions(world, submit, citizen, status_path, action, who, error):
    report = submit()
    for step in status_path:
        if step == "confirm":
            actions.confirm(acting_user=world.centre, code=report.code)
        elif step == "accept":
            actions.accept(acting_user=world.vt_handler, code=report.code)
    user = citizen if who == "citizen" else getattr(world, who)
    calls = {
        "accept": lambda: actions.accept(acting_user=user, code=report.code),
        "publish": lambda: actions.publish(acting_user=user, code=report.code),
        "confirm": lambda: actions.confirm(acting_user=user, code=report.code),
        "reject": lambda: actions.reject(acting_user=user, code=report.code, reason_id=reason("reject")),
        "answer": lambda: actions.answer(acting_user=user, code=report.code, text="x", files=[jpeg()]),
        "rate": lambda: actions.rate(acting_user=user, code=report.code, rating="satisfied"),
    }
    before = ReportEvent.objects.filter(report=report).count()
    with pytest.raises(error):
        calls[action]()
    assert ReportEvent.objects.filter(report=report).count() == before, "a refused action wrote history"


def test_reject_needs_a_reason_from_the_list_and_tells_the_reporter(world, submit,
                                                                  django_capture_on_commit_callbacks):
    from tinhso.notifications.models import OutgoingMessage

    report = submit()
    with pytest.raises(InvalidInput):
        actions.reject(acting_user=world.centre, code=report.code, reason_id=None, text="không rõ")
    with django_capture_on_commit_callbacks(execute=True):
        report = actions.reject(acting_user=world.centre, code=report.code, reason_id=reason("reject"),
                                text="Ảnh mờ")
    assert report.status == Status.REJECTED and report.reason_text == "Ảnh mờ"
    assert OutgoingMessage.objects.filter(field_report=report, event="fr_rejected").exists()


def test_answer_without_evidence_is_refused_where_the_category_requires_it(world, submit):
    report = submit()
    actions.confirm(acting_user=world.centre, code=report.code)
    actions.accept(acting_user=world.vt_handler, code=report.code)
    with pytest.raises(InvalidInput) as caught:
        actions.answer(acting_user=world.vt_handler, code=report.code, text="Đã xử lý.")
    assert caught.value.errors[0]["field"] == "evidence"
    other = submit(category_code="KH01")
    actions.confirm(acting_user=world.centre, code=other.code)
    assert other.__class__.objects.get(pk=other.pk).status == Status.CONFIRMED  # no route: the centre's queue
    actions.assign(acting_user=world.centre, code=other.code, agency_id=world.vt.pk)
    actions.accept(acting_user=world.vt_handler, code=other.code)
    assert actions.answer(acting_user=world.vt_handler, code=other.code, text="Đã trả lời.").status == Status.ANSWERED


def test_return_to_centre_then_transfer_and_send_back(world, submit):
    report = submit()
    actions.confirm(acting_user=world.centre, code=report.code)
    report = actions.return_to_centre(acting_user=world.vt_handler, code=report.code, reason_id=reason("return"))
    assert report.status == Status.CONFIRMED and report.agency is None and report.stage == "confirm"
    with pytest.raises(PermissionDenied):
        actions.accept(acting_user=world.vt_handler, code=report.code)
    actions.assign(acting_user=world.centre, code=report.code, agency_id=world.nk.pk)
    report = actions.transfer(acting_user=world.centre, code=report.code, agency_id=world.vt.pk, note="Đúng địa bàn")
    assert report.agency == world.vt and report.status == Status.ASSIGNED
    with pytest.raises(Conflict):
        actions.transfer(acting_user=world.centre, code=report.code, agency_id=world.vt.pk)
    actions.accept(acting_user=world.vt_handler, code=report.code)
    actions.answer(acting_user=world.vt_handler, code=report.code, text="Xong.", files=[jpeg()])
    report = actions.send_back(acting_user=world.centre, code=report.code, reason_id=reason("send_back"))
    assert report.status == Status.IN_PROGRESS and report.stage == "handle"
    assert not ReportEvent.objects.get(report=report, action="return").public  # internal steps stay internal


def test_reopen_within_the_window_when_not_satisfied(world, submit, citizen):
    report = to_published(world, submit())
    actions.rate(acting_user=citizen, code=report.code, rating="not_satisfied", comment="Vẫn còn ổ gà")
    report = actions.reopen(acting_user=citizen, code=report.code, comment="Chưa vá hết")
    assert report.status == Status.ASSIGNED and report.agency == world.vt and report.reopen_count == 1

    satisfied = to_published(world, submit(description="Ổ gà thứ hai"))
    actions.rate(acting_user=citizen, code=satisfied.code, rating="satisfied")
    with pytest.raises(Conflict):
        actions.reopen(acting_user=citizen, code=satisfied.code, comment="x")

    late = to_published(world, submit(description="Ổ gà thứ ba"))
    with pytest.raises(Conflict) as caught:
        actions.reopen(acting_user=citizen, code=late.code, comment="x",
                       at=late.published_at + datetime.timedelta(days=8))
    assert caught.value.code == "reopen_window_passed"
    with pytest.raises(PermissionDenied):
        actions.reopen(acting_user=world.vt_handler, code=late.code, comment="x")


def test_merge_moves_followers_and_photos_and_points_to_the_original(world, submit, citizen):
    from tinhso.accounts.models import User

    original = submit()
    neighbour = User.objects.create(username="cccd-2", id_number="092085009999", is_citizen=True, full_name="Bình")
    duplicate = submit(acting_user=neighbour, files=[jpeg(name="trung.jpg")])
    report = actions.merge(acting_user=world.centre, code=duplicate.code, into=original.code)
    assert report.status == Status.MERGED and report.duplicate_of == original
    assert ReportFollower.objects.filter(report=original, user=neighbour).exists()
    assert ReportMedia.objects.filter(report=original, moved_from=duplicate).count() == 1
    with pytest.raises(InvalidInput):
        actions.merge(acting_user=world.centre, code=original.code, into=original.code)
    with pytest.raises(Conflict):
        actions.merge(acting_user=world.centre, code=duplicate.code, into=original.code)


def test_hide_and_unhide_with_a_reason_told_to_the_reporter(world, submit, django_capture_on_commit_callbacks):
    from tinhso.notifications.models import OutgoingMessage

    report = submit()
    actions.confirm(acting_user=world.centre, code=report.code)
    with django_capture_on_commit_callbacks(execute=True):
        report = actions.hide(acting_user=world.centre, code=report.code, reason_id=reason("hide"),
                              text="Có biển số xe")
    assert report.hidden_at and "biển số" in report.hidden_reason and not report.is_public
    assert OutgoingMessage.objects.filter(field_report=report, event="fr_hidden").exists()
    with pytest.raises(Conflict):
        actions.hide(acting_user=world.centre, code=report.code, reason_id=reason("hide"))
    assert actions.unhide(acting_user=world.centre, code=report.code).is_public


def test_unrated_published_reports_close_after_the_rule_days(world, submit):
    report = to_published(world, submit())
    assert actions.close_unrated(report.published_at + datetime.timedelta(days=6)) == 0
    assert actions.close_unrated(report.published_at + datetime.timedelta(days=7, hours=1)) == 1
    report.refresh_from_db()
    assert report.status == Status.CLOSED and report.rating == ""


def test_staff_and_citizens_are_told_after_commit(world, submit, django_capture_on_commit_callbacks):
    from tinhso.notifications.models import Notification, OutgoingMessage

    with django_capture_on_commit_callbacks(execute=True):
        report = submit()
    assert Notification.objects.filter(recipient=world.centre, kind="fieldreport.new").exists()
    assert OutgoingMessage.objects.filter(field_report=report, event="fr_received").count() == 2  # e-mail + SMS
    with django_capture_on_commit_callbacks(execute=True):
        actions.confirm(acting_user=world.centre, code=report.code)
    assert Notification.objects.filter(recipient=world.vt_handler, kind="fieldreport.assigned").exists()
    assert not Notification.objects.filter(recipient=world.nk_handler).exists()


def test_a_rolled_back_transition_leaves_nothing(world, submit):
    report = submit()
    before = (ReportEvent.objects.count(), AuditEvent.objects.count(), StageRecord.objects.count())
    with pytest.raises(InvalidInput):
        actions.confirm(acting_user=world.centre, code=report.code, category_code="NOPE")
    assert (ReportEvent.objects.count(), AuditEvent.objects.count(), StageRecord.objects.count()) == before
    assert report.__class__.objects.get(pk=report.pk).status == Status.NEW


def test_an_answer_and_its_evidence_are_public_only_once_published(world, submit, citizen, client):
    from django.urls import reverse

    report = to_published(world, submit())
    actions.rate(acting_user=citizen, code=report.code, rating="not_satisfied", comment="Chưa xong")
    actions.reopen(acting_user=citizen, code=report.code, comment="Vẫn còn ổ gà")
    actions.accept(acting_user=world.vt_handler, code=report.code)
    actions.answer(acting_user=world.vt_handler, code=report.code, text="LAN HAI: đã vá lại toàn bộ.",
                   files=[jpeg(name="lan-hai.jpg")])
    page = client.get(reverse("fieldreports:public_detail", args=[report.code])).content.decode()
    assert "Đã vá ổ gà." in page and "LAN HAI" not in page  # the earlier published answer, not the new draft one
    second = ReportMedia.objects.get(report=report, original_name="lan-hai.jpg")
    assert client.get(reverse("fieldreports:public_media", args=[report.code, second.pk])).status_code == 404
    actions.publish(acting_user=world.centre, code=report.code)
    page = client.get(reverse("fieldreports:public_detail", args=[report.code])).content.decode()
    assert "LAN HAI" in page
    assert client.get(reverse("fieldreports:public_media", args=[report.code, second.pk])).status_code == 200


def test_a_reason_that_is_not_a_number_is_a_clear_error(world, submit):
    report = submit()
    with pytest.raises(InvalidInput):
        actions.reject(acting_user=world.centre, code=report.code, reason_id="abc'; drop", text="x")
