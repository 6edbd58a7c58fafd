"""The one-stop-shop's rules that are dated data (tinhso/policies): declared
here with today's reading of the law as the default, read through `value()`
at the moment that matters (a dossier's transition: its own time)."""

from __future__ import annotations

import datetime

from tinhso.accounts.models import Role
from tinhso.policies.registry import Spec, integer, one_of, register, subset
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
    "dossiers.max_supplement_requests", "Số lần cơ quan giải quyết yêu cầu bổ sung khi thẩm định hồ sơ",
    "Theo thực tiễn được báo cáo (chưa đối chiếu văn bản): chỉ yêu cầu bổ sung một lần, nêu đầy đủ nội dung. "
    "Tính riêng với lần bộ phận một cửa yêu cầu bổ sung khi kiểm tra hồ sơ trực tuyến trước khi tiếp nhận.",
    1, integer(0, 10)))
MAX_RECEPTION_SUPPLEMENT_REQUESTS = register(Spec(
    "dossiers.max_reception_supplement_requests",
    "Số lần bộ phận một cửa yêu cầu bổ sung khi kiểm tra hồ sơ trực tuyến (chưa tiếp nhận)",
    "Yêu cầu hoàn thiện hồ sơ trực tuyến trước khi tiếp nhận; không làm mất lượt yêu cầu bổ sung của cơ quan "
    "giải quyết khi thẩm định.", 1, integer(0, 10)))
SUPPLEMENT_DAYS = register(Spec(
    "dossiers.supplement_working_days", "Thời hạn bổ sung hồ sơ mặc định (ngày làm việc)",
    "Hạn công dân nộp bổ sung khi phiếu yêu cầu không ghi hạn khác (chưa đối chiếu văn bản; tỉnh tự quy định). "
    "Hết hạn mới được từ chối hoặc dừng vì quá hạn bổ sung.", 10, integer(1, 60)))
SUPPLEMENT_REMINDER_HOURS = register(Spec(
    "dossiers.supplement_reminder_working_hours", "Nhắc công dân trước hạn bổ sung (giờ làm việc)",
    "Công dân được nhắc khi còn ít hơn số giờ làm việc này đến hạn bổ sung; bộ phận một cửa được báo khi quá hạn.",
    8, integer(1, 200)))
AFTER_SUPPLEMENT = register(Spec(
    "dossiers.after_supplement_clock", "Thời hạn giải quyết sau khi nhận hồ sơ bổ sung",
    "resume: tiếp tục tính phần thời hạn còn lại (hẹn trả dời thêm thời gian chờ bổ sung); restart: tính lại "
    "toàn bộ thời hạn giải quyết từ khi nhận đủ hồ sơ bổ sung. Áp dụng theo thời điểm nhận bổ sung.",
    "resume", one_of({"resume": "tiếp tục tính", "restart": "tính lại từ đầu"})))
ONLINE_CHECK_HOURS = register(Spec(
    "dossiers.online_check_working_hours", "Thời hạn kiểm tra hồ sơ trực tuyến (giờ làm việc)",
    "Bộ phận một cửa phải tiếp nhận, yêu cầu bổ sung hoặc từ chối hồ sơ nộp trực tuyến (trạng thái 1) trong số "
    "giờ làm việc này kể từ khi nộp; có nhắc sắp đến hạn và cảnh báo quá hạn như các bước khác.",
    8, integer(1, 80)))
APOLOGY_LEAD_HOURS = register(Spec(
    "dossiers.apology_lead_working_hours", "Văn bản xin lỗi phải ban hành trước hạn trả ít nhất (giờ làm việc)",
    "Mặc định một ngày làm việc (8 giờ) trước thời điểm hẹn trả kết quả.", 8, integer(0, 80)))
MAX_APOLOGIES = register(Spec(
    "dossiers.max_apologies", "Số lần xin lỗi, hẹn lại tối đa cho một hồ sơ",
    "Mặc định một lần cho mỗi hồ sơ.", 1, integer(0, 5)))
APOLOGY_APPROVERS = register(Spec(
    "dossiers.apology_approver_roles", "Vai trò duyệt, ký văn bản xin lỗi và hẹn lại",
    "Văn bản xin lỗi (mẫu 04) do lãnh đạo cơ quan giải quyết duyệt và ký số; chuyên viên chỉ đề xuất.",
    [Role.LEADER.value], subset({r.value: r.label for r in Role})))
