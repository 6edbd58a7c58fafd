"""Số hóa kết quả: a paper result scanned after it was issued (Decision 766, indicators 4.1 and 4.2)."""

from __future__ import annotations

from django.db import transaction

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import has_role
from tinhso.core.errors import InvalidInput, PermissionDenied
from tinhso.dossiers.actions._base import lock, now, require_status, store_files, write_event
from tinhso.dossiers.models import FileKind, ResultForm, Status

DIGITISE_ROLES = (Role.CLERK, Role.CLERICAL_OFFICE, Role.SPECIALIST)


@transaction.atomic
def digitise_result(*, acting_user, dossier, files=(), comment: str = "", version=None, at=None):
    """Số hóa kết quả giấy: store the scan (`files`) of a paper result (status 9 or 10)
    as a result file, mark the result digitised and write the history row.
    The status does not change. Allowed to the clerk of the receiving agency
    and to the clerical office or specialist of the competent agency."""
    dossier = lock(dossier, version, acting_user)
    require_status(dossier, [Status.FINISHED, Status.RETURNED], "số hóa kết quả")
    if not (has_role(acting_user, Role.CLERK, dossier.receiving_agency)
            or has_role(acting_user, DIGITISE_ROLES, dossier.competent_agency)):
        raise PermissionDenied("Chỉ bộ phận một cửa nơi tiếp nhận hoặc cơ quan giải quyết được số hóa kết quả "
                               "của hồ sơ này.")
    if dossier.result_form != ResultForm.PAPER:
        raise InvalidInput("Chỉ số hóa kết quả giấy; kết quả của hồ sơ này đã là bản điện tử.",
                           code="not_paper_result")
    if dossier.result_digitised_at is not None:
        raise InvalidInput("Kết quả của hồ sơ này đã được số hóa.", code="already_digitised")
    if not files:
        raise InvalidInput("Cần tải lên bản scan của kết quả giấy.", code="scan_required",
                           errors=[{"field": "files", "message": "Chưa có tệp."}])
    at = now(at)
    files = store_files(dossier, files, kind=FileKind.RESULT, actor=acting_user, field="files")
    dossier.result_digitised_at = at
    write_event(dossier, actor=acting_user, action="digitise_result", at=at, from_status=dossier.status,
                from_step=dossier.current_step, comment=comment or "Số hóa kết quả giấy", attachments=files,
                previous_step_due=dossier.step_due_at)
    return dossier
