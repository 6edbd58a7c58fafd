"""One-stop-shop conformance (issue 17): the figures an inspector recomputes.

Each test fails on the code before the change: outcomes judged against the
original appointment, closures counted by a dated rule, apology letters
approved by the leader and delivered signed, the two kinds of supplement
request, the supplement deadline enforced and reminded, the online check's
time limit, refusal on the merits, the result file, withdrawal on record."""

import datetime

import pytest
from django.core import mail

from tinhso.core.errors import InvalidInput, PermissionDenied
from tinhso.dashboard.queries import Period, summary
from tinhso.dossiers import actions
from tinhso.dossiers.actions import ComponentInput
from tinhso.dossiers.jobs import flag_deadlines
from tinhso.dossiers.models import Dossier, Outcome, ResultKind, Status
from tinhso.dossiers.tests.conftest import APPLICANT, pdf, receive, vn
from tinhso.notifications.models import Notification, OutgoingMessage
from tinhso.policies import actions as policy_actions
from tinhso.signatures.models import SignedDocument

# conftest.receive: counter reception on Monday 2/3/2026 08:00; the case takes 3 working days -> 5/3 08:00.
DUE = vn(2026, 3, 5, 8, 0)


def _processing(w, at=None):
    d = receive(w, at=at)
    return actions.forward(acting_user=w.clerk, dossier=d, receiver=w.specialist,
                           at=(at or vn(2026, 3, 2, 8, 0)) + datetime.timedelta(hours=1))


def _at_leader(w, d, at):
    d = actions.forward(acting_user=w.specialist, dossier=d, receiver=w.head, at=at)
    return actions.forward(acting_user=w.head, dossier=d, receiver=w.leader, at=at + datetime.timedelta(minutes=5))


def _owner_with_email(w):
    Dossier.objects.update(owner_email="an@example.vn")


# --- 1. outcomes against the original appointment; closures by a dated rule -----------------------------------

def test_a_dossier_finished_after_the_original_appointment_is_late_despite_the_apology(world):
    w = world
    d = _processing(w)
    assert d.original_due_at == d.due_at == DUE
    d = actions.apologise(acting_user=w.leader, dossier=d, new_due_at=vn(2026, 3, 12, 8, 0), reason="Cần xác minh",
                          at=vn(2026, 3, 3, 10, 0))
    assert d.due_at == vn(2026, 3, 12, 8, 0) and d.original_due_at == DUE  # the extension is shown beside it
    d = _at_leader(w, d, vn(2026, 3, 9, 8, 0))
    d = actions.finish(acting_user=w.leader, dossier=d, result_summary="GCN kết hôn", result_files=[pdf()],
                       at=vn(2026, 3, 9, 10, 0))  # before the new appointment, after the original one
    assert d.outcome == Outcome.LATE and d.handled_at == vn(2026, 3, 9, 10, 0)
    assert datetime.datetime.fromisoformat(d.events.get(action="finish").data["judged_due"]) == DUE


def test_the_waits_that_do_not_count_move_the_original_appointment_too(world):
    w = world
    d = _processing(w)
    d = actions.request_payment(acting_user=w.specialist, dossier=d, amount=50000, at=vn(2026, 3, 2, 10, 0))
    d = actions.confirm_payment(acting_user=w.clerk, dossier=d, at=vn(2026, 3, 3, 10, 0))  # 8 working hours paused
    assert d.due_at == d.original_due_at == vn(2026, 3, 6, 8, 0)
    d = _at_leader(w, d, vn(2026, 3, 5, 14, 0))
    d = actions.finish(acting_user=w.leader, dossier=d, result_summary="GCN", result_files=[pdf()],
                       at=vn(2026, 3, 5, 15, 0))
    assert d.outcome == Outcome.EARLY


