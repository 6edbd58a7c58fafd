from django.core.management.base import BaseCommand

from tinhso.serviceindex.snapshots import backfill, previous_months


class Command(BaseCommand):
    help = "Chụp điểm Bộ chỉ số 766 cho các tháng đã qua (mặc định 12 tháng, toàn tỉnh và từng sở, xã)."

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=12)
        parser.add_argument("--province-only", action="store_true")
        parser.add_argument("--replace", action="store_true", help="chụp lại cả những tháng đã có ảnh chụp")

    def handle(self, *args, months, province_only, replace, **options):
        if not 1 <= months <= 60:
            self.stderr.write("--months phải từ 1 đến 60.")
            return
        taken = backfill(previous_months(months), all_agencies=not province_only, replace=replace)
        self.stdout.write(f"Đã chụp {taken} ảnh điểm.")
