"""The seeds' 2025 targets of the digital-transformation programme, as data
the province checks against its own plan and replaces (all unverified: the
source is a news article, not the plan itself)."""

from django.db import migrations

ARTICLE = "Bài viết nguồn về chuyển đổi số của tỉnh {province}, mục tiêu đến năm 2025 (chưa đối chiếu văn bản)"
SOURCE = "Bài viết nguồn về chuyển đổi số tỉnh {province}"
D766 = ("Mức đạt điểm tối đa của chỉ số {indicator} Quyết định 766/QĐ-TTg, dùng tạm làm chỉ tiêu "
        "(chưa đối chiếu văn bản)")
PLACEHOLDER = "Chỉ tiêu tạm, chưa có văn bản nguồn; tỉnh thay bằng chỉ tiêu trong kế hoạch của mình (chưa đối chiếu văn bản)"

# key, label, target, unit, kind, group, level, basis
TARGETS = [
    ("services_online", "Thủ tục hành chính cung cấp dịch vụ công trực tuyến (mức độ 3-4)", 100, "%", "percent",
     "services", "", ARTICLE.format(province="Hậu Giang")),
    ("online_share", "Tỷ lệ hồ sơ tiếp nhận trực tuyến", 50, "%", "percent", "services", "",
     D766.format(indicator="3.3")),
    ("satisfaction", "Mức độ hài lòng của người dân, doanh nghiệp", 90, "%", "percent", "services", "",
     D766.format(indicator="5.4")),
    ("digitisation_province", "Số hóa hồ sơ, kết quả giải quyết TTHC cấp tỉnh", 80, "%", "percent", "services",
     "province", D766.format(indicator="4.2")),
    ("digitisation_commune", "Số hóa hồ sơ, kết quả giải quyết TTHC cấp xã", 80, "%", "percent", "services",
     "commune", D766.format(indicator="4.2")),
    ("signed_documents", "Văn bản đi được ký số", 100, "%", "percent", "government", "",
     ARTICLE.format(province="Hậu Giang")),
    ("document_software_agencies", "Cơ quan dùng phần mềm quản lý văn bản kết nối trục liên thông quốc gia", 100,
     "%", "percent", "government", "", ARTICLE.format(province="Hậu Giang")),
    ("field_reports_on_time", "Phản ánh hiện trường được xử lý đúng hạn", 90, "%", "percent", "government", "",
     PLACEHOLDER),
    ("enterprises_informed", "Doanh nghiệp được phổ biến về chuyển đổi số", 100, "%", "percent", "economy", "",
     ARTICLE.format(province="Hậu Giang")),
    ("enterprises_ecommerce", "Doanh nghiệp sử dụng thương mại điện tử", 50, "%", "percent", "economy", "",
     ARTICLE.format(province="Hậu Giang")),
    ("enterprises_supported", "Doanh nghiệp được hỗ trợ chuyển đổi số", 200, "doanh nghiệp", "count", "economy", "",
     ARTICLE.format(province="Hậu Giang")),
    ("digital_economy_grdp", "Tỷ trọng kinh tế số trong GRDP", 20, "%", "percent", "economy", "",
     ARTICLE.format(province="Hậu Giang")),
    ("ecommerce_retail", "Thương mại điện tử trong tổng mức bán lẻ", 10, "%", "percent", "economy", "",
     ARTICLE.format(province="Hậu Giang")),
    ("enterprises_econtracts", "Doanh nghiệp sử dụng hợp đồng điện tử", 80, "%", "percent", "economy", "",
     ARTICLE.format(province="Hậu Giang")),
    ("sme_digital_platforms", "Doanh nghiệp nhỏ và vừa sử dụng nền tảng số", 50, "%", "percent", "economy", "",
     ARTICLE.format(province="Hậu Giang")),
    ("digital_workforce", "Lao động kinh tế số trong lực lượng lao động", 2, "%", "percent", "economy", "",
     ARTICLE.format(province="Hậu Giang")),
    ("tax_online", "Doanh nghiệp khai thuế điện tử", 99, "%", "percent", "economy", "",
     ARTICLE.format(province="Hải Dương")),
    ("ecommerce_households", "Hộ nông dân tham gia sàn thương mại điện tử", 128500, "hộ", "count", "economy", "",
     ARTICLE.format(province="Hải Dương")),
    ("communes_broadband", "Xã có cáp quang băng rộng", 98, "%", "percent", "infrastructure", "",
     ARTICLE.format(province="Hà Giang")),
    ("mobile_coverage", "Phủ sóng di động", 98.6, "%", "percent", "infrastructure", "",
     ARTICLE.format(province="Hà Giang")),
    ("base_stations", "Trạm phát sóng di động", 2418, "trạm", "count", "infrastructure", "",
     ARTICLE.format(province="Hà Giang")),
]
# the rows of 0003 (figures counted by other apps): their kind, group and source
EXISTING = {
    "email_accounts": ("count", "government", "Hải Dương"),
    "certificates": ("count", "government", "Hải Dương"),
    "community_teams": ("count", "society", "Hải Dương"),
    "products_on_ecommerce": ("count", "economy", "Bến Tre"),
    "growing_area_codes": ("count", "economy", "Hải Dương"),
    "meeting_communes": ("percent", "government", "Hậu Giang"),
}


def _issuer(basis: str) -> str:
    """The short name of the source shown beside the target (the basis keeps the whole note)."""
    if basis.startswith("Bài viết nguồn"):
        return basis.split(", mục tiêu")[0].replace("của tỉnh", "tỉnh")
    if "766/QĐ-TTg" in basis:
        return "Quyết định 766/QĐ-TTg (mức đạt điểm tối đa)"
    return ""


def seed(apps, schema_editor):
    ProgrammeTarget = apps.get_model("dashboard", "ProgrammeTarget")
    for key, (kind, group, province) in EXISTING.items():
        ProgrammeTarget.objects.filter(key=key, valid_from=None, verified=False).update(
            kind=kind, group=group, source_issuer=SOURCE.format(province=province))
    for key, label, target, unit, kind, group, level, basis in TARGETS:
        if ProgrammeTarget.objects.filter(key=key).exists():
            continue
        ProgrammeTarget.objects.create(key=key, label=label, target=target, unit=unit, kind=kind, group=group,
                                       level=level, basis=basis[:300], source_issuer=_issuer(basis), verified=False)


def unseed(apps, schema_editor):
    apps.get_model("dashboard", "ProgrammeTarget").objects.filter(
        key__in=[t[0] for t in TARGETS], verified=False).delete()


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0004_programme_kinds_and_values")]
    operations = [migrations.RunPython(seed, unseed)]
