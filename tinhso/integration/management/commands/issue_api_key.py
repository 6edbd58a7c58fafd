from django.core.management.base import BaseCommand, CommandError

from tinhso.core.errors import DomainError
from tinhso.integration.actions import issue_key, register_client


class Command(BaseCommand):
    help = ("Cấp khóa truy cập (api_key) cho một hệ thống kết nối; tạo hệ thống nếu chưa có. "
            "Khóa in ở dòng cuối, chỉ hiện một lần.")

    def add_arguments(self, parser):
        parser.add_argument("system", help="tên hệ thống kết nối")
        parser.add_argument("--scope", action="append", required=True, help="phạm vi, ví dụ open311 (lặp lại được)")

    def handle(self, *args, system, scope, **options):
        try:
            client = register_client(acting_user=None, name=system)
            row, key = issue_key(acting_user=None, client=client, scopes=scope)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Hệ thống: {client.name} · phạm vi: {', '.join(row.scopes)} · mã khóa #{row.pk}")
        self.stdout.write(key)