COUNTED_CLOSURES = register(Spec(
    "dossiers.counted_closures", "Hồ sơ kết thúc không có kết quả được tính vào tỷ lệ đúng hạn",
    "Hồ sơ dừng xử lý (stopped, trạng thái 8), công dân rút (withdrawn, 7), không tiếp nhận do quá hạn bổ sung "
    "(supplement_missed: hồ sơ đã tiếp nhận, công dân không bổ sung đúng hạn) có trong danh sách thì được tính là đã giải quyết, đúng hay quá hạn so với hẹn "
    "trả ban đầu tại thời điểm kết thúc; ngoài danh sách thì không tính vào mẫu số. Hồ sơ từ chối giải quyết sau "
    "thẩm định luôn được tính. Áp dụng theo thời điểm kết thúc; đổi quy tắc không tính lại hồ sơ đã kết thúc.",
    ["stopped"], subset({"stopped": "dừng xử lý (8)", "withdrawn": "rút hồ sơ (7)",
                         "supplement_missed": "quá hạn bổ sung, hồ sơ đã tiếp nhận (8)"}, allow_empty=True)))
DUE_SOON_HOURS = register(Spec(
    "dossiers.due_soon_working_hours", "Ngưỡng “sắp đến hạn” (giờ làm việc)",
    "Hồ sơ còn ít hơn số giờ làm việc này đến hạn trả thì được nhắc và hiện trong mục “Sắp đến hạn”.",
    8, integer(1, 200)))


def _rows(dossier):
    """The policy rows of a dossier's reference snapshot (or of a snapshot itself), None to read them."""
    refs = dossier if hasattr(dossier, "policies") and callable(dossier.policies) else getattr(dossier, "_refs", None)
    return refs.policies() if refs is not None and hasattr(refs, "policies") else None


def finish_roles(dossier=None, at: datetime.datetime | None = None) -> list[str]:
    return value(FINISH_ROLES.key, at, _rows(dossier))


def pauses_clock(reason: str, at: datetime.datetime, dossier=None) -> bool:
    return reason in value(PAUSING_REASONS.key, at, _rows(dossier))


def max_supplement_requests(dossier=None, at: datetime.datetime | None = None) -> int:
    return int(value(MAX_SUPPLEMENT_REQUESTS.key, at, _rows(dossier)))


def due_soon_window(at: datetime.datetime | None = None) -> datetime.timedelta:
    return datetime.timedelta(hours=int(value(DUE_SOON_HOURS.key, at)))


FORM_EDITION = register(Spec(
    "dossiers.form_edition", "Bộ mẫu phiếu, sổ của bộ phận một cửa",
    "01/2018: Thông tư 01/2018/TT-VPCP (mẫu 04 phiếu xin lỗi và hẹn lại, phiếu kiểm soát mẫu 05, sổ theo dõi mẫu "
    "06); 03/2025: Thông tư 03/2025/TT-VPCP (mẫu 04 văn bản xin lỗi và đề nghị gia hạn, thông báo dừng mẫu 05, "
    "phiếu kiểm soát mẫu 06, sổ theo dõi mẫu 07). Áp dụng theo ngày của văn bản; ngày chuyển sang 03/2025 là dữ "
    "liệu (chưa đối chiếu ngày hiệu lực).", "01/2018",
    one_of({"01/2018": "Thông tư 01/2018/TT-VPCP", "03/2025": "Thông tư 03/2025/TT-VPCP"})))


def form_edition(at=None) -> str:
    return value(FORM_EDITION.key, at)


def _int(key, dossier, at) -> int:
    return int(value(key, at, _rows(dossier)))


def max_reception_supplement_requests(dossier=None, at=None) -> int:
    return _int(MAX_RECEPTION_SUPPLEMENT_REQUESTS.key, dossier, at)


def supplement_working_days(dossier=None, at=None) -> int:
    return _int(SUPPLEMENT_DAYS.key, dossier, at)


def supplement_reminder_window(at=None) -> datetime.timedelta:
    return datetime.timedelta(hours=int(value(SUPPLEMENT_REMINDER_HOURS.key, at)))


def clock_restarts_after_supplement(dossier=None, at=None) -> bool:
    return value(AFTER_SUPPLEMENT.key, at, _rows(dossier)) == "restart"


def online_check_hours(dossier=None, at=None) -> int:
    return _int(ONLINE_CHECK_HOURS.key, dossier, at)


def apology_lead_hours(dossier=None, at=None) -> int:
    return _int(APOLOGY_LEAD_HOURS.key, dossier, at)


def max_apologies(dossier=None, at=None) -> int:
    return _int(MAX_APOLOGIES.key, dossier, at)


def apology_approver_roles(dossier=None, at=None) -> list[str]:
    return value(APOLOGY_APPROVERS.key, at, _rows(dossier))


def counted_closure(kind: str, dossier=None, at=None) -> bool:
    return kind in value(COUNTED_CLOSURES.key, at, _rows(dossier))
