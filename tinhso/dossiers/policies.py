"""The one-stop-shop's rules that are dated data (tinhso/policies): declared
here with today's reading of the law as the default, read through `value()`
at the moment that matters (a dossier's transition: its own time)."""

from __future__ import annotations

import datetime

from tinhso.accounts.models import Role
from tinhso.policies.registry import Spec, integer, register, subset
from tinhso.policies.rules import value

FINISH_ROLES = register(Spec(
    "dossiers.finish_roles", "Vai trò được hoàn thành hồ sơ (ký duyệt, ban hành kết quả)",
    "Hồ sơ chỉ được hoàn thành ở bước do người giữ một trong các vai trò này đảm nhận.",
    [Role.LEADER.value, Role.CLERICAL_OFFICE.value], subset({r.value: r.label for r in Role})))
PAUSING_REASONS = register(Spec(
    "dossiers.pausing_reasons", "Các trường hợp không tính vào thời hạn giải quyết",
    "Thời gian chờ công dân bổ sung hồ sơ (supplement) hoặc thực hiện nghĩa vụ tài chính (payment) được cộng "
    "thêm vào hạn trả kết quả khi trường hợp đó có trong danh sách (áp dụng theo thời điểm bắt đầu chờ).",
    ["supplement", "payment"], subset({"supplement": "chờ bổ sung", "payment": "chờ nộp phí"}, allow_empty=True)))
MAX_SUPPLEMENT_REQUESTS = register(Spec(
    "dossiers.max_supplement_requests", "Số lần yêu cầu bổ sung tối đa cho một hồ sơ",
    "Theo thực tiễn được báo cáo (chưa đối chiếu văn bản): chỉ yêu cầu bổ sung một lần, nêu đầy đủ nội dung.",
    1, integer(0, 10)))
DUE_SOON_HOURS = register(Spec(
    "dossiers.due_soon_working_hours", "Ngưỡng “sắp đến hạn” (giờ làm việc)",
    "Hồ sơ còn ít hơn số giờ làm việc này đến hạn trả thì được nhắc và hiện trong mục “Sắp đến hạn”.",
    8, integer(1, 200)))


def _rows(dossier):
    refs = getattr(dossier, "_refs", None)
    return refs.policies() if refs is not None and hasattr(refs, "policies") else None


def finish_roles(dossier=None, at: datetime.datetime | None = None) -> list[str]:
    return value(FINISH_ROLES.key, at, _rows(dossier))


def pauses_clock(reason: str, at: datetime.datetime, dossier=None) -> bool:
    return reason in value(PAUSING_REASONS.key, at, _rows(dossier))


def max_supplement_requests(dossier=None, at: datetime.datetime | None = None) -> int:
    return int(value(MAX_SUPPLEMENT_REQUESTS.key, at, _rows(dossier)))


def due_soon_window(at: datetime.datetime | None = None) -> datetime.timedelta:
    return datetime.timedelta(hours=int(value(DUE_SOON_HOURS.key, at)))
