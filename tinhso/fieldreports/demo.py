"""The demo province's field-report categories, routes and a year of
generated reports (Cần Thơ). Categories, deadlines and routes are what a
province configures at /phan-anh/quan-tri/; the reports go through the same
actions as real ones, with past times, so their history is real."""

from __future__ import annotations

import datetime
import io
import random

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from tinhso.accounts.models import User
from tinhso.identity.demo import sandbox_accounts
from tinhso.agencies.models import Agency
from tinhso.fieldreports.models import (
    CategoryAttribute, CategoryRoute, FieldReport, Reason, ReportCategory, StageDeadline,
)
from tinhso.units.models import AdministrativeUnit

H, D = "working_hours", "working_days"
# (code, name, English, group, keywords, handle deadline, who handles: "commune" or a department's code, public)
CATEGORIES = [
    ("GT01", "Đường hư hỏng, ổ gà, sụt lún", "Potholes, damaged or sunken road", "Giao thông",
     "ổ gà, ổ voi, sụt lún, hư hỏng mặt đường, nứt", (3, D), "commune", True),
    ("GT02", "Đèn tín hiệu giao thông hỏng", "Broken traffic lights", "Giao thông", "đèn đỏ, đèn xanh, tín hiệu",
     (8, H), "000.00.11.H13", True),
    ("GT03", "Biển báo, vạch sơn giao thông", "Road signs and markings", "Giao thông", "biển báo, vạch sơn, gương cầu",
     (5, D), "000.00.11.H13", True),
    ("GT04", "Ùn tắc giao thông", "Traffic congestion", "Giao thông", "kẹt xe, ùn tắc, tắc đường", (4, H), "commune",
     True),
    ("GT05", "Cầu, cống giao thông hư hỏng", "Damaged bridges and culverts", "Giao thông", "cầu, cống, lan can cầu",
     (3, D), "000.00.11.H13", True),
    ("MT01", "Rác thải, xả rác không đúng nơi", "Garbage and illegal dumping", "Môi trường",
     "rác, xà bần, bãi rác, đổ rác", (2, D), "commune", True),
    ("MT02", "Ô nhiễm không khí, mùi hôi", "Air pollution, odours", "Môi trường", "khói, bụi, mùi hôi, đốt rác",
     (5, D), "000.00.12.H13", True),
    ("MT03", "Ô nhiễm nguồn nước, kênh rạch", "Water pollution", "Môi trường", "nước thải, kênh, rạch, cá chết",
     (5, D), "000.00.12.H13", True),
    ("MT04", "Tiếng ồn", "Noise", "Môi trường", "ồn, karaoke, loa kẹo kéo, công trình ban đêm", (2, D), "commune",
     True),
    ("DT01", "Đèn chiếu sáng công cộng hỏng", "Broken street lights", "Hạ tầng đô thị",
     "đèn đường, chiếu sáng, bóng đèn", (3, D), "000.00.11.H13", True),
    ("DT02", "Cây xanh gãy đổ, nguy hiểm", "Fallen or dangerous trees", "Hạ tầng đô thị", "cây đổ, cây gãy, nhánh cây",
     (8, H), "commune", True),
    ("DT03", "Ngập nước, thoát nước", "Flooding and drainage", "Hạ tầng đô thị", "ngập, triều cường, cống nghẹt",
     (2, D), "commune", True),
    ("DT04", "Nắp cống, hố ga mất, hư hỏng", "Missing or broken manhole covers", "Hạ tầng đô thị", "nắp cống, hố ga",
     (8, H), "commune", True),
    ("DT05", "Cấp nước sinh hoạt", "Water supply", "Hạ tầng đô thị", "mất nước, nước đục, vỡ ống", (1, D),
     "000.00.11.H13", True),
    ("TT01", "Lấn chiếm vỉa hè, lòng đường", "Pavement and roadway encroachment", "Trật tự đô thị",
     "lấn chiếm, vỉa hè, buôn bán, lòng đường", (3, D), "commune", True),
    ("TT02", "Xây dựng không phép, sai phép", "Unlicensed construction", "Trật tự đô thị",
     "xây dựng trái phép, không phép, sai phép", (5, D), "commune", True),
    ("TT03", "Quảng cáo, rao vặt sai quy định", "Illegal advertising", "Trật tự đô thị", "quảng cáo, rao vặt, băng rôn",
     (5, D), "commune", True),
    ("TT04", "Đất đai, lấn chiếm đất công", "Encroachment on public land", "Trật tự đô thị", "đất công, lấn chiếm đất",
     (10, D), "000.00.12.H13", True),
    ("AN01", "An ninh trật tự, tụ tập gây rối", "Public order", "An ninh trật tự", "gây rối, đánh nhau, tụ tập",
     (4, H), "commune", False),
    ("AN02", "Phòng cháy, nguy cơ cháy nổ", "Fire hazards", "An ninh trật tự", "cháy, nổ, bình gas, đường dây điện",
     (4, H), "commune", False),
    ("YT01", "An toàn thực phẩm", "Food safety", "Y tế, an toàn thực phẩm", "thực phẩm bẩn, ngộ độc, hàng quán",
     (5, D), "000.00.14.H13", True),
    ("YT02", "Dịch bệnh, vệ sinh phòng dịch", "Epidemic prevention", "Y tế, an toàn thực phẩm",
     "sốt xuất huyết, muỗi, dịch bệnh", (3, D), "000.00.14.H13", True),
    ("CT01", "Giá cả, hàng giả, gian lận thương mại", "Prices, counterfeit goods", "Thương mại, dịch vụ",
     "hàng giả, giá cả, cân điêu", (5, D), "000.00.16.H13", True),
    ("KH01", "Vấn đề khác", "Other", "Khác", "", (5, D), "centre", True),
]
# Approximate centres of the demo communes (for generated pins).
CENTRES = {"31135": (10.0340, 105.7880), "31120": (10.0470, 105.7830), "31147": (10.0255, 105.7750),
           "31321": (9.7840, 105.4700), "31465": (9.7700, 105.5200), "31507": (9.6030, 105.9740)}

