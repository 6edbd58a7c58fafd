from django.core.management.base import BaseCommand, CommandError

from tinhso.core.errors import DomainError
from tinhso.workcalendar.actions import propose_holidays


class Command(BaseCommand):
    help = ("Đề xuất (chưa xác nhận) các ngày nghỉ lễ, Tết và nghỉ bù của một năm theo Điều 112 Bộ Luật Lao động "
            "2019 và âm lịch Việt Nam. Không ghi đè các ngày đã xác nhận.")

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)

    def handle(self, *args, year, **options):
        try:
            result = propose_holidays(acting_user=None, year=year)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Năm {year}: tạo mới {len(result.created)}, cập nhật {len(result.updated)}, "
                          f"giữ nguyên {len(result.kept_confirmed)} ngày đã xác nhận.")
        for d in result.created:
            self.stdout.write(f"  + {d:%d/%m/%Y}")
