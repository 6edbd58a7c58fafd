"""Demo online meetings for Cần Thơ: a room at the city's people's committee
and one in each demo commune, four meetings of the last three months with
every commune invited (attendance checked: Xã Vị Thanh 1 never connected,
so the dashboard shows 5 of 6 communes) and one coming next week.
Idempotent: a meeting or room already there (by title, by name) is left alone."""

from __future__ import annotations

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from tinhso.agencies.models import Agency, AgencyKind
from tinhso.audit.actions import record
from tinhso.meetings.models import Attendance, Meeting, MeetingRoom, Participant
from tinhso.meetings.video import new_room_name

MEETINGS = [  # (title, agenda, days from today, hour, hours long, communes that did not connect)
    ("Hội nghị trực tuyến triển khai Nghị quyết 57-NQ/TW về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
     "1. Quán triệt Nghị quyết 57-NQ/TW.\n2. Kế hoạch hành động của thành phố.\n3. Ý kiến các xã, phường.", -80, 8, 3,
     {"31465"}),
    ("Họp giao ban trực tuyến tình hình kinh tế - xã hội tháng",
     "Đánh giá tình hình tháng, nhiệm vụ tháng tới; tiến độ giải quyết thủ tục hành chính của xã, phường.", -45, 14, 2,
     {"31507", "31465"}),
    ("Hội nghị trực tuyến triển khai Đề án 06 về dữ liệu dân cư, định danh và xác thực điện tử",
     "Kích hoạt tài khoản định danh điện tử mức 2; làm sạch dữ liệu hộ tịch.", -20, 8, 2, {"31465", "31507"}),
    ("Họp trực tuyến phòng, chống thiên tai và triều cường cuối năm",
     "Phương án ứng phó triều cường; phân công trực của các xã, phường.", -6, 15, 1, {"31465"}),
    ("Hội nghị trực tuyến tổng kết công tác chuyển đổi số năm 2026",
     "Kết quả chỉ tiêu chuyển đổi số; tổ công nghệ số cộng đồng; kế hoạch năm 2027.", 7, 8, 3, set()),
]


@transaction.atomic
def seed_meetings() -> None:
    top = Agency.objects.filter(code="000.00.00.H13").first()
    if top is None:
        return
    communes = list(Agency.objects.filter(kind=AgencyKind.COMMUNE_COMMITTEE, is_active=True).select_related("unit")
                    .order_by("path"))
    rooms = {}
    for agency, name, address in [(top, "Phòng họp trực tuyến UBND thành phố", "Số 2 Hòa Bình, phường Ninh Kiều")] + [
            (c, f"Hội trường {c.short_name or c.name}", f"Trụ sở {c.name}") for c in communes]:
        room = MeetingRoom.objects.filter(agency=agency, name=name).first()
        if room is None:
            room = MeetingRoom.objects.create(
                agency=agency, name=name, address=address, contact_name="Văn phòng", contact_phone="0292 3820 000",
                equipment="Màn hình 75 inch, camera hội nghị, micro đa hướng, đường truyền cáp quang 100 Mbps")
            record(actor=None, action="meetings.room.created", obj=room, note="demo")
        rooms[agency.pk] = room
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    for title, agenda, days, hour, hours, absent in MEETINGS:
        if Meeting.objects.filter(title=title, host=top).exists():
            continue
        start = datetime.datetime.combine(today + datetime.timedelta(days=days), datetime.time(hour), tzinfo=tz)
        meeting = Meeting.objects.create(host=top, title=title, agenda=agenda, start=start,
                                         end=start + datetime.timedelta(hours=hours), room=rooms[top.pk],
                                         video_room=new_room_name(), uid=f"{uuid.uuid4()}@tinhso")
        past = days < 0
        Participant.objects.bulk_create([Participant(
            meeting=meeting, agency=c, room=rooms.get(c.pk),
            attendance=(Attendance.ABSENT if c.unit.code in absent else Attendance.CONNECTED) if past
            else Attendance.INVITED, checked_at=start if past else None) for c in communes])
        record(actor=None, action="meetings.meeting.created", obj=meeting, note="demo")
