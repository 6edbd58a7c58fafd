"""Seed the default working hours and the official 2025 and 2026 days off and
make-up Saturdays (confirmed). Source: /work/shared/domain/kpi-and-calendar.md,
"Working calendar for civil servants". Only weekdays are stored as days off;
weekend days inside the official ranges are non-working anyway."""

import datetime
import uuid

from django.db import migrations

D = datetime.date

SRC_2025 = "Bộ Luật Lao động 2019 Điều 112; Thông báo của Bộ Lao động - Thương binh và Xã hội về lịch nghỉ năm 2025"
SRC_2026 = "Bộ Luật Lao động 2019 Điều 112; Thông báo 9441/TB-BNV (Tết 2026); công văn Văn phòng Chính phủ về hoán đổi ngày làm việc năm 2026"

DAYS = [
    # 2025
    (D(2025, 1, 1), "holiday", "Tết Dương lịch", SRC_2025),
    (D(2025, 1, 27), "compensatory", "Nghỉ bù Tết Nguyên đán (mùng 4 Tết 01/02/2025 là Thứ Bảy)", SRC_2025),
    (D(2025, 1, 28), "holiday", "Tết Nguyên đán (ngày cuối năm Âm lịch)", SRC_2025),
    (D(2025, 1, 29), "holiday", "Tết Nguyên đán (mùng 1)", SRC_2025),
    (D(2025, 1, 30), "holiday", "Tết Nguyên đán (mùng 2)", SRC_2025),
    (D(2025, 1, 31), "holiday", "Tết Nguyên đán (mùng 3)", SRC_2025),
    (D(2025, 4, 7), "holiday", "Giỗ Tổ Hùng Vương (10/3 âm lịch)", SRC_2025),
    (D(2025, 4, 26), "makeup_workday", "Làm bù cho ngày nghỉ 02/5/2025", SRC_2025),
    (D(2025, 4, 30), "holiday", "Ngày Chiến thắng (30/4)", SRC_2025),
    (D(2025, 5, 1), "holiday", "Ngày Quốc tế Lao động (1/5)", SRC_2025),
    (D(2025, 5, 2), "swapped_day_off", "Nghỉ hoán đổi (làm bù Thứ Bảy 26/4/2025)", SRC_2025),
    (D(2025, 9, 1), "holiday", "Quốc khánh (ngày liền kề)", SRC_2025),
    (D(2025, 9, 2), "holiday", "Quốc khánh (2/9)", SRC_2025),
    # 2026
    (D(2026, 1, 1), "holiday", "Tết Dương lịch", SRC_2026),
    (D(2026, 1, 2), "swapped_day_off", "Nghỉ hoán đổi (làm bù Thứ Bảy 10/01/2026)", SRC_2026),
    (D(2026, 1, 10), "makeup_workday", "Làm bù cho ngày nghỉ 02/01/2026", SRC_2026),
    (D(2026, 2, 16), "holiday", "Tết Nguyên đán (ngày cuối năm Âm lịch)", SRC_2026),
    (D(2026, 2, 17), "holiday", "Tết Nguyên đán (mùng 1)", SRC_2026),
    (D(2026, 2, 18), "holiday", "Tết Nguyên đán (mùng 2)", SRC_2026),
    (D(2026, 2, 19), "holiday", "Tết Nguyên đán (mùng 3)", SRC_2026),
    (D(2026, 2, 20), "holiday", "Tết Nguyên đán (mùng 4)", SRC_2026),
    (D(2026, 4, 27), "compensatory", "Nghỉ bù Giỗ Tổ Hùng Vương (26/4/2026 là Chủ nhật)", SRC_2026),
    (D(2026, 4, 30), "holiday", "Ngày Chiến thắng (30/4)", SRC_2026),
    (D(2026, 5, 1), "holiday", "Ngày Quốc tế Lao động (1/5)", SRC_2026),
    (D(2026, 8, 22), "makeup_workday", "Làm bù cho ngày nghỉ 31/8/2026", SRC_2026),
    (D(2026, 8, 31), "swapped_day_off", "Nghỉ hoán đổi (làm bù Thứ Bảy 22/8/2026)", SRC_2026),
    (D(2026, 9, 1), "holiday", "Quốc khánh (ngày liền kề)", SRC_2026),
    (D(2026, 9, 2), "holiday", "Quốc khánh (2/9)", SRC_2026),
]


def seed(apps, schema_editor):
    WorkSchedule = apps.get_model("workcalendar", "WorkSchedule")
    CalendarDay = apps.get_model("workcalendar", "CalendarDay")
    CalendarRevision = apps.get_model("workcalendar", "CalendarRevision")
    WorkSchedule.objects.get_or_create(
        valid_from=D(2000, 1, 1),
        defaults=dict(morning_start=datetime.time(7, 0), morning_end=datetime.time(11, 30),
                      afternoon_start=datetime.time(13, 30), afternoon_end=datetime.time(17, 0),
                      weekdays="12345", source="Giờ làm việc mặc định (8 giờ/ngày, Thứ Hai đến Thứ Sáu)"))
    for day, kind, name, source in DAYS:
        CalendarDay.objects.update_or_create(date=day, defaults=dict(kind=kind, name=name, source=source,
                                                                     confirmed=True))
    CalendarRevision.objects.update_or_create(pk=1, defaults=dict(revision=1, token=uuid.uuid4().hex))


def unseed(apps, schema_editor):
    apps.get_model("workcalendar", "CalendarDay").objects.filter(date__in=[d[0] for d in DAYS]).delete()
    apps.get_model("workcalendar", "WorkSchedule").objects.filter(valid_from=D(2000, 1, 1)).delete()


class Migration(migrations.Migration):
    dependencies = [("workcalendar", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
