from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tinhso.backups.engine import check_backup
from tinhso.backups.errors import BackupError


class Command(BaseCommand):
    help = ("Diễn tập khôi phục: sao lưu (hoặc lấy bản có sẵn với --from), khôi phục vào CSDL và thư mục tạm, so "
             "từng bảng và từng tệp. Không đụng tới dữ liệu đang chạy. Mã thoát 1 nếu có khác biệt.")

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", metavar="DIR",
                            help=_("kiểm tra bản sao lưu có sẵn này thay vì tạo bản mới"))
        parser.add_argument("--keep", metavar="DIR",
                            help=_("giữ bản sao lưu mới tạo ở thư mục này (mặc định: xóa sau khi kiểm tra)"))

    def handle(self, *args, **options):
        if options["source"] and options["keep"]:
            raise CommandError(_("Dùng --from hoặc --keep, không dùng cả hai."))
        try:
            kept, report = check_backup(Path(options["source"]) if options["source"] else None,
                                        keep=Path(options["keep"]) if options["keep"] else None)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines(all_tables=options["verbosity"] >= 1):
            self.stdout.write(line)
        if kept:
            self.stdout.write(_("Bản sao lưu: %(dir)s") % {"dir": kept})
        if not report.ok:
            names = [t.name for t in report.table_failures] + report.file_problems + report.problems
            raise CommandError(_("KHÔNG KHỚP: %(what)s") % {"what": "; ".join(names)}, returncode=1)
        self.stdout.write(self.style.SUCCESS(_("KHỚP: bản sao lưu khôi phục được và trùng khớp từng bảng, từng tệp.")))
