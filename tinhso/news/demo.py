"""Demo news and announcements of Cần Thơ, published by the Office of the
city people's committee: a few articles with a generated illustration, an
announcement for two wards, one scheduled for tomorrow and one draft. Texts
are SAMPLES written for the demo. Idempotent: nothing is added once the
categories are there."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from tinhso.agencies.models import Agency
from tinhso.news import actions
from tinhso.news.models import Category
from tinhso.units.models import AdministrativeUnit

CATEGORIES = [("Chỉ đạo, điều hành", "chi-dao-dieu-hanh"), ("Kinh tế", "kinh-te"),
              ("Văn hóa - Xã hội", "van-hoa-xa-hoi"), ("Chuyển đổi số", "chuyen-doi-so")]
# (category slug, kind, title, summary, body, hours ago (negative: scheduled; None: draft), communes, colour)
ARTICLES = [
    ("chuyen-doi-so", "news", "Cần Thơ ra mắt ứng dụng công dân số trên điện thoại",
     "Người dân tra cứu hồ sơ, gửi phản ánh, xem lịch công tác và giá cả thị trường ngay trên điện thoại.",
     "Ứng dụng được cài đặt trực tiếp từ trình duyệt, không cần kho ứng dụng, dùng được cả khi mạng yếu.\n\n"
     "Người dân đăng nhập bằng tài khoản định danh điện tử VNeID để theo dõi hồ sơ của mình, nhận thông báo khi "
     "hồ sơ cần bổ sung hoặc có kết quả.\n\nỨng dụng cũng hiển thị lịch công tác của lãnh đạo, giá cả thị trường "
     "tại các chợ và các thông báo của chính quyền.", 30, [], (29, 95, 160)),
    ("kinh-te", "news", "Giá lúa IR50404 tăng nhẹ, nông dân phấn khởi vào vụ Đông Xuân",
     "Giá lúa tươi tại ruộng tăng 100-200 đồng/kg so với tuần trước.",
     "Theo Sở Công Thương, giá lúa IR50404 tại các chợ đầu mối dao động quanh mức 5.800 đồng/kg.\n\n"
     "Người dân có thể xem giá cả hằng ngày trên Cổng dịch vụ công và ứng dụng công dân số.", 52, [],
     (198, 160, 40)),
    ("chi-dao-dieu-hanh", "news", "UBND thành phố chỉ đạo đẩy nhanh giải ngân vốn đầu tư công",
     "Các sở, ngành và UBND xã, phường rà soát tiến độ từng dự án, báo cáo trước ngày 25 hằng tháng.",
     "Chủ tịch UBND thành phố yêu cầu các chủ đầu tư tập trung tháo gỡ vướng mắc về mặt bằng.\n\n"
     "Sở Tài chính tổng hợp, báo cáo UBND thành phố kết quả giải ngân hằng tháng.", 80, [], None),
    ("van-hoa-xa-hoi", "announcement", "Thông báo tạm ngừng cung cấp điện khu vực phường Ninh Kiều và Cái Khế",
     "Ngừng cấp điện từ 7 giờ 30 đến 16 giờ 00 ngày Chủ nhật để bảo trì lưới điện.",
     "Công ty Điện lực thành phố thông báo tạm ngừng cung cấp điện để bảo trì, nâng cấp lưới điện.\n\n"
     "Khu vực ảnh hưởng: một phần phường Ninh Kiều và phường Cái Khế. Người dân vui lòng chủ động sắp xếp sinh "
     "hoạt.", 6, ["31135", "31120"], None),
    ("chuyen-doi-so", "news", "Sơ kết Đề án 06 năm 2026 (hẹn đăng)",
     "Tin hẹn giờ đăng: chưa hiển thị công khai cho đến giờ đã hẹn.",
     "Nội dung sẽ hiển thị vào ngày mai.", -20, [], None),
    ("kinh-te", "news", "Bản nháp: kế hoạch bình ổn thị trường Tết", "", "Bản nháp chưa đăng.", None, [], None),
]


def _picture(colour) -> SimpleUploadedFile:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 675), colour)
    draw = ImageDraw.Draw(image)
    for i in range(0, 1200, 60):
        draw.line([(i, 675), (i + 300, 0)], fill=tuple(min(255, c + 25) for c in colour), width=18)
    out = io.BytesIO()
    image.save(out, "PNG")
    return SimpleUploadedFile("minh-hoa.png", out.getvalue(), content_type="image/png")


def seed_news() -> bool:
    office = Agency.objects.filter(code="000.00.01.H13").first()
    if office is None or Category.objects.filter(slug=CATEGORIES[0][1]).exists():
        return False
    now = timezone.now()
    units = {u.code: u.pk for u in AdministrativeUnit.objects.filter(level="commune", valid_to__isnull=True,
                                                                      parent__code="92")}
    with transaction.atomic():
        categories = {slug: actions.ensure_category(acting_user=None, name=name, slug=slug, order=i)
                      for i, (name, slug) in enumerate(CATEGORIES)}
        for slug, kind, title, summary, body, hours, communes, colour in ARTICLES:
            article = actions.save_article(
                acting_user=None, agency_id=office.pk, kind=kind, title=title, summary=summary, body=body,
                category_id=categories[slug].pk,
                published_at=None if hours is None else now - datetime.timedelta(hours=hours),
                target_commune_ids=[units[c] for c in communes if c in units])
            if colour:
                actions.add_image(acting_user=None, article_id=article.pk, upload=_picture(colour),
                                  caption="Ảnh minh họa")
    return True
