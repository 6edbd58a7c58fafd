from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tinhso.backups.engine import restore_backup
from tinhso.backups.errors import BackupError


class Command(BaseCommand):
    help = ("Khôi phục CSDL và tệp từ một bản sao lưu, GHI ĐÈ dữ liệu hiện tại, rồi đối chiếu với manifest.")

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", metavar="DIR", required=True,
                            help=_("thư mục bản sao lưu (có manifest.json)"))
        parser.add_argument("--yes", action="store_true",
                            help=_("xác nhận: dữ liệu hiện tại sẽ bị thay bằng bản sao lưu"))

    def handle(self, *args, **options):
        if not options["yes"]:
            raise CommandError(_("Khôi phục sẽ XÓA dữ liệu hiện tại và thay bằng bản sao lưu %(dir)s. Dừng ứng dụng "
                                 "và tiến trình nền, rồi chạy lại với --yes để xác nhận.") % {"dir": options["source"]})
        try:
            report = restore_backup(Path(options["source"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines(all_tables=options["verbosity"] > 1):
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(_("KHÔNG KHỚP: dữ liệu sau khi khôi phục khác bản sao lưu (xem các dòng trên)."),
                               returncode=1)
        self.stdout.write(self.style.SUCCESS(_("KHỚP: đã khôi phục từ %(dir)s và đối chiếu xong.")
                                             % {"dir": options["source"]}))
