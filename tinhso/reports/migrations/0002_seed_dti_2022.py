"""The 2022 DTI structure (Decision 922/QĐ-BTTTT): the nine main indices with
their maximum points as published, and a FEW indicators per index as
examples. An incomplete seed: the province completes the indicator list from
the Ministry's guidance (the 2022 set has 98 indicators)."""

from django.db import migrations

NOTE = ("Dữ liệu mẫu chưa đầy đủ: các chỉ số chính và điểm tối đa theo Quyết định 922/QĐ-BTTTT; mỗi chỉ số chính mới "
        "có vài chỉ số thành phần làm ví dụ, tên và điểm chưa đối chiếu văn bản hướng dẫn. Tỉnh bổ sung đủ 98 chỉ số "
        "thành phần và điểm của từng chỉ số trước khi dùng kết quả.")

# code, name, pillar, max points (None: not scored), indicators (code, name, max, measure or "")
INDICES = [
    ("1", "Nhận thức số", "foundation", 100, [
        ("1.1", "Lãnh đạo tỉnh trực tiếp làm Trưởng Ban chỉ đạo chuyển đổi số", 20, ""),
        ("1.2", "Tuyên truyền về chuyển đổi số trên phương tiện thông tin đại chúng", 20, "")]),
    ("2", "Thể chế số", "foundation", 100, [
        ("2.1", "Ban hành kế hoạch chuyển đổi số hằng năm", 25, ""),
        ("2.2", "Bố trí kinh phí cho chuyển đổi số", 25, "")]),
    ("3", "Hạ tầng số", "foundation", 100, [
        ("3.1", "Tỷ lệ xã có cáp quang băng rộng", 20, ""),
        ("3.2", "Tỷ lệ dân số được phủ sóng di động 4G", 20, "")]),
    ("4", "Nhân lực số", "foundation", 100, [
        ("4.1", "Cán bộ chuyên trách công nghệ thông tin, chuyển đổi số", 25, ""),
        ("4.2", "Cán bộ được tập huấn kỹ năng số", 25, "")]),
    ("5", "An toàn thông tin mạng", "foundation", 100, [
        ("5.1", "Hệ thống thông tin được phê duyệt hồ sơ cấp độ", 25, ""),
        ("5.2", "Trung tâm giám sát an toàn thông tin (SOC)", 25, "")]),
    ("6", "Đô thị thông minh", "foundation", None, []),
    ("7", "Chính quyền số", "activity", 200, [
        ("7.1", "Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến", 20, "online_share"),
        ("7.2", "Tỷ lệ văn bản đi được ký số", 20, "signed_documents"),
        ("7.3", "Tỷ lệ dịch vụ công trực tuyến toàn trình (mức độ 4)", 20, "services_full_online"),
        ("7.4", "Mức độ hài lòng của người dân, doanh nghiệp", 10, "satisfaction")]),
    ("8", "Kinh tế số", "activity", 150, [
        ("8.1", "Tỷ trọng kinh tế số trong GRDP", 30, ""),
        ("8.2", "Tỷ lệ doanh nghiệp sử dụng hợp đồng điện tử", 20, "")]),
    ("9", "Xã hội số", "activity", 150, [
        ("9.1", "Tỷ lệ người trưởng thành có tài khoản thanh toán điện tử", 30, ""),
        ("9.2", "Tổ công nghệ số cộng đồng hoạt động", 20, "")]),
]


def seed(apps, schema_editor):
    Methodology = apps.get_model("reports", "DtiMethodology")
    if Methodology.objects.filter(year=2022).exists():
        return
    m = Methodology.objects.create(year=2022, name="Bộ chỉ số đánh giá chuyển đổi số cấp tỉnh năm 2022",
                                   decision="Quyết định 922/QĐ-BTTTT ngày 20/5/2022 của Bộ Thông tin và Truyền thông",
                                   total_points=1000, complete=False, note=NOTE)
    Index = apps.get_model("reports", "DtiIndex")
    Indicator = apps.get_model("reports", "DtiIndicator")
    for order, (code, name, pillar, points, indicators) in enumerate(INDICES):
        index = Index.objects.create(methodology=m, code=code, name=name, pillar=pillar, max_points=points,
                                     order=order)
        for i, (icode, iname, ipoints, measure) in enumerate(indicators):
            Indicator.objects.create(index=index, code=icode, name=iname, max_points=ipoints, order=i,
                                     source="computed" if measure else "entered", measure=measure)


def unseed(apps, schema_editor):
    apps.get_model("reports", "DtiMethodology").objects.filter(year=2022, complete=False,
                                                               assessment__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
