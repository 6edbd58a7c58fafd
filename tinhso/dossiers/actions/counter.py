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
from tinhso.dossiers.models import CounterSlip, SlipKind

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
