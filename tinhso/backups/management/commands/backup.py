from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tinhso.backups.engine import check_backup, human_size, make_backup
from tinhso.backups.errors import BackupError


class Command(BaseCommand):
    help = ("Sao lưu CSDL và các tệp đã tải lên vào một thư mục (mặc định var/backups/<thời điểm>/), "
            "kèm manifest.json.")

    def add_arguments(self, parser):
        parser.add_argument("--to", dest="to", metavar="DIR",
                            help=_("thư mục đích (mới hoặc rỗng); mặc định var/backups/<thời điểm>/"))
        parser.add_argument("--no-files", action="store_true",
                            help=_("chỉ sao lưu CSDL, bỏ qua tệp đã tải lên (khi kho tệp được bảo vệ cách khác)"))
        parser.add_argument("--check", action="store_true",
                            help=_("sau đó diễn tập khôi phục bản vừa tạo (như backup_check --from DIR)"))

    def handle(self, *args, **options):
        try:
            directory, manifest = make_backup(Path(options["to"]) if options["to"] else None,
                                           include_files=not options["no_files"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        database, files = manifest["database"], manifest["files"]
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(self.style.SUCCESS(_("Đã sao lưu vào %(dir)s") % {"dir": directory}))
        self.stdout.write(_("  CSDL %(vendor)s: %(tables)s bảng, %(rows)s dòng, tệp %(file)s %(size)s")
                          % {"vendor": database["vendor"], "tables": len(manifest["tables"]), "rows": rows,
                             "file": database["file"], "size": human_size(database["size"])})
        if files["included"]:
            self.stdout.write(_("  Tệp đã tải lên: %(n)s tệp, %(size)s") % {"n": files["count"],
                                                                           "size": human_size(files["bytes"])})
        else:
            self.stdout.write(_("  Tệp đã tải lên: bỏ qua (--no-files)"))
        self.stdout.write(_("  Thời gian: %(s)s giây. Kiểm tra bản này: manage.py backup_check --from %(dir)s")
                          % {"s": manifest["duration_seconds"], "dir": directory})
        if options["check"]:
            try:
                _kept, report = check_backup(directory)
            except BackupError as exc:
                raise CommandError(str(exc)) from exc
            for line in report.lines(all_tables=options["verbosity"] > 1):
                self.stdout.write(line)
            if not report.ok:
                raise CommandError(_("KHÔNG KHỚP: bản sao lưu %(dir)s không khôi phục đúng (xem các dòng trên).")
                                   % {"dir": directory}, returncode=1)
            self.stdout.write(self.style.SUCCESS(_("KHỚP: bản sao lưu khôi phục được và trùng khớp từng bảng, "
                                                   "từng tệp.")))
