import datetime

import pytest

from tinhso.audit.models import AuditEvent
from tinhso.core.errors import Conflict, InvalidInput, PermissionDenied
from tinhso.dossiers import actions
from tinhso.dossiers.models import Dossier, DossierPause, Status
from tinhso.dossiers.tests.conftest import pdf, receive, vn
from tinhso.notifications.models import Notification


def _step(w, order):
    return w.case.steps.get(order=order)


def test_counter_reception_creates_status_2_with_code_due_time_and_history(world):
    d = receive(world)
    assert d.status == Status.RECEIVED
    assert d.code == "001.31321.H13-260302-0001"
    assert d.received_at == vn(2026, 3, 2, 8, 0)
    assert d.due_at == vn(2026, 3, 5, 8, 0)  # 3 working days = 24 working hours
    assert d.current_step.order == 1 and d.current_agency == world.centre and d.current_handler == world.clerk
    assert d.step_due_at == vn(2026, 3, 2, 14, 0)  # 4 working hours, over the lunch break
    assert d.competent_agency == world.committee  # the commune committee serving the dossier's area
    event = d.events.get()
    assert (event.action, event.from_status, event.to_status, event.sender) == ("receive", None, 2, world.clerk)
    assert AuditEvent.objects.filter(action="dossiers.receive", object_id=str(d.pk)).exists()
    assert receive(world).code == "001.31321.H13-260302-0002"
    assert receive(world, at=vn(2026, 3, 3, 9, 0)).code == "001.31321.H13-260303-0001"


def test_reception_after_closing_counts_from_the_next_opening(world):
    d = receive(world, at=vn(2026, 3, 6, 16, 45))  # Friday 16:45
    assert d.counting_from == vn(2026, 3, 6, 16, 45)
    assert d.due_at == vn(2026, 3, 11, 16, 45)
    late = receive(world, at=vn(2026, 3, 6, 17, 30))
    assert late.counting_from == vn(2026, 3, 9, 7, 0) and late.due_at == vn(2026, 3, 11, 17, 0)


def test_reception_refuses_missing_papers_and_other_agencies_clerks(world):
    with pytest.raises(InvalidInput) as info:
        actions.receive_at_counter(acting_user=world.clerk, receiving_agency=world.centre, case=world.case,
                                   applicant={"owner_name": "A"}, components=[], area=world.commune)
    assert "Tờ khai đăng ký kết hôn" in info.value.message
    with pytest.raises(PermissionDenied):
        actions.receive_at_counter(acting_user=world.outsider, receiving_agency=world.centre, case=world.case,
                                   applicant={"owner_name": "A"}, components=[], area=world.commune)
    assert Dossier.objects.count() == 0


def test_a_retried_reception_returns_the_first_dossier(world):
    first = receive(world, key="form-7f3a")
    again = receive(world, key="form-7f3a")
    assert again.pk == first.pk and Dossier.objects.count() == 1
    assert receive(world, key="form-other").pk != first.pk


def _to_specialist(w):
    d = receive(w)
    return actions.forward(acting_user=w.clerk, dossier=d, receiver=w.specialist, at=vn(2026, 3, 2, 9, 0))


