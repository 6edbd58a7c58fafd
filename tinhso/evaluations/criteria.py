"""The default satisfaction criteria (the 12 questions provincial portals ask,
see docs/evaluations.md). Migration 0002 seeds a frozen copy of this list;
`seed_criteria()` re-creates missing rows (tests that flush the database, a
fresh install loaded without migrations)."""

from __future__ import annotations

DEFAULT_CRITERIA = [
    ("overall", "Đánh giá chung về việc giải quyết thủ tục hành chính"),
    ("convenience", "Sự thuận tiện khi thực hiện thủ tục hành chính"),
    ("timeliness", "Sự kịp thời, nhanh chóng trong tiếp nhận và giải quyết hồ sơ"),
    ("staff_attitude", "Thái độ của cán bộ, công chức; không gây phiền hà, sách nhiễu"),
    ("resolution_time", "Thời gian giải quyết so với thời hạn quy định"),
    ("actual_vs_rule", "Việc thực hiện trên thực tế so với quy định (thành phần hồ sơ, phí, lệ phí)"),
    ("contacts", "Số lần phải liên hệ để hoàn thiện hồ sơ"),
    ("agencies_contacted", "Số cơ quan, đơn vị phải liên hệ để giải quyết hồ sơ"),
    ("one_stop_desk", "Tiếp nhận và trả kết quả tại bộ phận một cửa"),
    ("publicity", "Sự công khai, minh bạch của thủ tục hành chính"),
    ("complaints", "Việc tiếp nhận, giải quyết phản ánh, kiến nghị"),
    ("online_quality", "Chất lượng dịch vụ công trực tuyến"),
]


def seed_criteria() -> int:
    """Create the default criteria that are missing; never changes existing
    rows (an administrator may have edited labels or dates). Returns how many
    were created."""
    from tinhso.evaluations.models import Criterion

    existing = set(Criterion.objects.values_list("code", flat=True))
    missing = [Criterion(code=code, label=label, order=order)
               for order, (code, label) in enumerate(DEFAULT_CRITERIA, start=1) if code not in existing]
    Criterion.objects.bulk_create(missing)
    return len(missing)
