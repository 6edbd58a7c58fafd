"""Field-report rules that are dated data (tinhso/policies): the values here
are defaults a province changes at /policies/ from a date."""

from __future__ import annotations

import datetime
import json

from tinhso.policies.registry import BadValue, Spec, integer, register
from tinhso.policies.rules import value

# The service area of the demo province (Cần Thơ since 1 July 2025, with the former Hậu Giang and Sóc Trăng),
# a coarse outline in (latitude, longitude): a report pinned outside it is refused. Approximate; a province
# sets its own outline at /policies/.
CAN_THO_OUTLINE = [
    [10.36, 105.48], [10.27, 105.72], [10.10, 105.86], [9.93, 105.98], [9.74, 106.12], [9.57, 106.33],
    [9.42, 106.28], [9.27, 106.08], [9.18, 105.82], [9.33, 105.58], [9.55, 105.38], [9.80, 105.28],
    [10.05, 105.22], [10.25, 105.28],
]


def _outline(raw):
    try:
        points = json.loads(raw) if isinstance(raw, str) else raw
        points = [[float(lat), float(lng)] for lat, lng in points]
    except (TypeError, ValueError):
        raise BadValue("Nhập danh sách các điểm [vĩ độ, kinh độ] theo JSON, ví dụ [[10.3, 105.5], [9.2, 105.8], "
                       "[9.6, 106.3]].") from None
    if len(points) < 3 or not all(-90 <= a <= 90 and -180 <= b <= 180 for a, b in points):
        raise BadValue("Cần ít nhất 3 điểm hợp lệ (vĩ độ −90…90, kinh độ −180…180).")
    return points


SERVICE_AREA = register(Spec(
    "fieldreports.service_area", "Ranh giới tiếp nhận phản ánh (đa giác vĩ độ, kinh độ)",
    "Phản ánh có vị trí ngoài đa giác này bị từ chối ngay khi gửi, với thông báo rõ ràng. Mặc định: đường bao "
    "gần đúng của thành phố Cần Thơ sau sắp xếp 2025.", CAN_THO_OUTLINE, _outline))
REOPEN_DAYS = register(Spec(
    "fieldreports.reopen_days", "Thời hạn người phản ánh mở lại phản ánh (ngày)",
    "Người phản ánh không hài lòng được mở lại phản ánh trong số ngày này kể từ khi kết quả được công khai.",
    7, integer(0, 90)))
AUTO_CLOSE_DAYS = register(Spec(
    "fieldreports.auto_close_days", "Tự đóng phản ánh chưa được đánh giá sau (ngày)",
    "Phản ánh đã công khai kết quả mà người phản ánh chưa đánh giá sau số ngày này thì được đóng.",
    7, integer(1, 90)))
NEARBY_METRES = register(Spec(
    "fieldreports.nearby_metres", "Bán kính gợi ý phản ánh trùng khi gửi (mét)",
    "Trước khi gửi, người dân thấy tối đa 5 phản ánh đang mở cùng lĩnh vực hoặc cùng nhóm trong bán kính này.",
    250, integer(10, 5000)))
STAFF_NEARBY_METRES = register(Spec(
    "fieldreports.staff_nearby_metres", "Bán kính tìm phản ánh trùng của cán bộ (mét)",
    "Cán bộ trung tâm tìm phản ánh trùng để gộp trong bán kính này.", 1000, integer(10, 20000)))
WARN_PERCENT = register(Spec(
    "fieldreports.due_soon_percent", "Tô màu “sắp đến hạn” khi đã dùng (% thời hạn bước)",
    "Màn hình trung tâm tô màu sắp đến hạn khi đã dùng từ tỷ lệ này của thời hạn bước.", 80, integer(1, 99)))


def service_area(at: datetime.datetime | None = None) -> list[list[float]]:
    return value(SERVICE_AREA.key, at)


def reopen_days(at=None) -> int:
    return value(REOPEN_DAYS.key, at)


def auto_close_days(at=None) -> int:
    return value(AUTO_CLOSE_DAYS.key, at)


def nearby_metres(at=None) -> int:
    return value(NEARBY_METRES.key, at)


def staff_nearby_metres(at=None) -> int:
    return value(STAFF_NEARBY_METRES.key, at)


def warn_percent(at=None) -> int:
    return value(WARN_PERCENT.key, at)
