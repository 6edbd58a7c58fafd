"""An official letter from the Department of Construction to a commune:
drafted, approved, signed, numbered, sealed, issued, delivered as edXML,
registered, assigned and handled; the sender sees the status codes."""

from __future__ import annotations

import pytest
from django.db import connection

from tinhso.core.errors import Conflict, InvalidInput, PermissionDenied
from tinhso.officialdocs import actions
from tinhso.officialdocs.models import (
    DocStatus, DocumentType, ExchangeMessage, OfficialDocument, Recipient, Register,
)
from tinhso.officialdocs.tests.conftest import pdf
from tinhso.signatures.tests.conftest import pki_dir, tsa_adapter  # noqa: F401
from tinhso.signatures.tests.test_csc import csc_server  # noqa: F401

pytestmark = pytest.mark.django_db


def letter():
    from tinhso.officialdocs.doctypes import ensure

    ensure()  # a transactional test before may have flushed the seeded rows
    return DocumentType.objects.get(name="Công văn")


def draft(o, **kw):
    data = dict(acting_user=o.specialist, agency=o.sxd, doc_type_id=letter().pk,
                summary="V/v kiểm tra trật tự xây dựng trên địa bàn phường", body=pdf(), recipient_ids=[o.commune.pk])
    data.update(kw)
    return actions.create_draft(**data)


def issued(o, capture):
    doc = draft(o)
    actions.submit_for_review(acting_user=o.specialist, pk=doc.pk)
    actions.approve(acting_user=o.head, pk=doc.pk)
    actions.sign(acting_user=o.leader, pk=doc.pk)
    with capture(execute=True):
        return actions.issue(acting_user=o.clerk, pk=doc.pk)


def test_a_letter_travels_from_the_department_to_the_commune(offices, django_capture_on_commit_callbacks):
    o = offices
    doc = issued(o, django_capture_on_commit_callbacks)
    assert doc.status == DocStatus.ISSUED and doc.number == 1 and doc.reference == "1/SXD-QLXD"
    assert doc.files.filter(role="signed").exists()
    incoming = OfficialDocument.objects.get(agency=o.commune, direction="in")
    assert incoming.status == DocStatus.ARRIVED and incoming.sender_reference == "1/SXD-QLXD"
    assert incoming.files.get().content_type == "application/pdf"
    recipient = Recipient.objects.get(document=doc)
    assert recipient.status_code == "01"
    with django_capture_on_commit_callbacks(execute=True):
        actions.register_incoming(acting_user=o.c_clerk, pk=incoming.pk)
    recipient.refresh_from_db()
    assert recipient.status_code == "03"
    with django_capture_on_commit_callbacks(execute=True):
        actions.assign(acting_user=o.c_leader, pk=incoming.pk, unit_id=o.commune.pk, person_id=o.c_handler.pk,
                       direction_note="Kiểm tra, báo cáo trước ngày 15", days=5)
    recipient.refresh_from_db()
    assert recipient.status_code == "04"
    with django_capture_on_commit_callbacks(execute=True):
        actions.start_handling(acting_user=o.c_handler, pk=incoming.pk)
        actions.complete(acting_user=o.c_handler, pk=incoming.pk, note="Đã kiểm tra")
    recipient.refresh_from_db()
    assert recipient.status_code == "06"
    codes = list(doc.events.filter(action__startswith="status_").values_list("data__code", flat=True))
    assert codes == ["01", "03", "04", "05", "06"]
    assert not ExchangeMessage.objects.exclude(state="sent").exists()


def test_signed_pdf_carries_the_leader_and_the_seal(offices, django_capture_on_commit_callbacks):
    from pyhanko.pdf_utils.reader import PdfFileReader
    import io

    doc = issued(offices, django_capture_on_commit_callbacks)
    with doc.files.get(role="signed").file.open("rb") as handle:
        reader = PdfFileReader(io.BytesIO(handle.read()))
    assert len(reader.embedded_signatures) == 2


@pytest.mark.parametrize("who, step, error", [
    ("head", "submit", PermissionDenied), ("specialist", "approve", PermissionDenied),
    ("head", "sign", PermissionDenied), ("leader", "issue", PermissionDenied),
])
def test_refused_steps(offices, who, step, error):
    o = offices
    doc = draft(o)
    user = getattr(o, who)
    calls = {"submit": actions.submit_for_review, "approve": actions.approve, "sign": actions.sign,
             "issue": actions.issue}
    with pytest.raises(error):
        calls[step](acting_user=user, pk=doc.pk)
    assert OfficialDocument.objects.get(pk=doc.pk).status == DocStatus.DRAFT


