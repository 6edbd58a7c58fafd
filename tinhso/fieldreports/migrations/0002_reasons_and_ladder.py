from django.db import migrations

REASONS = [
    ("reject", "not_public_matter", "Nội dung không thuộc phạm vi phản ánh hiện trường (khiếu nại, tố cáo, tranh chấp "
     "dân sự: đề nghị gửi theo thủ tục tương ứng)", "Not a field matter (complaints and disputes have their own procedure)"),
    ("reject", "unclear", "Nội dung hoặc vị trí không rõ, không xác minh được", "Unclear content or place"),
    ("reject", "offensive", "Ngôn từ xúc phạm, không phù hợp thuần phong mỹ tục", "Offensive language"),
    ("reject", "outside_area", "Sự việc ngoài địa bàn tỉnh", "Outside the province"),
    ("reject", "already_handled", "Sự việc đã được xử lý xong trước khi phản ánh", "Already resolved"),
    ("return", "not_competent", "Không thuộc thẩm quyền của cơ quan", "Not this agency's responsibility"),
    ("return", "wrong_area", "Không thuộc địa bàn quản lý", "Not in this agency's area"),
    ("hide", "personal_data", "Nội dung, hình ảnh có thông tin cá nhân (khuôn mặt, biển số, số điện thoại)",
     "Contains personal data (faces, plates, phone numbers)"),
    ("hide", "offensive", "Ngôn từ, hình ảnh không phù hợp", "Inappropriate words or images"),
    ("hide", "security", "Liên quan quốc phòng, an ninh, bí mật nhà nước", "Defence, security or state secrets"),
    ("send_back", "no_evidence", "Kết quả chưa có minh chứng rõ ràng (ảnh, văn bản)", "No clear evidence"),
    ("send_back", "incomplete", "Chưa xử lý dứt điểm nội dung phản ánh", "Not fully resolved"),
]

# The general ladder (a category's own rows replace it): 80% of a stage -> the handlers; the deadline -> the
# agency's leaders and the centre; twice the time -> the leaders of the level above.
LADDER = [(stage, percent, notify) for stage in ("confirm", "handle", "answer") for percent, notify in (
    (80, "handlers"), (100, "agency_leaders"), (100, "centre"), (200, "parent_leaders"))]


def seed(apps, schema_editor):
    Reason = apps.get_model("fieldreports", "Reason")
    EscalationStep = apps.get_model("fieldreports", "EscalationStep")
    for order, (kind, code, label, label_en) in enumerate(REASONS):
        Reason.objects.get_or_create(kind=kind, code=code, defaults={"label": label, "label_en": label_en,
                                                                      "order": order})
    if not EscalationStep.objects.exists():
        EscalationStep.objects.bulk_create([EscalationStep(stage=s, percent=p, notify=n) for s, p, n in LADDER])


class Migration(migrations.Migration):
    dependencies = [("fieldreports", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