def test_a_stopped_dossier_counts_by_the_rule_in_force_and_a_later_change_rewrites_nothing(world):
    w = world
    late_stop = actions.stop(acting_user=w.leader, dossier=_processing(w), reason="Tranh chấp",
                             at=vn(2026, 3, 6, 9, 0))
    assert late_stop.outcome == Outcome.LATE and late_stop.handled_at == vn(2026, 3, 6, 9, 0)  # default: stopped counts
    withdrawn = receive(w)
    withdrawn = actions.withdraw(acting_user=w.clerk, dossier=withdrawn, reason="Không còn nhu cầu",
                                 requested_by="Nguyễn Văn An", request_files=[pdf()], at=vn(2026, 3, 6, 9, 0))
    assert withdrawn.outcome == "" and withdrawn.handled_at is None  # default: withdrawals are not counted
    # From 1/4/2026 the province stops counting stopped dossiers: those before keep their judgement.
    policy_actions.schedule(acting_user=None, key="dossiers.counted_closures", value=[],
                            effective_from=vn(2026, 4, 1, 0, 0), note="Quyết định của tỉnh")
    late_stop.refresh_from_db()
    assert late_stop.outcome == Outcome.LATE
    after = actions.stop(acting_user=w.leader, dossier=_processing(w, at=vn(2026, 4, 1, 8, 0)), reason="x",
                         at=vn(2026, 4, 20, 9, 0))
    assert after.outcome == "" and after.handled_at is None
    counts = summary(None, Period(vn(2026, 3, 1, 0, 0), vn(2026, 5, 1, 0, 0)), now=vn(2026, 5, 1, 0, 0))
    assert counts["finished"] == 1 and counts["finished_late"] == 1 and counts["on_time_rate"] == 0


# --- 2. apology letters -----------------------------------------------------------------------------------------

def test_the_specialist_proposes_the_leader_approves_and_the_citizen_gets_the_signed_letter(
        world, django_capture_on_commit_callbacks):
    w = world
    d = _processing(w)
    _owner_with_email(w)
    with django_capture_on_commit_callbacks(execute=True):
        d = actions.apologise(acting_user=w.specialist, dossier=d, new_due_at=vn(2026, 3, 10, 8, 0),
                              reason="Cần xác minh thông tin cư trú", at=vn(2026, 3, 3, 9, 0))
    assert d.due_at == DUE and d.extensions == 0 and actions.pending_apology(d) is not None
    assert Notification.objects.filter(recipient=w.leader, kind="dossier.propose_apology").exists()
    with pytest.raises(InvalidInput):  # one proposal at a time
        actions.propose_apology(acting_user=w.specialist, dossier=d, new_due_at=vn(2026, 3, 11, 8, 0), reason="x",
                                at=vn(2026, 3, 3, 9, 30))
    with pytest.raises(PermissionDenied):
        actions.approve_apology(acting_user=w.specialist, dossier=d, at=vn(2026, 3, 3, 10, 0))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        d = actions.approve_apology(acting_user=w.leader, dossier=d, at=vn(2026, 3, 3, 10, 0))
    assert d.due_at == vn(2026, 3, 10, 8, 0) and d.extensions == 1 and actions.pending_apology(d) is None
    letter = d.events.get(action="apologise").attachments.get()
    with letter.file.open("rb") as handle:
        signed = handle.read()
    assert b"/ByteRange" in signed and b"/Sig" in signed  # a PAdES signature
    assert SignedDocument.objects.filter(kind="apology").count() == 1
    sent = [m for m in mail.outbox if "an@example.vn" in m.to]
    assert sent and sent[0].attachments and sent[0].attachments[0][2] == "application/pdf"
    assert OutgoingMessage.objects.get(dossier=d, channel="email", event="apology").attachment_id == letter.pk


def test_the_leader_may_refuse_the_proposal(world):
    w = world
    d = actions.apologise(acting_user=w.specialist, dossier=_processing(w), new_due_at=vn(2026, 3, 10, 8, 0),
                          reason="Chậm", at=vn(2026, 3, 3, 9, 0))
    d = actions.reject_apology(acting_user=w.leader, dossier=d, reason="Phải trả đúng hẹn", at=vn(2026, 3, 3, 10, 0))
    assert actions.pending_apology(d) is None and d.due_at == DUE and d.extensions == 0
    with pytest.raises(InvalidInput):
        actions.approve_apology(acting_user=w.leader, dossier=d, at=vn(2026, 3, 3, 11, 0))


