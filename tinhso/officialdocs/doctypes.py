"""The document types of Decree 30/2020 (Appendix III), seeded by migration 0002 and
re-created by `ensure()` where a test has flushed the table."""

# Decree 30/2020/NĐ-CP, Appendix III: the 29 administrative document types and their abbreviations.
TYPES = [
    ("Nghị quyết (cá biệt)", "NQ"), ("Quyết định (cá biệt)", "QĐ"), ("Chỉ thị", "CT"), ("Quy chế", "QC"),
    ("Quy định", "QyĐ"), ("Thông cáo", "TC"), ("Thông báo", "TB"), ("Hướng dẫn", "HD"), ("Chương trình", "CTr"),
    ("Kế hoạch", "KH"), ("Phương án", "PA"), ("Đề án", "ĐA"), ("Dự án", "DA"), ("Báo cáo", "BC"),
    ("Biên bản", "BB"), ("Tờ trình", "TTr"), ("Hợp đồng", "HĐ"), ("Công văn", "CV"), ("Công điện", "CĐ"),
    ("Bản ghi nhớ", "BGN"), ("Bản thỏa thuận", "BTT"), ("Giấy ủy quyền", "GUQ"), ("Giấy mời", "GM"),
    ("Giấy giới thiệu", "GGT"), ("Giấy nghỉ phép", "GNP"), ("Phiếu gửi", "PG"), ("Phiếu chuyển", "PC"),
    ("Phiếu báo", "PB"), ("Thư công", "TCg"),
]


def ensure(model=None) -> None:
    if model is None:
        from tinhso.officialdocs.models import DocumentType as model
    for order, (name, abbreviation) in enumerate(TYPES):
        model.objects.get_or_create(name=name, defaults={
            "abbreviation": abbreviation, "order": order, "is_letter": name in ("Công văn", "Thư công")})