TEXTS = {
    "GT01": "Mặt đường có ổ gà lớn, sâu khoảng 20 cm, xe máy đi qua rất nguy hiểm nhất là ban đêm.",
    "MT01": "Người dân đổ rác, xà bần ra bãi đất trống đầu hẻm nhiều ngày chưa được thu gom, bốc mùi hôi.",
    "DT01": "Dãy đèn đường tắt cả tuần nay, đoạn đường tối om, người dân đi lại không an toàn.",
    "DT03": "Mưa lớn là nước ngập tới đầu gối, cống thoát nước bị nghẹt rác.",
    "TT01": "Quán ăn bày bàn ghế lấn chiếm toàn bộ vỉa hè, người đi bộ phải đi xuống lòng đường.",
    "DT02": "Cây xanh bị nghiêng sau cơn giông, có nguy cơ đổ vào nhà dân và đường dây điện.",
}
ANSWERS = "Đơn vị đã kiểm tra hiện trường và khắc phục xong; ảnh chụp sau khi xử lý đính kèm."


def _photo(seed: int) -> SimpleUploadedFile:
    from PIL import Image

    image = Image.new("RGB", (64, 48), ((seed * 37) % 255, (seed * 91) % 255, (seed * 53) % 255))
    out = io.BytesIO()
    image.save(out, "JPEG")
    return SimpleUploadedFile(f"anh-{seed}.jpg", out.getvalue(), content_type="image/jpeg")


@transaction.atomic
def seed_categories() -> int:
    agencies = {a.code: a for a in Agency.objects.all()}
    communes = {u.code: u for u in AdministrativeUnit.objects.filter(level="commune", valid_to__isnull=True,
                                                                     code__in=list(CENTRES))}
    made = 0
    for order, (code, name, name_en, group, keywords, handle, who, public) in enumerate(CATEGORIES):
        category, created = ReportCategory.objects.get_or_create(code=code, defaults={
            "name": name, "name_en": name_en, "group": group, "keywords": keywords, "is_public": public,
            "order": order, "valid_from": datetime.date(2025, 7, 1)})
        if not created:
            continue
        made += 1
        StageDeadline.objects.bulk_create([
            StageDeadline(category=category, stage="confirm", amount=4 if handle[1] == H else 8, unit=H),
            StageDeadline(category=category, stage="handle", amount=handle[0], unit=handle[1]),
            StageDeadline(category=category, stage="answer", amount=4, unit=H)])
        if who == "commune":
            for commune in communes.values():
                agency = agencies.get(f"000.{commune.code}.H13")
                if agency:
                    CategoryRoute.objects.create(category=category, unit=commune, agency=agency)
        elif who in agencies:
            CategoryRoute.objects.create(category=category, agency=agencies[who])
    pothole = ReportCategory.objects.get(code="GT01")
    CategoryAttribute.objects.get_or_create(category=pothole, code="kich_thuoc", defaults={
        "label": "Kích thước chỗ hư hỏng", "datatype": "singlevaluelist", "order": 1, "values": [
            {"key": "nho", "name": "Nhỏ (dưới 0,5 m)"}, {"key": "vua", "name": "Vừa (0,5–2 m)"},
            {"key": "lon", "name": "Lớn (trên 2 m)"}]})
    return made