def test_the_approvers_and_the_lead_time_are_dated_rules(world):
    w = world
    policy_actions.schedule(acting_user=None, key="dossiers.apology_lead_working_hours", value=24,
                            effective_from=vn(2026, 3, 1, 0, 0))
    with pytest.raises(InvalidInput) as late:  # 3/3 09:00 is only 15 working hours before 5/3 08:00
        actions.apologise(acting_user=w.leader, dossier=_processing(w), new_due_at=vn(2026, 3, 10, 8, 0),
                          reason="x", at=vn(2026, 3, 3, 9, 0))
    assert late.value.code == "apology_too_late"
    # the province lets the head of division approve from 1/3/2026: the leader no longer may, the head may
    policy_actions.schedule(acting_user=None, key="dossiers.apology_approver_roles", value=["head_of_division"],
                            effective_from=vn(2026, 3, 1, 0, 0))
    policy_actions.schedule(acting_user=None, key="dossiers.apology_lead_working_hours", value=8,
                            effective_from=vn(2026, 3, 2, 0, 0))
    d = actions.apologise(acting_user=w.specialist, dossier=_processing(w), new_due_at=vn(2026, 3, 12, 8, 0),
                          reason="x", at=vn(2026, 3, 2, 10, 0))
    with pytest.raises(PermissionDenied):
        actions.approve_apology(acting_user=w.leader, dossier=d, at=vn(2026, 3, 2, 10, 30))
    d = actions.approve_apology(acting_user=w.head, dossier=d, at=vn(2026, 3, 2, 10, 30))
    assert d.extensions == 1 and d.due_at == vn(2026, 3, 12, 8, 0)


# --- 3. supplement requests ---------------------------------------------------------------------------------

def _online(w, at):
    comps = [ComponentInput(required_component_id=w.case.components.get(order=1).pk, files=[pdf()])]
    return actions.submit_online(acting_user=None, receiving_agency=w.centre, case=w.case, applicant=dict(APPLICANT),
                                 components=comps, area=w.commune, at=at)


def test_the_desk_and_the_agency_each_have_their_supplement_request(world):
    w = world
    d = _online(w, vn(2026, 3, 2, 8, 0))
    d = actions.request_supplement(acting_user=w.clerk, dossier=d, reason="Tờ khai thiếu chữ ký",
                                   at=vn(2026, 3, 2, 9, 0))
    d = actions.submit_supplement(acting_user=w.clerk, dossier=d, files=[pdf()], at=vn(2026, 3, 2, 10, 0))
    d = actions.accept_supplement(acting_user=w.clerk, dossier=d, at=vn(2026, 3, 2, 11, 0))  # received now
    assert d.status == Status.RECEIVED
    d = actions.forward(acting_user=w.clerk, dossier=d, receiver=w.specialist, at=vn(2026, 3, 2, 13, 30))
    # the agency's appraisal still has its own request
    d = actions.request_supplement(acting_user=w.specialist, dossier=d, reason="Thiếu giấy xác nhận tình trạng hôn nhân",
                                   at=vn(2026, 3, 3, 9, 0))
    d = actions.submit_supplement(acting_user=w.clerk, dossier=d, files=[pdf()], at=vn(2026, 3, 3, 10, 0))
    d = actions.accept_supplement(acting_user=w.specialist, dossier=d, at=vn(2026, 3, 3, 11, 0))
    with pytest.raises(InvalidInput) as limit:
        actions.request_supplement(acting_user=w.specialist, dossier=d, reason="Lần nữa", at=vn(2026, 3, 3, 14, 0))
    assert limit.value.code == "supplement_limit"
    assert d.supplement_requests == 2


def test_the_clock_resumes_or_restarts_after_a_supplement_by_a_dated_rule(world):
    w = world
    d = actions.request_supplement(acting_user=w.specialist, dossier=_processing(w), reason="x",
                                   at=vn(2026, 3, 3, 8, 0))  # 8 of 24 working hours used
    d = actions.accept_supplement(acting_user=w.specialist, dossier=d, at=vn(2026, 3, 4, 8, 0))
    assert d.due_at == vn(2026, 3, 6, 8, 0)  # resumes: the 16 hours left
    policy_actions.schedule(acting_user=None, key="dossiers.after_supplement_clock", value="restart",
                            effective_from=vn(2026, 3, 9, 0, 0))
    d = actions.request_supplement(acting_user=w.specialist, dossier=_processing(w, at=vn(2026, 3, 9, 8, 0)),
                                   reason="x", at=vn(2026, 3, 10, 8, 0))
    d = actions.accept_supplement(acting_user=w.specialist, dossier=d, at=vn(2026, 3, 11, 8, 0))
    assert d.due_at == d.original_due_at == vn(2026, 3, 16, 8, 0)  # restarts: 3 whole working days from 11/3
    assert d.received_at == vn(2026, 3, 9, 8, 0) and "Tính lại thời hạn" in d.events.order_by("-id")[0].comment


