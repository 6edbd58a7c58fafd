"""At the counter, without receiving: the guidance slip (form 02) for a
paper dossier that is incomplete, and the refusal slip (form 03) for one the
desk may not receive. No dossier is created and no clock starts."""

from __future__ import annotations

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import require_role
from tinhso.audit.actions import record
from tinhso.core.errors import InvalidInput
from tinhso.dossiers.actions._base import now, require_text
from tinhso.dossiers.models import CounterSlip, SlipKind, Status

APPLICANT_FIELDS = ("owner_name", "owner_id_type", "owner_id_number", "owner_phone", "owner_email", "owner_address",
                    "subject")


@transaction.atomic
def issue_counter_slip(*, acting_user, agency, case, kind: str, applicant: dict, content: str, at=None) -> CounterSlip:
    """Lập phiếu hướng dẫn (02) or phiếu từ chối tiếp nhận (03) at the counter:
    the clerk of `agency` writes what to complete, or why the dossier cannot
    be received; the slip is numbered, rendered as PDF and kept."""
    from tinhso.dossiers.documents import render_slip

    require_role(acting_user, Role.CLERK, agency)
    if kind not in SlipKind.values:
        raise InvalidInput("Loại phiếu không hợp lệ.", code="invalid_kind",
                           errors=[{"field": "kind", "message": "Chọn phiếu hướng dẫn hoặc phiếu từ chối."}])
    what = "nội dung cần hoàn thiện" if kind == SlipKind.GUIDANCE else "lý do từ chối tiếp nhận"
    content = require_text(content, "content", what)
    values = {k: str(applicant.get(k) or "").strip() for k in APPLICANT_FIELDS}
    values["owner_name"] = require_text(values["owner_name"], "owner_name", "họ tên người đến nộp hồ sơ")
    values["owner_id_type"] = values["owner_id_type"] or "cccd"
    at = now(at)
    day = timezone.localdate(at)
    slip = CounterSlip.objects.create(code=f"tmp-{acting_user.pk}-{at.timestamp()}", kind=kind, agency=agency,
                                      case=case, content=content, issued_by=acting_user, issued_at=at, **values)
    prefix = "HD" if kind == SlipKind.GUIDANCE else "TC"
    slip.code = f"{agency.code}-{prefix}-{day:%y%m%d}-{slip.pk:05d}"
    pdf = render_slip(slip, base_url=settings.TINHSO_BASE_URL)
    slip.pdf.save(f"{slip.code}.pdf", ContentFile(pdf), save=False)
    slip.save(update_fields=["code", "pdf"])
    record(actor=acting_user, action=f"dossiers.counter_slip.{kind}", obj=slip, personal_data=True,
           changes={"agency": agency.code, "procedure": case.procedure.code, "case": case.code})
    return slip


PAPER_STATUSES = (Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT, Status.PAYMENT, Status.FINISHED)


def may_send_papers(user, dossier, here=None) -> bool:
    from tinhso.accounts.permissions import has_role

    here = here or papers_at(dossier)[0]
    return has_role(user, tuple(Role.values), here)


def papers_at(dossier):
    """(agency where the paper file is, transfer in transit or None)."""
    last = dossier.paper_transfers.order_by("-sent_at", "-id").first()
    if last is None:
        return dossier.receiving_agency, None
    return (last.to_agency, None) if last.received_at else (last.from_agency, last)


@transaction.atomic
def send_papers(*, acting_user, dossier, note: str = "", version=None, at=None):
    """Gửi hồ sơ giấy: from the desk to the competent agency, or back to the
    desk (whichever holds the papers now sends them to the other)."""
    from tinhso.dossiers.actions._base import lock, write_event
    from tinhso.dossiers.models import PaperTransfer

    dossier = lock(dossier, version, acting_user)
    if dossier.status not in PAPER_STATUSES:
        raise InvalidInput("Hồ sơ đã kết thúc; hồ sơ giấy được lưu trữ tại nơi đang giữ.", code="invalid_transition")
    here, moving = papers_at(dossier)
    if moving is not None:
        raise InvalidInput(f"Hồ sơ giấy đang được gửi đến {moving.to_agency.name}, chưa được nhận.",
                           code="papers_in_transit")
    if dossier.competent_agency_id == dossier.receiving_agency_id:
        raise InvalidInput("Nơi tiếp nhận cũng là cơ quan giải quyết: không cần luân chuyển hồ sơ giấy.",
                           code="papers_stay")
    if not may_send_papers(acting_user, dossier, here):
        raise InvalidInput(f"Hồ sơ giấy đang ở {here.name}; chỉ cán bộ nơi đó gửi được.", code="not_holding_papers")
    to = dossier.competent_agency if here.pk == dossier.receiving_agency_id else dossier.receiving_agency
    at = now(at)
    transfer = PaperTransfer.objects.create(dossier=dossier, from_agency=here, to_agency=to, sent_at=at,
                                            sent_by=acting_user, note=note.strip()[:300])
    write_event(dossier, actor=acting_user, action="send_papers", at=at, from_status=dossier.status,
                comment=f"Gửi hồ sơ giấy từ {here.name} đến {to.name}" + (f"\n{note.strip()}" if note.strip() else ""),
                data={"transfer": transfer.pk})
    return dossier


@transaction.atomic
def receive_papers(*, acting_user, dossier, kept_at: str, version=None, at=None):
    """Nhận hồ sơ giấy: someone of the receiving agency confirms receipt and where the papers are kept."""
    from tinhso.accounts.permissions import has_role
    from tinhso.dossiers.actions._base import lock, write_event

    dossier = lock(dossier, version, acting_user)
    _here, moving = papers_at(dossier)
    if moving is None:
        raise InvalidInput("Không có hồ sơ giấy nào đang được gửi.", code="no_papers_in_transit")
    if not has_role(acting_user, tuple(Role.values), moving.to_agency):
        raise InvalidInput(f"Chỉ cán bộ {moving.to_agency.name} xác nhận nhận hồ sơ giấy.", code="not_recipient")
    kept_at = require_text(kept_at, "kept_at", "nơi lưu giữ hồ sơ giấy")
    at = now(at)
    moving.received_at, moving.received_by, moving.kept_at = at, acting_user, kept_at[:300]
    moving.save(update_fields=["received_at", "received_by", "kept_at"])
    write_event(dossier, actor=acting_user, action="receive_papers", at=at, from_status=dossier.status,
                comment=f"{moving.to_agency.name} đã nhận hồ sơ giấy; lưu tại: {kept_at}", data={"transfer": moving.pk})
    return dossier
