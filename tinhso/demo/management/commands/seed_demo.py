from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tinhso.demo.seed import DEMO_PASSWORD, seed_demo
from tinhso.core.errors import DomainError


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: đơn vị hành chính, cơ quan và cán bộ thành phố Cần Thơ, danh mục thủ tục (chạy lại an toàn)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dossiers", type=int, default=settings.TINHSO_DEMO_DOSSIERS,
            help="Số hồ sơ mô phỏng trong 12 tháng qua, để bảng điều hành có số liệu (mặc định 3000, "
                 "TINHSO_DEMO_DOSSIERS; 0: không sinh).")

    def handle(self, *args, dossiers=0, **options):
        from tinhso.demo import province_year

        if dossiers < 0:
            raise CommandError("--dossiers phải là số không âm.")
        try:
            staff = seed_demo()
            if dossiers:
                stats = province_year.ensure(dossiers)
                from tinhso.serviceindex.demo import seed_service_index

                seed_service_index()  # the snapshots again, now over the generated dossiers
                if options.get("verbosity", 1) and not stats.get("reused"):
                    self.stdout.write(f"Đã sinh {stats['dossiers']:,} hồ sơ mô phỏng trong 12 tháng qua "
                                      f"({stats['seconds']} giây).")
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        width = max(len(u) for u, _, _ in staff)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Tỉnh Số — dữ liệu mẫu thành phố Cần Thơ đã sẵn sàng."))
        self.stdout.write("Mở http://127.0.0.1:8000/ và đăng nhập bằng một trong các tài khoản sau "
                          f"(mật khẩu chung: {DEMO_PASSWORD}):")
        for username, roles, title in staff:
            self.stdout.write(f"  {username.ljust(width)}  {roles}  ({title})")
        self.stdout.write("Quản trị hệ thống bắt buộc xác thực hai bước: lần đầu đăng nhập tài khoản admin, hãy quét mã QR "
                          "bằng một ứng dụng xác thực (Google Authenticator, FreeOTP…).")
        self._citizens()
        self.stdout.write("Phản ánh hiện trường: http://127.0.0.1:8000/phan-anh/ (trung tâm điều hành: tài khoản "
                          "dieuhanh)  ·  Open311: /open311/v2/services.json")
        self.stdout.write("Văn bản đi, đến: http://127.0.0.1:8000/van-ban/ (một công văn của Sở Xây dựng đang chờ "
                          "vanthu.ninhkieu vào sổ)")
        self.stdout.write("Tích hợp, chia sẻ dữ liệu: http://127.0.0.1:8000/tich-hop/ (admin; nhật ký trao đổi dữ liệu: "
                          "kiemtra)  ·  OAuth 2.0: POST /oauth/token")
        self.stdout.write("Chỉ số phục vụ (QĐ 766): http://127.0.0.1:8000/chi-so-766/  ·  chỉ tiêu chuyển đổi số: "
                          "/dashboard/chuong-trinh/  ·  DTI: /bao-cao/dti/ (tài khoản dieuhanh)")
        self.stdout.write("Họp trực tuyến đến xã: /hop-truc-tuyen/  ·  danh bạ, hộp thư công vụ, chứng thư số: /danh-ba/  ·  "
                          "địa chỉ số: /dia-chi/ (quản lý, nhập Excel: /dia-chi/quan-ly/)  ·  nông sản, mã số vùng trồng, "
                          "tem QR: /nong-san/ (chuyenvien.snnmt)  ·  tổ công nghệ số cộng đồng: /to-cong-nghe-so/ "
                          "(chuyenvien.ninhkieu)  ·  giám sát an toàn thông tin: /an-ninh/ (kiemtra)")
        self.stdout.write("Ứng dụng công dân (cài từ trình duyệt điện thoại): http://127.0.0.1:8000/app/ — đăng nhập "
                          "định danh điện tử; Nguyễn Văn An có một hồ sơ đang chờ bổ sung")
        self.stdout.write("API: http://127.0.0.1:8000/api/v1/docs  ·  OpenAPI: /api/v1/openapi.json")
        self.stdout.write("")

    def _citizens(self):
        from django.conf import settings

        if not settings.TINHSO_OIDC_SANDBOX:
            return
        from tinhso.identity.demo import sandbox_people

        self.stdout.write("")
        self.stdout.write("Cổng dịch vụ công: http://127.0.0.1:8000/dvc/ — đăng nhập công dân qua cổng định danh "
                          f"thử nghiệm (mật khẩu chung: {settings.TINHSO_OIDC_SANDBOX_PASSWORD}):")
        for person in sandbox_people():
            self.stdout.write(f"  {person['id_number']}  {person['full_name']}")