def test_an_online_dossier_never_received_is_not_received_after_its_deadline(world):
    w = world
    d = _online(w, vn(2026, 3, 2, 8, 0))
    d = actions.request_supplement(acting_user=w.clerk, dossier=d, reason="x", deadline=datetime.date(2026, 3, 4),
                                   at=vn(2026, 3, 2, 9, 0))
    d = actions.refuse_after_supplement_deadline(acting_user=w.clerk, dossier=d, reason="Quá hạn",
                                                 at=vn(2026, 3, 5, 8, 0))
    assert d.status == Status.REFUSED and d.outcome == ""


def test_citizens_are_reminded_before_the_supplement_deadline_and_the_desk_told_after(
        world, django_capture_on_commit_callbacks):
    w = world
    d = _processing(w)
    _owner_with_email(w)
    d = actions.request_supplement(acting_user=w.specialist, dossier=d, reason="Thiếu bản sao",
                                   deadline=datetime.date(2026, 3, 9), at=vn(2026, 3, 3, 8, 0))
    assert flag_deadlines(vn(2026, 3, 5, 8, 0))["supplement_reminded"] == 0  # too early
    with django_capture_on_commit_callbacks(execute=True):
        assert flag_deadlines(vn(2026, 3, 9, 9, 0))["supplement_reminded"] == 1
    reminder = OutgoingMessage.objects.get(dossier=d, event="supplement_due", channel="email")
    assert "23:59 ngày 09/03/2026" in reminder.body and "Thiếu bản sao" in reminder.body
    assert flag_deadlines(vn(2026, 3, 9, 10, 0))["supplement_reminded"] == 0  # once
    assert flag_deadlines(vn(2026, 3, 10, 8, 0))["supplement_overdue"] == 1
    assert Notification.objects.filter(recipient=w.clerk, kind="dossier.supplement_overdue").count() == 1
    assert flag_deadlines(vn(2026, 3, 10, 9, 0))["supplement_overdue"] == 0


# --- 4. the online check's time limit -------------------------------------------------------------------------

def test_an_online_dossier_has_a_time_limit_for_the_desk_with_alerts(world):
    w = world
    d = _online(w, vn(2026, 3, 2, 20, 0))  # Monday evening: counted from Tuesday 07:00
    assert d.step_due_at == vn(2026, 3, 3, 17, 0)  # 8 working hours
    counts = flag_deadlines(vn(2026, 3, 3, 9, 0))
    assert counts["check_due_soon"] == 1 and counts["check_overdue"] == 0
    counts = flag_deadlines(vn(2026, 3, 3, 17, 30))
    assert counts["check_overdue"] == 1
    assert Notification.objects.filter(recipient=w.clerk, kind="dossier.check_overdue").count() == 1
    d = actions.accept_online(acting_user=w.clerk, dossier=d, at=vn(2026, 3, 4, 8, 0))
    assert not d.overdue_notified  # the processing deadline gets its own alerts
    assert d.events.get(action="accept").previous_step_due_at == vn(2026, 3, 3, 17, 0)


# --- 6. refusal on the merits --------------------------------------------------------------------------------

def test_the_agency_refuses_on_the_merits_with_a_signed_letter_and_it_counts_as_handled(
        world, django_capture_on_commit_callbacks):
    w = world
    d = _at_leader(w, _processing(w), vn(2026, 3, 3, 8, 0))
    _owner_with_email(w)
    with pytest.raises(InvalidInput) as no_letter:
        actions.refuse(acting_user=w.leader, dossier=d, reason="Không đủ điều kiện kết hôn", at=vn(2026, 3, 3, 9, 0))
    assert no_letter.value.code == "letter_required"
    with django_capture_on_commit_callbacks(execute=True):
        d = actions.refuse(acting_user=w.leader, dossier=d, reason="Không đủ điều kiện kết hôn",
                           letter_files=[pdf("tu-choi.pdf")], letter_number="15/TB-UBND", at=vn(2026, 3, 3, 9, 0))
    assert d.status == Status.FINISHED and d.result_kind == ResultKind.REFUSED and d.outcome == Outcome.EARLY
    assert d.events.order_by("-id")[0].action == "refuse_on_merits"
    letter = d.files.get(kind="result")
    with letter.file.open("rb") as handle:
        assert b"/ByteRange" in handle.read()
    assert OutgoingMessage.objects.filter(dossier=d, event="decision_refused", channel="email",
                                          attachment=letter).exists()
    d = actions.return_result(acting_user=w.clerk, dossier=d, method="counter", returned_to="Nguyễn Văn An",
                              at=vn(2026, 3, 3, 14, 0))
    counts = summary(None, Period(vn(2026, 3, 1, 0, 0), vn(2026, 4, 1, 0, 0)), now=vn(2026, 4, 1, 0, 0))
    assert counts["finished"] == 1 and counts["finished_early"] == 1


