from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tinhso.core.errors import DomainError
from tinhso.units.actions import import_units


class Command(BaseCommand):
    help = "Nạp 34 tỉnh, 3.321 xã sau sắp xếp 2025 và bảng kế thừa cũ -> mới (chạy lại an toàn)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(settings.TINHSO_ADMIN_UNITS_DIR),
                            help="Thư mục dữ liệu admin-units-2025")

    def handle(self, *args, **options):
        try:
            summary = import_units(acting_user=None, directory=Path(options["dir"]))
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for line in summary.pop("warning_lines"):
            self.stderr.write(f"cảnh báo: {line}")
        self.stdout.write(self.style.SUCCESS(
            "Đơn vị hành chính: thêm {units_created}, đổi tên {units_renamed}; kế thừa: thêm {successions_created}; "
            "cảnh báo: {warnings}".format(**summary)))
