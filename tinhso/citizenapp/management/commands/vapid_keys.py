"""Create the Web Push (VAPID) key pair once, outside the repository
(TINHSO_VAPID_FILE, default var/vapid.json, mode 600). Does nothing when keys
exist (from the environment or the file) unless --rotate (every existing
subscription then stops working: browsers subscribed with the old key)."""

import json
import os

from django.conf import settings
from django.core.management.base import BaseCommand

from tinhso.citizenapp.push import generate_keys, vapid_keys


class Command(BaseCommand):
    help = "Tạo cặp khóa VAPID cho thông báo đẩy (nếu chưa có)."

    def add_arguments(self, parser):
        parser.add_argument("--rotate", action="store_true", help="tạo cặp khóa mới thay cặp khóa cũ")

    def handle(self, *args, rotate=False, **options):
        if vapid_keys() is not None and not rotate:
            self.stdout.write("Đã có khóa VAPID; không tạo lại.")
            return
        path = settings.TINHSO_VAPID_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(generate_keys(), handle)
        self.stdout.write(f"Đã tạo khóa VAPID tại {path}.")
