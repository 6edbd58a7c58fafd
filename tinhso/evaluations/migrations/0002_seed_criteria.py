"""Seed the 12 satisfaction criteria provincial portals ask (see
docs/evaluations.md). Criteria are data: later changes of the official form
close a criterion (`valid_to`) or add one, in a new data migration or the admin."""

from django.db import migrations

CRITERIA = [
    ("overall", "Đánh giá chung về việc giải quyết thủ tục hành chính"),
    ("convenience", "Sự thuận tiện khi thực hiện thủ tục hành chính"),
    ("timeliness", "Sự kịp thời, nhanh chóng trong tiếp nhận và giải quyết hồ sơ"),
    ("staff_attitude", "Thái độ của cán bộ, công chức; không gây phiền hà, sách nhiễu"),
    ("resolution_time", "Thời gian giải quyết so với thời hạn quy định"),
    ("actual_vs_rule", "Việc thực hiện trên thực tế so với quy định (thành phần hồ sơ, phí, lệ phí)"),
    ("contacts", "Số lần phải liên hệ để hoàn thiện hồ sơ"),
    ("agencies_contacted", "Số cơ quan, đơn vị phải liên hệ để giải quyết hồ sơ"),
    ("one_stop_desk", "Tiếp nhận và trả kết quả tại bộ phận một cửa"),
    ("publicity", "Sự công khai, minh bạch của thủ tục hành chính"),
    ("complaints", "Việc tiếp nhận, giải quyết phản ánh, kiến nghị"),
    ("online_quality", "Chất lượng dịch vụ công trực tuyến"),
]


def seed(apps, schema_editor):
    Criterion = apps.get_model("evaluations", "Criterion")
    for order, (code, label) in enumerate(CRITERIA, start=1):
        Criterion.objects.update_or_create(code=code, defaults={"label": label, "order": order})


def unseed(apps, schema_editor):
    apps.get_model("evaluations", "Criterion").objects.filter(code__in=[c for c, _ in CRITERIA]).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
