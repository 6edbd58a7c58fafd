from django.core.management.base import BaseCommand

from tinhso.core.files import sweep_orphans


class Command(BaseCommand):
    help = ("Xóa các tệp đã lưu nhưng không còn bản ghi nào tham chiếu (thao tác lưu tệp bị hủy giữa chừng), "
            "cũ hơn TINHSO_ORPHAN_GRACE_HOURS giờ. --dry-run chỉ liệt kê.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê, không xóa.")

    def handle(self, *args, dry_run=False, **options):
        report = sweep_orphans(dry_run=dry_run)
        for name in report.removed:
            self.stdout.write(("  sẽ xóa " if dry_run else "  đã xóa ") + name)
        self.stdout.write(f"Tệp mồ côi: {len(report.removed)} ({'chưa xóa, chạy thử' if dry_run else 'đã xóa'}); "
                          f"còn mới: {report.kept_young}; đang được dùng: {report.referenced}.")
