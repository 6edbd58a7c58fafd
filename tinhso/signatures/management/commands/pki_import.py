"""Import a real signing credential (PKCS#12 from a CA licensed under Decree
23/2025 or the government CA under Decree 68/2024) for an agency seal or a
staff member. The file is re-encrypted with TINHSO_PKI_PASSPHRASE."""

import os

from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.management.base import BaseCommand, CommandError

from tinhso.signatures import pki
from tinhso.signatures.models import CredentialPurpose


class Command(BaseCommand):
    help = "Nhập chứng thư số (tệp PKCS#12) cho con dấu cơ quan (--agency) hoặc cán bộ (--user)."

    def add_arguments(self, parser):
        parser.add_argument("p12", help="đường dẫn tệp .p12/.pfx")
        parser.add_argument("--agency", help="mã định danh cơ quan (chữ ký số cơ quan)")
        parser.add_argument("--user", help="tên đăng nhập cán bộ (chữ ký số cá nhân)")
        parser.add_argument("--passphrase-env", default="TINHSO_PKI_IMPORT_PASSPHRASE",
                            help="biến môi trường chứa mật khẩu của tệp nhập vào")

    def handle(self, *args, **opts):
        from django.contrib.auth import get_user_model

        from tinhso.agencies.models import Agency

        if bool(opts["agency"]) == bool(opts["user"]):
            raise CommandError("Chỉ định đúng một trong --agency hoặc --user.")
        secret = os.environ.get(opts["passphrase_env"], "")
        try:
            with open(opts["p12"], "rb") as fh:
                key, cert, extra = pkcs12.load_key_and_certificates(fh.read(), secret.encode() or None)
        except (OSError, ValueError) as exc:
            raise CommandError(f"Không đọc được tệp PKCS#12: {exc}") from exc
        if key is None or cert is None:
            raise CommandError("Tệp PKCS#12 phải chứa khóa bí mật và chứng thư.")
        agency = user = None
        if opts["agency"]:
            agency = Agency.objects.filter(code=opts["agency"]).first()
            if agency is None:
                raise CommandError(f"Không có cơ quan mã {opts['agency']}.")
            purpose, label = CredentialPurpose.SEAL, agency.name
        else:
            user = get_user_model().objects.filter(username=opts["user"]).first()
            if user is None:
                raise CommandError(f"Không có tài khoản {opts['user']}.")
            purpose, label = CredentialPurpose.PERSONAL, user.get_full_name()
            agency = pki.user_agency(user)
        cred = pki.save_credential(purpose=purpose, key=key, cert=cert, chain=list(extra or []), label=label,
                                   agency=agency, user=user, demo=False)
        self.stdout.write(f"Đã nhập: {cred.subject} (số hiệu {cred.serial}, hiệu lực đến {cred.not_after:%Y-%m-%d})")