def test_steps_out_of_order_are_conflicts(offices):
    o = offices
    doc = draft(o)
    with pytest.raises(Conflict):
        actions.approve(acting_user=o.head, pk=doc.pk)
    actions.submit_for_review(acting_user=o.specialist, pk=doc.pk)
    with pytest.raises(Conflict):
        actions.sign(acting_user=o.leader, pk=doc.pk)
    actions.send_back(acting_user=o.head, pk=doc.pk, note="Sửa trích yếu")
    assert OfficialDocument.objects.get(pk=doc.pk).status == DocStatus.DRAFT


def test_bad_drafts_are_refused_with_every_field(offices):
    o = offices
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(InvalidInput) as caught:
        actions.create_draft(acting_user=o.specialist, agency=o.sxd, doc_type_id=None, summary="x" * 501,
                             body=SimpleUploadedFile("a.pdf", b"not a pdf"), recipient_ids=[o.sxd.pk])
    assert {e["field"] for e in caught.value.errors} == {"doc_type", "summary", "body", "recipients"}
    assert not OfficialDocument.objects.exists()


def test_numbers_are_sequential_per_register_and_year(offices, django_capture_on_commit_callbacks):
    o = offices
    first = issued(o, django_capture_on_commit_callbacks)
    second = issued(o, django_capture_on_commit_callbacks)
    assert (first.number, second.number) == (1, 2)
    decision = DocumentType.objects.get(abbreviation="QĐ")
    doc = draft(o, doc_type_id=decision.pk)
    actions.submit_for_review(acting_user=o.specialist, pk=doc.pk)
    actions.approve(acting_user=o.head, pk=doc.pk)
    actions.sign(acting_user=o.leader, pk=doc.pk)
    with django_capture_on_commit_callbacks(execute=True):
        doc = actions.issue(acting_user=o.clerk, pk=doc.pk)
    assert doc.reference == "3/QĐ-SXD"  # one series per register for every type


@pytest.mark.django_db(transaction=True)
def test_a_number_requested_twice_at_the_same_moment_is_never_the_same(offices):
    from tinhso.officialdocs.actions.common import next_number

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race is a PostgreSQL one")
    register = Register.objects.create(agency=offices.sxd, year=2026, direction="out", series="normal")
    from django.db import transaction

    from tinhso.testing import run_together

    def take():
        taken = []
        for _ in range(10):
            with transaction.atomic():
                taken.append(next_number(register))
        return taken

    results = run_together(*[take] * 8)
    got = [n for taken in results for n in taken]
    assert sorted(got) == list(range(1, 81))


def test_handlers_are_reminded_before_and_after_the_deadline(offices, django_capture_on_commit_callbacks):
    import datetime

    from tinhso.notifications.models import Notification
    from tinhso.officialdocs.actions.incoming import remind

    o = offices
    issued(o, django_capture_on_commit_callbacks)
    incoming = OfficialDocument.objects.get(direction="in")
    with django_capture_on_commit_callbacks(execute=True):
        actions.register_incoming(acting_user=o.c_clerk, pk=incoming.pk)
        actions.assign(acting_user=o.c_leader, pk=incoming.pk, unit_id=o.commune.pk, person_id=o.c_handler.pk,
                       days=2)
    assignment = incoming.assignments.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert remind(assignment.next_reminder_at - datetime.timedelta(minutes=1)) == {"due_soon": 0, "overdue": 0}
        assert remind(assignment.next_reminder_at) == {"due_soon": 1, "overdue": 0}
        assert remind(assignment.next_reminder_at) == {"due_soon": 0, "overdue": 0}
        assert remind(assignment.due_at + datetime.timedelta(minutes=1)) == {"due_soon": 0, "overdue": 1}
    assert Notification.objects.filter(recipient=o.c_handler, title__startswith="Văn bản sắp đến hạn").count() == 1
    assert Notification.objects.filter(recipient=o.c_leader, title__startswith="Văn bản quá hạn").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        actions.complete(acting_user=o.c_handler, pk=incoming.pk)
    assert remind(assignment.due_at + datetime.timedelta(days=30)) == {"due_soon": 0, "overdue": 0}


