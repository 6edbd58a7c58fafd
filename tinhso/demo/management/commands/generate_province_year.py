from django.core.management.base import BaseCommand, CommandError

from tinhso.core.errors import DomainError
from tinhso.dossiers.models import Channel, Outcome, Status



def _label(choices, code) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return str(code)


class Command(BaseCommand):
    help = ("Sinh dữ liệu mô phỏng một năm của tỉnh mẫu (Cần Thơ): cơ quan một cửa của mọi xã, phường, cán bộ, "
            "N hồ sơ với quá trình xử lý, thanh toán và đánh giá. Chạy lại với cùng tham số thì không làm gì; "
            "tham số khác thì xóa bộ dữ liệu sinh trước đó (không đụng tới hồ sơ thật) rồi sinh lại.")

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, required=True, help="Số hồ sơ cần sinh (ví dụ 1000000).")
        parser.add_argument("--seed", type=int, default=1, help="Hạt giống ngẫu nhiên (mặc định 1).")
        parser.add_argument("--year", type=int, default=None,
                            help="Năm dữ liệu (mặc định: 12 tháng tính đến hôm nay).")
        parser.add_argument("--force", action="store_true", help="Sinh lại kể cả khi đã có đúng bộ dữ liệu này.")

    def handle(self, *args, dossiers, seed, year, force, **options):
        from tinhso.demo import province_year
        from tinhso.demo.seed import seed_demo

        try:
            seed_demo()
            if force:
                stats = province_year.generate(dossiers, seed=seed, year=year, stdout=self.stdout)
            else:
                stats = province_year.ensure(dossiers, seed=seed, year=year, stdout=self.stdout)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self._summary(stats)

    def _summary(self, stats):
        out = self.stdout
        total = stats["dossiers"] or 1
        out.write("")
        if stats.get("reused"):
            out.write(self.style.SUCCESS("Cơ sở dữ liệu đã có đúng bộ dữ liệu này; không sinh lại."))
        else:
            out.write(self.style.SUCCESS(f"Đã sinh {stats['dossiers']:,} hồ sơ trong {stats['seconds']} giây."))
        out.write(f"Giai đoạn: {stats['period'][0]} → {stats['period'][1]}  (seed {stats['seed']}, "
                  f"năm {stats['year'] or 'gần nhất'})")
        out.write(f"Cơ quan có hồ sơ: {stats['agencies']}  ·  xã, phường: {stats['communes']}  ·  "
                  f"cán bộ xử lý: {stats['staff']}  ·  trường hợp thủ tục: {stats['cases']}")
        out.write("Theo trạng thái:")
        for code, count in stats["status"].items():
            out.write(f"  {int(code):>2} {_label(Status, int(code)):<22} {count:>10,}  "
                      f"{100 * count / total:5.1f}%")
        out.write("Theo kênh nộp:")
        for code, count in stats["channel"].items():
            out.write(f"  {_label(Channel, int(code)):<25} {count:>10,}  {100 * count / total:5.1f}%")
        done = sum(stats["outcome"].values()) or 1
        out.write("Kết quả so với hẹn trả (hồ sơ đã có kết quả):")
        for code, count in stats["outcome"].items():
            out.write(f"  {_label(Outcome, code):<25} {count:>10,}  {100 * count / done:5.1f}%")
        out.write(f"Đang giải quyết mà đã quá hạn: {stats['overdue_open']:,}")
        out.write(f"Quá trình xử lý: {stats['events']:,}  ·  tạm dừng: {stats['pauses']:,}  ·  "
                  f"thanh toán: {stats['payments']:,} ({stats['payment_lines']:,} khoản)  ·  "
                  f"đánh giá: {stats['evaluations']:,} ({stats['criterion_ratings']:,} tiêu chí)")
        out.write("")