def test_forward_follows_the_process_and_sets_the_step_deadline(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        d = _to_specialist(world)
    assert (d.status, d.current_step.order, d.current_agency, d.current_handler) == (4, 2, world.committee,
                                                                                   world.specialist)
    assert d.step_due_at == vn(2026, 3, 3, 9, 0)  # 8 working hours
    event = d.events.latest("id")
    assert (event.action, event.from_step.order, event.to_step.order, event.receiver) == ("forward", 1, 2,
                                                                                          world.specialist)
    assert Notification.objects.filter(recipient=world.specialist, kind="dossier.forward").exists()


def test_moves_the_process_does_not_allow_are_refused(world):
    d = _to_specialist(world)
    with pytest.raises(InvalidInput) as info:
        actions.forward(acting_user=world.specialist, dossier=d, to_step=_step(world, 5))
    assert info.value.code == "move_not_allowed"
    with pytest.raises(PermissionDenied):  # not the handler
        actions.forward(acting_user=world.specialist2, dossier=d)
    with pytest.raises(PermissionDenied):  # wrong role for this step
        actions.forward(acting_user=world.head, dossier=d)
    with pytest.raises(PermissionDenied):
        actions.forward(acting_user=world.outsider, dossier=d)
    with pytest.raises(InvalidInput):  # a reason is needed to send back
        actions.send_back(acting_user=world.specialist, dossier=d, to_step=_step(world, 1))
    with pytest.raises(InvalidInput):
        actions.return_result(acting_user=world.clerk, dossier=d, method="counter", returned_to="A")
    with pytest.raises(InvalidInput):
        actions.finish(acting_user=world.specialist, dossier=d, result_summary="x", result_files=[pdf()])
    d.refresh_from_db()
    assert (d.status, d.current_step.order, d.version) == (4, 2, 3)


def test_handing_to_someone_without_the_role_is_refused(world):
    d = receive(world)
    with pytest.raises(InvalidInput):
        actions.forward(acting_user=world.clerk, dossier=d, receiver=world.head)


def test_send_back_and_recall(world):
    d = _to_specialist(world)
    d = actions.send_back(acting_user=world.specialist, dossier=d, to_step=_step(world, 1), receiver=world.clerk,
                          comment="Thiếu chữ ký trên tờ khai")
    assert d.current_step.order == 1 and d.current_handler == world.clerk
    d = actions.forward(acting_user=world.clerk, dossier=d, receiver=world.specialist)
    d = actions.recall(acting_user=world.clerk, dossier=d)
    assert d.current_step.order == 1 and d.current_handler == world.clerk and d.current_agency == world.centre
    assert d.events.latest("id").sender_agency == world.committee
    with pytest.raises(InvalidInput):
        actions.recall(acting_user=world.clerk, dossier=d)


def test_a_stale_version_is_refused_and_nothing_changes(world):
    d = _to_specialist(world)
    seen = d.version
    actions.forward(acting_user=world.specialist, dossier=d, receiver=world.head, version=seen)
    with pytest.raises(Conflict) as info:
        actions.send_back(acting_user=world.specialist, dossier=d, comment="x", version=seen)
    assert info.value.code == "dossier_changed"
    d.refresh_from_db()
    assert d.current_step.order == 3 and d.events.count() == 3


def test_supplement_pauses_the_clock_and_moves_the_due_time(world):
    d = _to_specialist(world)
    assert d.due_at == vn(2026, 3, 5, 8, 0)
    d = actions.request_supplement(acting_user=world.specialist, dossier=d, reason="Bổ sung bản sao CCCD",
                                   at=vn(2026, 3, 2, 10, 0))
    assert d.status == Status.SUPPLEMENT and d.supplement_requests == 1
    with pytest.raises(InvalidInput):  # the citizen's papers are needed
        actions.submit_supplement(acting_user=world.clerk, dossier=d, files=[])
    from tinhso.dossiers.tests.conftest import pdf

    d = actions.submit_supplement(acting_user=world.clerk, dossier=d, files=[pdf("cccd.pdf")],
                                  at=vn(2026, 3, 3, 14, 0))
    d = actions.accept_supplement(acting_user=world.clerk, dossier=d, at=vn(2026, 3, 3, 15, 0))
    # Paused from Mon 10:00 to Tue 15:00 = 5 + 6 = 11 working hours.
    assert d.status == Status.PROCESSING
    assert d.due_at == vn(2026, 3, 6, 11, 0)
    assert d.step_due_at == vn(2026, 3, 4, 14, 0)  # Tue 09:00 + 11 working hours
    pause = DossierPause.objects.get(dossier=d)
    assert (pause.started_at, pause.ended_at) == (vn(2026, 3, 2, 10, 0), vn(2026, 3, 3, 15, 0))
    with pytest.raises(InvalidInput) as info:
        actions.request_supplement(acting_user=world.specialist, dossier=d, reason="Lần hai")
    assert info.value.code == "supplement_limit"


def test_supplement_deadline_missed_stops_a_received_dossier_only_after_the_deadline(world):
    d = _to_specialist(world)
    d = actions.request_supplement(acting_user=world.specialist, dossier=d, reason="Bổ sung",
                                   deadline=datetime.date(2026, 3, 9), at=vn(2026, 3, 2, 10, 0))
    assert d.supplement_due_at == vn(2026, 3, 9, 23, 59, 59)
    with pytest.raises(PermissionDenied):
        actions.refuse_after_supplement_deadline(acting_user=world.specialist, dossier=d, reason="Quá hạn",
                                                 at=vn(2026, 3, 10, 8, 0))
    with pytest.raises(InvalidInput) as early:  # not before the deadline has passed
        actions.refuse_after_supplement_deadline(acting_user=world.clerk, dossier=d, reason="Quá hạn",
                                                 at=vn(2026, 3, 9, 16, 0))
    assert early.value.code == "supplement_not_due"
    d = actions.refuse_after_supplement_deadline(acting_user=world.clerk, dossier=d, reason="Quá hạn bổ sung",
                                                 at=vn(2026, 3, 10, 8, 0))
    # a dossier already received is not "not received" (3): it is stopped (8) and the history says why
    assert d.status == Status.STOPPED and d.closed_at is not None
    assert d.events.order_by("-id").first().action == "stop_after_supplement"


def test_payment_request_and_confirmation(world):
    d = _to_specialist(world)
    with pytest.raises(InvalidInput):
        actions.request_payment(acting_user=world.specialist, dossier=d, amount=0)
    d = actions.request_payment(acting_user=world.specialist, dossier=d, amount=50000, at=vn(2026, 3, 2, 10, 0))
    assert d.status == Status.PAYMENT
    d = actions.confirm_payment(acting_user=world.clerk, dossier=d, at=vn(2026, 3, 2, 11, 0))
    assert d.status == Status.PROCESSING and d.due_at == vn(2026, 3, 5, 9, 0)


def test_apology_only_before_the_due_time(world):
    d = _to_specialist(world)  # appointment 5/3 08:00
    with pytest.raises(InvalidInput):
        actions.apologise(acting_user=world.leader, dossier=d, new_due_at=vn(2026, 3, 4, 8, 0), reason="x",
                          at=vn(2026, 3, 3, 8, 0))  # earlier than the current appointment
    with pytest.raises(InvalidInput) as late:  # less than one working day before the appointment
        actions.apologise(acting_user=world.leader, dossier=d, new_due_at=vn(2026, 3, 10, 8, 0), reason="x",
                          at=vn(2026, 3, 4, 9, 0))
    assert late.value.code == "apology_too_late"
    d = actions.apologise(acting_user=world.leader, dossier=d, new_due_at=vn(2026, 3, 10, 8, 0),
                          reason="Cần xác minh thêm", at=vn(2026, 3, 4, 8, 0))
    assert d.due_at == vn(2026, 3, 10, 8, 0) and d.extensions == 1 and d.original_due_at == vn(2026, 3, 5, 8, 0)
    with pytest.raises(InvalidInput) as again:  # once per dossier
        actions.apologise(acting_user=world.leader, dossier=d, new_due_at=vn(2026, 3, 20, 8, 0),
                          reason="x", at=vn(2026, 3, 5, 8, 0))
    assert again.value.code == "apology_limit"
    with pytest.raises(PermissionDenied):
        actions.apologise(acting_user=world.clerk, dossier=d, new_due_at=vn(2026, 3, 12, 8, 0), reason="x",
                          at=vn(2026, 3, 5, 8, 0))


def _to_leader(w):
    d = _to_specialist(w)
    d = actions.forward(acting_user=w.specialist, dossier=d, receiver=w.head, at=vn(2026, 3, 2, 15, 0))
    return actions.forward(acting_user=w.head, dossier=d, receiver=w.leader, at=vn(2026, 3, 3, 8, 0))


def test_finish_and_return_complete_the_dossier_early(world, django_capture_on_commit_callbacks):
    d = _to_leader(world)
    with django_capture_on_commit_callbacks(execute=True):
        d = actions.finish(acting_user=world.leader, dossier=d, result_summary="Cấp Giấy chứng nhận kết hôn",
                           result_number="12/2026/GCNKH", at=vn(2026, 3, 3, 10, 0), result_files=[pdf()])
    assert d.status == Status.FINISHED and d.outcome == "early"
    assert d.current_step.order == 5 and d.current_agency == world.centre
    assert Notification.objects.filter(recipient=world.clerk, kind="dossier.finish").exists()
    with pytest.raises(InvalidInput):
        actions.return_result(acting_user=world.clerk, dossier=d, method="counter", returned_to="  ")
    d = actions.return_result(acting_user=world.clerk, dossier=d, method="counter", returned_to="Nguyễn Văn An",
                              at=vn(2026, 3, 4, 8, 0))
    assert d.status == Status.RETURNED and d.returned_to == "Nguyễn Văn An"
    assert [e.action for e in d.events.order_by("id")] == ["receive", "forward", "forward", "forward", "finish",
                                                          "return_result"]


@pytest.mark.parametrize("finished,outcome", [((2026, 3, 5, 7, 30), "on_time"), ((2026, 3, 5, 8, 0), "on_time"),
                                              ((2026, 3, 5, 8, 1), "late"), ((2026, 3, 4, 16, 0), "early")])
def test_outcome_rules(finished, outcome):
    assert actions.outcome_of(vn(*finished), vn(2026, 3, 5, 8, 0)) == outcome


def test_withdraw_and_stop(world):
    d = _to_specialist(world)
    with pytest.raises(PermissionDenied):
        actions.stop(acting_user=world.specialist, dossier=d, reason="x")
    d = actions.stop(acting_user=world.leader, dossier=d, reason="Hồ sơ giả mạo giấy tờ")
    assert d.status == Status.STOPPED
    with pytest.raises(InvalidInput):
        actions.withdraw(acting_user=world.clerk, dossier=d, reason="x")
    other = receive(world)
    with pytest.raises(InvalidInput) as no_request:  # at the counter: who asked, and their written request
        actions.withdraw(acting_user=world.clerk, dossier=other, reason="Công dân xin rút")
    assert no_request.value.code == "required"
    with pytest.raises(InvalidInput) as no_paper:
        actions.withdraw(acting_user=world.clerk, dossier=other, reason="Công dân xin rút", requested_by="Trần Văn An")
    assert no_paper.value.code == "withdrawal_request_required"
    other = actions.withdraw(acting_user=world.clerk, dossier=other, reason="Công dân xin rút",
                             requested_by="Trần Văn An", request_files=[pdf("don-rut-ho-so.pdf")])
    assert other.status == Status.WITHDRAWN
    event = other.events.get(action="withdraw")
    assert "Người đề nghị: Trần Văn An" in event.comment and event.attachments.get().original_name == "don-rut-ho-so.pdf"


def test_online_submission_accept_and_refuse(world):
    from tinhso.dossiers.actions import ComponentInput
    from tinhso.dossiers.tests.conftest import APPLICANT, pdf

    def submit(key):
        comps = [ComponentInput(required_component_id=world.case.components.get(order=1).pk, files=[pdf()])]
        return actions.submit_online(acting_user=None, receiving_agency=world.centre, case=world.case,
                                     applicant=dict(APPLICANT), components=comps, area=world.commune,
                                     idempotency_key=key, at=vn(2026, 3, 2, 20, 0))

    d = submit(None)
    assert d.status == Status.SUBMITTED and d.due_at is None and d.files.count() == 1
    d = actions.accept_online(acting_user=world.clerk, dossier=d, at=vn(2026, 3, 3, 7, 30))
    assert d.status == Status.RECEIVED and d.due_at == vn(2026, 3, 6, 7, 30)
    other = submit(None)
    with pytest.raises(InvalidInput):
        actions.refuse_online(acting_user=world.clerk, dossier=other, reason="")
    other = actions.refuse_online(acting_user=world.clerk, dossier=other, reason="Không thuộc thẩm quyền")
    assert other.status == Status.REFUSED


def test_admin_resets_the_due_date_and_it_is_audited(world):
    d = _to_specialist(world)
    with pytest.raises(PermissionDenied):
        actions.reset_due(acting_user=world.leader, dossier=d, new_due_at=vn(2026, 3, 9, 8, 0), reason="x")
    d = actions.reset_due(acting_user=world.admin, dossier=d, new_due_at=vn(2026, 3, 7, 8, 0),
                          reason="Sai sót khi nhập")  # a Saturday: moved to Monday's opening
    assert d.due_at == vn(2026, 3, 9, 7, 0)
    assert AuditEvent.objects.filter(action="dossiers.reset_due", actor=world.admin).exists()


def test_the_payment_gateway_confirms_a_payment_as_the_system(world):
    d = _to_specialist(world)
    d = actions.request_payment(acting_user=world.specialist, dossier=d, amount=50000)
    with pytest.raises(PermissionDenied):
        actions.confirm_payment(acting_user=None, dossier=d)
    d = actions.confirm_payment(acting_user=None, dossier=d, by_gateway=True, note="PayGov: giao dịch 123")
    assert d.status == Status.PROCESSING
    assert d.events.latest("id").sender_name == "Hệ thống"


def test_the_result_is_signed_by_the_leader_and_the_agency_and_verifies(world):
    from tinhso.dossiers.tests.conftest import pdf
    from tinhso.signatures.models import SignedDocument
    from tinhso.signatures.service import verify_pdf

    d = _to_leader(world)
    d = actions.finish(acting_user=world.leader, dossier=d, result_summary="Giấy chứng nhận kết hôn",
                       result_files=[pdf("gcn.pdf")])
    row = d.files.get(kind="result")
    report = verify_pdf(row.file.read())
    assert report["verdict"] == "valid"
    names = [s["signer"]["common_name"] for s in report["signatures"]]
    assert names == ["Lâm Quốc Việt", "UBND Phường Vị Thanh"]
    assert SignedDocument.objects.filter(code=f"KQ-{d.code}-1", kind="result").exists()


def test_a_result_that_must_be_signed_cannot_be_an_image(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tinhso.catalogue.models import ProcedureCase

    ProcedureCase.objects.filter(pk=world.case.pk).update(digital_signature_required=True)
    d = _to_leader(world)
    png = SimpleUploadedFile("kq.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    with pytest.raises(InvalidInput) as info:
        actions.finish(acting_user=world.leader, dossier=d, result_summary="x", result_files=[png])
    assert info.value.code == "result_must_be_pdf"
    d.refresh_from_db()
    assert d.status == Status.PROCESSING


def test_a_tsa_outage_at_finish_loses_nothing(world, settings):
    """The TSA is down when the leader finishes: by default the result is
    signed without a time-stamp and the dossier finishes; where a time-stamp is
    required, the leader is told and the dossier is exactly as before."""
    from tinhso.core.errors import DomainError
    from tinhso.dossiers.tests.conftest import pdf
    from tinhso.signatures.service import verify_pdf

    settings.TINHSO_TSA_URL = "http://127.0.0.1:9/tsa"  # nothing listens there
    settings.TINHSO_TSA_TIMEOUT = 2
    settings.TINHSO_TSA_REQUIRED = True
    d = _to_leader(world)
    events = d.events.count()
    with pytest.raises(DomainError) as exc:
        actions.finish(acting_user=world.leader, dossier=d, result_summary="Giấy chứng nhận kết hôn",
                       result_files=[pdf("gcn.pdf")])
    assert "dấu thời gian" in exc.value.message
    d.refresh_from_db()
    assert d.status == Status.PROCESSING and d.events.count() == events and not d.files.filter(kind="result")

    settings.TINHSO_TSA_REQUIRED = False
    d = actions.finish(acting_user=world.leader, dossier=d, result_summary="Giấy chứng nhận kết hôn",
                       result_files=[pdf("gcn.pdf")])
    assert d.status == Status.FINISHED
    report = verify_pdf(d.files.get(kind="result").file.read())
    assert report["verdict"] == "valid" and all(s["timestamp"] is None for s in report["signatures"])
