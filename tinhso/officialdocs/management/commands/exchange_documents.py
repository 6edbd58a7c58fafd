import json

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Một lượt liên thông văn bản: gửi lại gói tin chưa đi, nhận gói tin đang chờ trên trục."

    def handle(self, *args, **options):
        from tinhso.officialdocs.exchange import tick

        self.stdout.write(json.dumps(tick(), ensure_ascii=False))