# --- 10. smaller gaps ----------------------------------------------------------------------------------------

def test_a_procedure_with_a_result_is_not_finished_without_its_file(world):
    w = world
    d = _at_leader(w, _processing(w), vn(2026, 3, 3, 8, 0))
    with pytest.raises(InvalidInput) as missing:
        actions.finish(acting_user=w.leader, dossier=d, result_summary="GCN kết hôn", at=vn(2026, 3, 3, 9, 0))
    assert missing.value.code == "result_file_required" and "Giấy chứng nhận kết hôn" in missing.value.message
    assert Dossier.objects.get(pk=d.pk).status == Status.PROCESSING


@pytest.mark.parametrize("action, kind", [("stop", "stopped"), ("request_payment", "payment_due")])
def test_citizens_are_told_when_a_fee_is_due_or_the_dossier_stopped(world, django_capture_on_commit_callbacks,
                                                                     action, kind):
    w = world
    d = _processing(w)
    _owner_with_email(w)
    with django_capture_on_commit_callbacks(execute=True):
        if action == "stop":
            actions.stop(acting_user=w.leader, dossier=d, reason="Tranh chấp", at=vn(2026, 3, 3, 9, 0))
        else:
            actions.request_payment(acting_user=w.specialist, dossier=d, amount=50000, at=vn(2026, 3, 3, 9, 0))
    assert OutgoingMessage.objects.filter(dossier=d, event=kind, channel="email").exists()


def test_the_citizen_downloads_the_signed_apology_from_the_portal(world, client):
    from tinhso.accounts.models import User

    w = world
    citizen = User.objects.create_user(username="cd-092095001234", full_name="Nguyễn Văn An", is_citizen=True)
    d = _processing(w)
    Dossier.objects.filter(pk=d.pk).update(citizen=citizen)
    d = actions.apologise(acting_user=w.leader, dossier=d, new_due_at=vn(2026, 3, 10, 8, 0), reason="Chậm",
                          at=vn(2026, 3, 3, 9, 0))
    letter = d.events.get(action="apologise").attachments.get()
    client.force_login(citizen)
    page = client.get(f"/dvc/ho-so/{d.code}/").content.decode()
    assert "Văn bản gửi Ông/Bà" in page and letter.original_name in page
    got = client.get(f"/dvc/ho-so/{d.code}/tep/{letter.pk}/")
    assert got.status_code == 200 and b"".join(got.streaming_content).startswith(b"%PDF")


# --- 5. the counter guides or refuses without receiving -------------------------------------------------------

def test_the_counter_prints_a_guidance_slip_without_receiving(world, client):
    from tinhso.audit.models import AuditEvent
    from tinhso.dossiers.models import CounterSlip

    w = world
    client.force_login(w.clerk)
    data = {"case": w.case.pk, "agency": w.centre.pk, "owner_name": "Nguyễn Văn An", "owner_id_type": "cccd",
            "owner_phone": "0912345678", "op": "guidance",
            "slip_content": "Thiếu giấy xác nhận tình trạng hôn nhân\nTờ khai chưa có chữ ký của hai bên"}
    response = client.post("/dossiers/receive/", data)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf_bytes = b"".join(response.streaming_content)
    assert pdf_bytes.startswith(b"%PDF")
    assert Dossier.objects.count() == 0  # nothing received, no clock
    slip = CounterSlip.objects.get()
    assert slip.kind == "guidance" and slip.code.startswith("001.31321.H13-HD-")
    assert AuditEvent.objects.filter(action="dossiers.counter_slip.guidance", personal_data=True).exists()
    empty = client.post("/dossiers/receive/", {**data, "op": "refusal", "slip_content": " "})
    assert empty.status_code == 200 and "lý do từ chối tiếp nhận" in empty.content.decode()
    assert CounterSlip.objects.count() == 1