def test_api_lists_details_and_acts_with_object_permissions(offices, client, django_capture_on_commit_callbacks):
    import json

    from tinhso.testing import make_staff

    o = offices
    doc = issued(o, django_capture_on_commit_callbacks)
    client.force_login(o.leader)
    listed = json.loads(client.get("/api/v1/documents?tab_name=outgoing").content)
    assert [d["reference"] for d in listed] == ["1/SXD-QLXD"]
    detail = json.loads(client.get(f"/api/v1/documents/{doc.pk}").content)
    assert detail["recipients"][0]["status_code"] == "01" and detail["files"]
    incoming = OfficialDocument.objects.get(direction="in")
    assert client.get(f"/api/v1/documents/{incoming.pk}").status_code == 404  # another agency's document
    client.force_login(o.c_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(f"/api/v1/documents/{incoming.pk}/actions/register")
    assert done.status_code == 200 and json.loads(done.content)["number"] == 1
    again = client.post(f"/api/v1/documents/{incoming.pk}/actions/register")
    assert again.status_code == 409
    secret = draft(o, secrecy="secret", summary="Văn bản mật")
    outsider = make_staff("chuyenvien2.sxd", roles=[("specialist", o.qlxd)])
    client.force_login(outsider)
    assert client.get(f"/api/v1/documents/{secret.pk}").status_code == 404
    client.force_login(o.leader)
    assert client.get(f"/api/v1/documents/{secret.pk}").status_code == 200
    register = json.loads(client.get(f"/api/v1/documents/registers/{doc.register_id}").content)
    assert register["rows"][0][0] == "1/SXD-QLXD"


def test_recall_cancelled_by_the_receiver_or_refused(offices, django_capture_on_commit_callbacks):
    o = offices
    doc = issued(o, django_capture_on_commit_callbacks)
    incoming = OfficialDocument.objects.get(direction="in")
    with pytest.raises(PermissionDenied):
        actions.request_recall(acting_user=o.specialist, pk=doc.pk, reason="Sai địa chỉ")
    with django_capture_on_commit_callbacks(execute=True):
        actions.request_recall(acting_user=o.clerk, pk=doc.pk, reason="Gửi nhầm nơi nhận")
    incoming.refresh_from_db()
    assert incoming.recall_requested_at and incoming.recall_reason == "Gửi nhầm nơi nhận"
    assert Recipient.objects.get(document=doc).status_code == "13"
    with pytest.raises(InvalidInput):
        actions.answer_recall(acting_user=o.c_clerk, pk=incoming.pk, accept=False)  # a refusal needs a reason
    with django_capture_on_commit_callbacks(execute=True):
        actions.answer_recall(acting_user=o.c_clerk, pk=incoming.pk, accept=True)
    incoming.refresh_from_db()
    doc.refresh_from_db()
    assert incoming.status == DocStatus.RECALLED and doc.status == DocStatus.RECALLED
    assert Recipient.objects.get(document=doc).status_code == "15"
    with pytest.raises(InvalidInput):
        actions.answer_recall(acting_user=o.c_clerk, pk=incoming.pk, accept=True)


def test_the_review_route_is_a_dated_rule(offices):
    import datetime

    from django.utils import timezone

    from tinhso.policies.models import Policy

    Policy.objects.create(key="officialdocs.review_roles", value=[],
                          effective_from=timezone.now() - datetime.timedelta(minutes=1))
    doc = draft(offices)
    assert actions.submit_for_review(acting_user=offices.specialist, pk=doc.pk).status == DocStatus.TO_SIGN


@pytest.mark.django_db(transaction=True)
def test_the_leader_signs_from_a_phone_with_a_one_time_code(offices, client, csc_server,
                                                             django_capture_on_commit_callbacks):
    from tinhso.signatures.models import CscGrantKind, CscSandboxGrant
    from tinhso.signatures.service import verify_pdf

    o = offices
    doc = draft(o)
    actions.submit_for_review(acting_user=o.specialist, pk=doc.pk)
    actions.approve(acting_user=o.head, pk=doc.pk)
    client.force_login(o.leader)
    response = client.post(f"/van-ban/{doc.pk}/otp/", follow=True)
    assert "Đã gửi mã OTP" in response.content.decode()
    otp = CscSandboxGrant.objects.filter(kind=CscGrantKind.OTP, user=o.leader).latest("created_at").value
    actions.sign(acting_user=o.leader, pk=doc.pk, remote_otp=otp)
    with django_capture_on_commit_callbacks(execute=True):
        doc = actions.issue(acting_user=o.clerk, pk=doc.pk)
    with doc.files.get(role="signed").file.open("rb") as handle:
        report = verify_pdf(handle.read())
    assert [s["signer"]["common_name"] for s in report["signatures"]] == ["Võ Quốc Dũng", "Sở Xây dựng"]


def test_secret_documents_have_their_own_register_and_attachments_travel(offices, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tinhso.dossiers.tests.conftest import pdf as dossier_pdf

    o = offices
    docx_like = dossier_pdf("phu-luc.pdf")
    doc = draft(o, secrecy="confidential", attachments=[docx_like])
    assert doc.series == "secret"
    actions.submit_for_review(acting_user=o.specialist, pk=doc.pk)
    actions.approve(acting_user=o.head, pk=doc.pk)
    actions.sign(acting_user=o.leader, pk=doc.pk)
    with django_capture_on_commit_callbacks(execute=True):
        doc = actions.issue(acting_user=o.clerk, pk=doc.pk)
    assert doc.register.series == "secret" and doc.number == 1
    incoming = OfficialDocument.objects.get(direction="in")
    assert sorted(incoming.files.values_list("role", flat=True)) == ["attachment", "body"]
    with pytest.raises(InvalidInput):
        draft(o, attachments=[SimpleUploadedFile("virus.exe", b"MZ\x90\x00")])


def _issue_draft(o, capture, **kw):
    doc = draft(o, **kw)
    actions.submit_for_review(acting_user=o.specialist, pk=doc.pk)
    actions.approve(acting_user=o.head, pk=doc.pk)
    actions.sign(acting_user=o.leader, pk=doc.pk)
    with capture(execute=True):
        return actions.issue(acting_user=o.clerk, pk=doc.pk)


def test_a_replacement_supersedes_and_a_correction_points_back(offices, django_capture_on_commit_callbacks):
    o = offices
    first = issued(o, django_capture_on_commit_callbacks)
    received_first = OfficialDocument.objects.get(direction="in", sender_reference=first.reference)
    with pytest.raises(InvalidInput):
        draft(o, relates_to_id=first.pk, relation="rename")
    replacement = _issue_draft(o, django_capture_on_commit_callbacks, relates_to_id=first.pk, relation="replace",
                               summary="V/v kiểm tra trật tự xây dựng (thay thế)")
    first.refresh_from_db()
    received_first.refresh_from_db()
    assert first.status == DocStatus.REPLACED and received_first.status == DocStatus.REPLACED
    received_new = OfficialDocument.objects.get(direction="in", sender_reference=replacement.reference)
    assert received_new.relates_to == received_first and received_new.relation == "replace"
    correction = _issue_draft(o, django_capture_on_commit_callbacks, relates_to_id=replacement.pk,
                              relation="correct", summary="Đính chính ngày ký")
    received_correction = OfficialDocument.objects.get(direction="in", sender_reference=correction.reference)
    assert received_correction.relates_to == received_new and received_correction.relation == "correct"
    received_new.refresh_from_db()
    assert received_new.status == DocStatus.ARRIVED  # a correction does not supersede


@pytest.mark.parametrize("who, step", [
    ("c_handler", "register"), ("c_clerk", "assign"), ("specialist", "start"), ("specialist", "register"),
])
def test_refused_incoming_steps(offices, django_capture_on_commit_callbacks, who, step):
    o = offices
    issued(o, django_capture_on_commit_callbacks)
    incoming = OfficialDocument.objects.get(direction="in")
    if step in ("assign", "start"):
        with django_capture_on_commit_callbacks(execute=True):
            actions.register_incoming(acting_user=o.c_clerk, pk=incoming.pk)
    if step == "start":
        with django_capture_on_commit_callbacks(execute=True):
            actions.assign(acting_user=o.c_leader, pk=incoming.pk, unit_id=o.commune.pk, person_id=o.c_handler.pk)
    user = getattr(o, who)
    calls = {"register": lambda: actions.register_incoming(acting_user=user, pk=incoming.pk),
             "assign": lambda: actions.assign(acting_user=user, pk=incoming.pk, unit_id=o.commune.pk),
             "start": lambda: actions.start_handling(acting_user=user, pk=incoming.pk)}
    before = incoming.events.count()
    with pytest.raises(PermissionDenied):
        calls[step]()
    assert incoming.events.count() == before


def test_handlers_record_progress(offices, django_capture_on_commit_callbacks):
    o = offices
    issued(o, django_capture_on_commit_callbacks)
    incoming = OfficialDocument.objects.get(direction="in")
    with django_capture_on_commit_callbacks(execute=True):
        actions.register_incoming(acting_user=o.c_clerk, pk=incoming.pk)
        actions.assign(acting_user=o.c_leader, pk=incoming.pk, unit_id=o.commune.pk, person_id=o.c_handler.pk)
    with pytest.raises(InvalidInput):
        actions.note_progress(acting_user=o.c_handler, pk=incoming.pk, note="")
    actions.note_progress(acting_user=o.c_handler, pk=incoming.pk, note="Đã làm việc với chủ công trình")
    assert incoming.events.filter(action="progress").exists()
