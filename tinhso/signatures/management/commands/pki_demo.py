"""Create (idempotently) the demo PKI: root CA -> agency CA, a TSA certificate,
and seal certificates for agencies / personal certificates for staff."""

from django.core.management.base import BaseCommand, CommandError

from tinhso.signatures import pki


class Command(BaseCommand):
    help = "Tạo hệ thống CA thử nghiệm và cấp chứng thư số thử nghiệm cho cơ quan, cán bộ (không dùng ở production)."

    def add_arguments(self, parser):
        parser.add_argument("--agency", action="append", default=[], help="mã định danh cơ quan (lặp lại được)")
        parser.add_argument("--all-agencies", action="store_true", help="cấp cho mọi cơ quan đang hoạt động")
        parser.add_argument("--user", action="append", default=[], help="tên đăng nhập cán bộ (lặp lại được)")

    def handle(self, *args, **opts):
        from django.contrib.auth import get_user_model

        from tinhso.agencies.models import Agency

        if not pki.demo_enabled():
            raise CommandError("TINHSO_PKI_DEMO đang tắt: không tạo CA thử nghiệm (ví dụ ở production).")
        h = pki.ensure_demo_hierarchy()
        self.stdout.write(f"CA gốc: {h.root.subject} (SHA-256 {h.root.fingerprint})")
        self.stdout.write(f"CA cơ quan: {h.agency_ca.subject}")
        self.stdout.write(f"TSA: {h.tsa.subject}")
        self.stdout.write(f"Chứng thư gốc (PEM): {pki.pki_dir() / 'demo-root.pem'}")
        agencies = list(Agency.objects.filter(is_active=True)) if opts["all_agencies"] else []
        for code in opts["agency"]:
            agency = Agency.objects.filter(code=code).first()
            if agency is None:
                raise CommandError(f"Không có cơ quan mã {code}.")
            agencies.append(agency)
        for agency in agencies:
            cred = pki.credential_for_agency(agency)
            self.stdout.write(f"  con dấu: {agency.code} {agency.name} — số hiệu {cred.serial}")
        User = get_user_model()
        for username in opts["user"]:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"Không có tài khoản {username}.")
            cred = pki.credential_for_user(user)
            self.stdout.write(f"  cá nhân: {username} {cred.subject} — số hiệu {cred.serial}")