def test_counter_slips_over_the_api_in_the_clerks_scope(world, client):
    import json

    w = world
    client.force_login(w.clerk)
    body = {"kind": "refusal", "receiving_agency": w.centre.code, "procedure": "1.000894", "case": "1",
            "applicant": {"owner_name": "Nguyễn Văn An"}, "content": "Thủ tục thuộc thẩm quyền cấp tỉnh"}
    r = client.post("/api/v1/dossiers/counter-slips", json.dumps(body), content_type="application/json")
    assert r.status_code == 201, r.content
    slip = r.json()
    assert slip["kind"] == "refusal" and "-TC-" in slip["code"]
    got = client.get(slip["pdf_url"])
    assert got.status_code == 200 and b"".join(got.streaming_content).startswith(b"%PDF")
    client.force_login(w.outsider)  # a clerk of another desk
    assert client.get(slip["pdf_url"]).status_code == 404
    r = client.post("/api/v1/dossiers/counter-slips", json.dumps(body), content_type="application/json")
    assert r.status_code == 403  # not a clerk of that desk


# --- 8. reception regardless of boundary ------------------------------------------------------------------------

def _provincial_procedure(w, *, commune_desks_from=None):
    """A province-level procedure: received at the provincial centre, resolved by a department; the province
    may publish (dated data) that commune desks receive it too."""
    import copy

    from tinhso.catalogue.actions import import_catalogue
    from tinhso.catalogue.models import ProcedureCase
    from tinhso.dossiers.tests.conftest import catalogue_data
    from tinhso.testing import make_agency, make_staff

    w.centre_p = make_agency("000.00.02.H13", "Trung tâm PVHCC thành phố", kind="provincial_service_centre")
    w.dept = make_agency("000.00.15.H13", "Sở Giáo dục và Đào tạo", kind="department")
    w.dept_specialist = make_staff("chuyenvien.sgd", roles=[("specialist", w.dept), ("leader", w.dept)],
                                   full_name="Đỗ Văn Sở")
    data = catalogue_data()
    proc = data["procedures"][0]
    proc.update(code="1.005389", name="Thủ tục cấp bản sao văn bằng từ sổ gốc", levels=["province"],
                result_name="Bản sao văn bằng")
    proc["agencies"] = [
        {"agency": "000.00.15.H13", "agency_kind": "", "role": "competent", "level": "province",
         "valid_from": None, "valid_to": None},
        {"agency": "000.00.02.H13", "agency_kind": "", "role": "receiving", "level": "province",
         "valid_from": None, "valid_to": None}]
    if commune_desks_from:
        proc["agencies"].append({"agency": None, "agency_kind": "commune_service_centre", "role": "receiving",
                                 "level": "province", "valid_from": commune_desks_from, "valid_to": None})
    case = proc["cases"][0]
    case["steps"] = copy.deepcopy(case["steps"])
    case["steps"][0]["agency_kind"] = case["steps"][4]["agency_kind"] = "provincial_service_centre"
    for step in case["steps"][1:4]:
        step.update(agency="000.00.15.H13", agency_kind="", role="specialist" if step["order"] < 4 else "leader")
    case["moves"] = [m for m in case["moves"] if m["kind"] == "forward"]
    import_catalogue(data, acting_user=None, system=True)
    return ProcedureCase.objects.get(procedure__code="1.005389")


