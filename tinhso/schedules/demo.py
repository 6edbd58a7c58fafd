"""Demo leaders' work schedules of Cần Thơ: the city people's committee, the
Department of Construction and Phường Ninh Kiều, last week and this week
published, next week in preparation; one entry changed after publication and
one cancelled. Leaders are named by title (the demo's staff where there is
one). Idempotent: nothing is added once the committee has entries."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from tinhso.agencies.models import Agency
from tinhso.schedules import actions, weeks
from tinhso.schedules.models import ScheduleEntry

# agency code → [(weekday 0-6, hour, minute, hours, content, leaders, place, participants, host unit)]
PLAN = {
    "000.00.00.H13": [
        (0, 7, 30, 2, "Họp giao ban Thường trực UBND thành phố", "Chủ tịch và các Phó Chủ tịch UBND thành phố",
         "Phòng họp số 1, UBND thành phố", "Chánh Văn phòng UBND thành phố", "Văn phòng UBND thành phố"),
        (1, 8, 0, 3, "Hội nghị trực tuyến triển khai Đề án 06 đến 103 xã, phường",
         "Phó Chủ tịch UBND thành phố phụ trách chuyển đổi số", "Hội trường UBND thành phố và các điểm cầu xã, phường",
         "Giám đốc các sở, ngành; Chủ tịch UBND các xã, phường", "Công an thành phố, Sở Khoa học và Công nghệ"),
        (2, 14, 0, 2, "Kiểm tra tiến độ dự án cầu Trần Hoàng Na", "Phó Chủ tịch UBND thành phố phụ trách đô thị",
         "Công trường cầu Trần Hoàng Na, phường Tân An", "Sở Xây dựng, Ban Quản lý dự án", "Sở Xây dựng"),
        (3, 8, 0, 4, "Tiếp công dân định kỳ", "Chủ tịch UBND thành phố", "Trụ sở Tiếp công dân thành phố",
         "Thanh tra thành phố, Sở Nông nghiệp và Môi trường", "Ban Tiếp công dân"),
        (4, 14, 0, 2, "Làm việc với Sở Công Thương về bình ổn giá cuối năm",
         "Phó Chủ tịch UBND thành phố phụ trách kinh tế", "Phòng họp số 2, UBND thành phố",
         "Sở Công Thương, Sở Tài chính",
         "Sở Công Thương"),
    ],
    "000.00.11.H13": [
        (0, 8, 0, 1.5, "Họp giao ban Sở", "Đ/c Võ Quốc Dũng - Phó Giám đốc Sở", "Phòng họp tầng 3, Sở Xây dựng",
         "Trưởng các phòng, đơn vị", "Văn phòng Sở"),
        (2, 8, 0, 3, "Kiểm tra công tác cấp giấy phép xây dựng tại phường Cái Răng",
         "Đ/c Võ Quốc Dũng - Phó Giám đốc Sở",
         "UBND phường Cái Răng", "Phòng Quản lý xây dựng", "Phòng Quản lý xây dựng"),
        (4, 14, 0, 2, "Thẩm định quy hoạch chi tiết khu đô thị mới Cồn Khương", "Đ/c Võ Quốc Dũng - Phó Giám đốc Sở",
         "Phòng họp tầng 3, Sở Xây dựng", "Hội đồng thẩm định", "Phòng Quy hoạch - Kiến trúc"),
    ],
    "000.31135.H13": [
        (0, 7, 30, 1, "Chào cờ, giao ban đầu tuần", "Đ/c Tạ Minh Tuấn - Phó Chủ tịch UBND phường",
         "Hội trường UBND phường",
         "Cán bộ, công chức phường", "Văn phòng HĐND và UBND phường"),
        (1, 14, 0, 2, "Kiểm tra vệ sinh an toàn thực phẩm chợ Tân An", "Đ/c Tạ Minh Tuấn - Phó Chủ tịch UBND phường",
         "Chợ Tân An", "Phòng Kinh tế, Hạ tầng và Đô thị; Ban Quản lý chợ", "Phòng Kinh tế, Hạ tầng và Đô thị"),
        (3, 8, 0, 3, "Tiếp công dân định kỳ", "Đ/c Tạ Minh Tuấn - Phó Chủ tịch UBND phường", "Phòng tiếp công dân",
         "Công chức địa chính, tư pháp", "Văn phòng HĐND và UBND phường"),
    ],
}


def seed_schedules() -> bool:
    agencies = {a.code: a for a in Agency.objects.filter(code__in=PLAN)}
    root = agencies.get("000.00.00.H13")
    if root is None or ScheduleEntry.objects.filter(agency=root).exists():
        return False
    this_week = weeks.monday(timezone.localdate())
    tz = timezone.get_current_timezone()
    with transaction.atomic():
        for code, rows in PLAN.items():
            agency = agencies.get(code)
            if agency is None:
                continue
            for offset in (-1, 0, 1):
                monday = this_week + datetime.timedelta(weeks=offset)
                for day, hour, minute, hours, content, leaders, place, participants, host in rows:
                    start = datetime.datetime.combine(monday + datetime.timedelta(days=day),
                                                      datetime.time(hour, minute), tzinfo=tz)
                    actions.save_entry(acting_user=None, agency_id=agency.pk, start=start,
                                       end=start + datetime.timedelta(hours=hours), content=content, leaders=leaders,
                                       place=place, participants=participants, host_unit=host)
                if offset <= 0:
                    actions.publish_week(acting_user=None, agency_id=agency.pk, week=weeks.label(monday))
        start, end = weeks.bounds(this_week)
        entries = list(ScheduleEntry.objects.filter(agency=root, start__gte=start, start__lt=end).order_by("start"))
        moved = entries[2]
        actions.save_entry(acting_user=None, agency_id=root.pk, entry_id=moved.pk,
                           start=moved.start + datetime.timedelta(hours=1), end=moved.end + datetime.timedelta(hours=1),
                           content=moved.content, leaders=moved.leaders, place=moved.place,
                           participants=moved.participants, host_unit=moved.host_unit)
        actions.cancel_entry(acting_user=None, entry_id=entries[4].pk, reason="Lãnh đạo dự họp tại Trung ương")
    return True