def generate_reports(count: int, seed: int = 311) -> int:
    """`count` reports over the last year, spread across every state."""
    from tinhso.fieldreports import actions

    if count <= 0 or FieldReport.objects.exists():
        return 0
    rng = random.Random(seed)
    centre = User.objects.filter(username="dieuhanh").first()
    citizens = sandbox_accounts()
    if centre is None:
        return 0
    categories = list(ReportCategory.objects.all())
    communes = list(AdministrativeUnit.objects.filter(level="commune", valid_to__isnull=True, code__in=list(CENTRES)))
    reasons = {kind: list(Reason.objects.filter(kind=kind)) for kind in ("reject", "return", "hide", "send_back")}
    now = timezone.now()
    staffed = {a.unit_id for a in Agency.objects.filter(kind="commune_committee") if _handler(a)}
    weights = [6 if c.pk in staffed else 1 for c in communes]
    made = 0
    for i in range(count):
        category = rng.choice(categories)
        commune = rng.choices(communes, weights)[0]
        lat0, lng0 = CENTRES[commune.code]
        at = now - datetime.timedelta(days=rng.uniform(0.2, 360))
        kwargs = dict(category_code=category.code, description=TEXTS.get(category.code, f"Phản ánh về {category.name.lower()} tại khu vực.") ,
                      unit_id=commune.pk, lat=lat0 + rng.uniform(-0.008, 0.008), lng=lng0 + rng.uniform(-0.008, 0.008),
                      address=f"Khu vực {rng.randint(1, 9)}, {commune.name}", at=at,
                      files=[_photo(i)] if i % 4 == 0 else [])
        if citizens and rng.random() < 0.5:
            report = actions.submit_report(acting_user=rng.choice(citizens), channel=rng.choice(["web", "mobile"]), **kwargs)
        else:
            report = actions.submit_report(acting_user=centre, channel="phone", reporter_name="Người dân gọi đường dây nóng",
                                           reporter_phone=f"09{rng.randint(10000000, 99999999)}", **kwargs)
        made += 1
        fate = rng.random()
        step = lambda hours: at + datetime.timedelta(hours=hours)  # noqa: E731
        if at > now - datetime.timedelta(hours=6) or fate < 0.05:
            continue  # still new
        if fate < 0.11:
            actions.reject(acting_user=centre, code=report.code, reason_id=rng.choice(reasons["reject"]).pk, at=step(2))
            continue
        actions.confirm(acting_user=centre, code=report.code, at=step(rng.uniform(0.5, 6)))
        report.refresh_from_db()
        if report.agency is None:
            continue
        handler = _handler(report.agency)
        if handler is None or fate < 0.18:
            continue
        actions.accept(acting_user=handler, code=report.code, at=step(8))
        if fate < 0.25:
            continue
        actions.start_work(acting_user=handler, code=report.code, at=step(10))
        late = rng.random() < 0.15
        answered = step(rng.uniform(12, 60) + (120 if late else 0))
        if answered > now or fate < 0.32:
            continue
        actions.answer(acting_user=handler, code=report.code, text=ANSWERS, files=[_photo(10_000 + i)], at=answered)
        published = answered + datetime.timedelta(hours=rng.uniform(1, 8))
        if published > now or fate < 0.38:
            continue
        actions.publish(acting_user=centre, code=report.code, at=published)
        if report.reporter_id and rng.random() < 0.8 and published + datetime.timedelta(days=1) < now:
            rating = rng.choices(["very_satisfied", "satisfied", "not_satisfied"], [45, 46, 9])[0]
            actions.rate(acting_user=report.reporter, code=report.code, rating=rating,
                         at=published + datetime.timedelta(hours=20))
    actions.close_unrated(now)
    return made


def _handler(agency):
    from tinhso.fieldreports.people import handlers

    found = handlers(agency)
    return found[0] if found else None


def load_demo(count: int | None = None) -> int:
    seed_categories()
    return generate_reports(settings.TINHSO_DEMO_REPORTS if count is None else count)