def test_a_commune_desk_receives_a_provincial_procedure_where_the_province_published_it(world):
    w = world
    case = _provincial_procedure(w, commune_desks_from="2026-03-01")
    comps = [ComponentInput(required_component_id=case.components.get(order=1).pk, originals=1)]
    with pytest.raises(InvalidInput) as before:  # not yet published for commune desks
        actions.receive_at_counter(acting_user=w.clerk, receiving_agency=w.centre, case=case, applicant=dict(APPLICANT),
                                   components=comps, area=w.commune, at=vn(2026, 2, 27, 8, 0))
    assert before.value.code == "not_receivable_here" and "Trung tâm PVHCC thành phố" in before.value.message
    d = actions.receive_at_counter(acting_user=w.clerk, receiving_agency=w.centre, case=case, applicant=dict(APPLICANT),
                                   components=comps, area=w.commune, at=vn(2026, 3, 2, 8, 0))
    # received and (at the end) returned at the commune desk; resolved by the department
    assert d.current_agency == w.centre and d.competent_agency == w.dept
    d = actions.forward(acting_user=w.clerk, dossier=d, receiver=w.dept_specialist, at=vn(2026, 3, 2, 9, 0))
    assert d.current_agency == w.dept
    d = actions.forward(acting_user=w.dept_specialist, dossier=d, at=vn(2026, 3, 2, 10, 0))
    d = actions.forward(acting_user=w.dept_specialist, dossier=d, at=vn(2026, 3, 2, 11, 0))
    d = actions.finish(acting_user=w.dept_specialist, dossier=d, result_summary="Bản sao văn bằng",
                       result_files=[pdf()], at=vn(2026, 3, 2, 14, 0))
    assert d.current_agency == w.centre and d.status == Status.FINISHED
    d = actions.return_result(acting_user=w.clerk, dossier=d, method="counter", returned_to="Nguyễn Văn An",
                              at=vn(2026, 3, 3, 8, 0))
    assert d.status == Status.RETURNED


def test_filing_on_someone_elses_behalf_only_where_the_case_allows_it(world):
    w = world
    comps = [ComponentInput(required_component_id=w.case.components.get(order=1).pk, originals=1)]
    applicant = {**APPLICANT, "filer_name": "Trần Thị Bình", "filer_id_number": "092199000111"}
    with pytest.raises(InvalidInput) as refused:
        actions.receive_at_counter(acting_user=w.clerk, receiving_agency=w.centre, case=w.case, applicant=applicant,
                                   components=comps, area=w.commune)
    assert refused.value.code == "authorised_filing_not_allowed"
    w.case.authorised_filing = True
    w.case.save(update_fields=["authorised_filing"])
    from tinhso.catalogue import refcache

    refcache.reset()
    d = actions.receive_at_counter(acting_user=w.clerk, receiving_agency=w.centre, case=w.case, applicant=applicant,
                                   components=comps, area=w.commune)
    assert d.filer_name == "Trần Thị Bình"


def test_the_paper_file_is_tracked_between_the_desk_and_the_agency(world, client):
    w = world
    d = receive(w)  # received at the commune centre, resolved by the commune committee
    with pytest.raises(InvalidInput):
        actions.receive_papers(acting_user=w.specialist, dossier=d, kept_at="Tủ 1")  # nothing sent
    d = actions.send_papers(acting_user=w.clerk, dossier=d, note="01 bộ, bì niêm phong", at=vn(2026, 3, 2, 9, 0))
    here, moving = actions.papers_at(d)
    assert moving is not None and moving.to_agency == w.committee
    with pytest.raises(InvalidInput):  # in transit: not again
        actions.send_papers(acting_user=w.clerk, dossier=d)
    with pytest.raises(InvalidInput):  # only the recipient confirms
        actions.receive_papers(acting_user=w.outsider, dossier=d, kept_at="x")
    d = actions.receive_papers(acting_user=w.specialist, dossier=d, kept_at="Tủ hồ sơ phòng Tư pháp, ngăn 3",
                               at=vn(2026, 3, 2, 10, 0))
    assert actions.papers_at(d) == (w.committee, None)
    client.force_login(w.clerk)
    page = client.get(f"/dossiers/{d.code}/").content.decode()
    assert "Tủ hồ sơ phòng Tư pháp, ngăn 3" in page
    assert [e.action for e in d.events.order_by("id")][-2:] == ["send_papers", "receive_papers"]


# --- 7. same-day services -------------------------------------------------------------------------------------

def test_a_same_day_service_is_due_today_or_the_next_working_day_after_the_cut_off(world):
    w = world
    w.case.time_unit, w.case.processing_time = "same_day", 1
    w.case.save(update_fields=["time_unit", "processing_time"])
    morning = receive(w, at=vn(2026, 3, 2, 10, 0))
    assert morning.due_at == vn(2026, 3, 2, 17, 0)
    late = receive(w, at=vn(2026, 3, 2, 15, 30))
    assert late.due_at == vn(2026, 3, 3, 17, 0)
    friday = receive(w, at=vn(2026, 3, 6, 16, 0))
    assert friday.due_at == vn(2026, 3, 9, 17, 0)
