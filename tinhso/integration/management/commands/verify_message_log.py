from django.core.management.base import BaseCommand

from tinhso.integration.log import verify


class Command(BaseCommand):
    help = ("Kiểm tra chuỗi mã băm của nhật ký trao đổi dữ liệu: mọi bản ghi còn nguyên, đủ, đúng thứ tự. "
            "Thoát với mã 1 nếu chuỗi bị đứt (bản ghi bị xóa, chèn hoặc sửa).")

    def handle(self, *args, **options):
        checked, breaks = verify()
        for item in breaks[:100]:
            self.stderr.write(f"Bản ghi #{item.seq}: {item.problem}")
        if breaks:
            self.stderr.write(f"CHUỖI BỊ ĐỨT: {len(breaks)} lỗi trong {checked} bản ghi đã kiểm tra.")
            raise SystemExit(1)
        self.stdout.write(f"Chuỗi nhật ký toàn vẹn: {checked} bản ghi đã kiểm tra.")
