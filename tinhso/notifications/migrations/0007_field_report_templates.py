from django.db import migrations

TEMPLATES = [
    ("fr_received", "email", "Phản ánh {ma_phan_anh} đã được tiếp nhận",
     "Cảm ơn Ông/Bà đã gửi phản ánh về {linh_vuc}.\nMã phản ánh: {ma_phan_anh}. Trung tâm điều hành sẽ xác nhận và "
     "chuyển cơ quan có thẩm quyền xử lý. Theo dõi tại: {tra_cuu}"),
    ("fr_received", "sms", "", "Da tiep nhan phan anh {ma_phan_anh}. Theo doi: {tra_cuu}"),
    ("fr_rejected", "email", "Phản ánh {ma_phan_anh} không được tiếp nhận",
     "Phản ánh {ma_phan_anh} ({linh_vuc}) không được tiếp nhận. Lý do: {ly_do}\nChi tiết: {tra_cuu}"),
    ("fr_rejected", "sms", "", "Phan anh {ma_phan_anh} khong duoc tiep nhan. Ly do xem tai: {tra_cuu}"),
    ("fr_assigned", "email", "Phản ánh {ma_phan_anh} đã được chuyển cơ quan xử lý",
     "Phản ánh {ma_phan_anh} ({linh_vuc}) đã được xác nhận và chuyển cơ quan có thẩm quyền xử lý. Theo dõi: {tra_cuu}"),
    ("fr_answered", "email", "Phản ánh {ma_phan_anh} đã có kết quả xử lý",
     "Phản ánh {ma_phan_anh} ({linh_vuc}) đã có kết quả xử lý:\n{ket_qua}\n\nXem minh chứng và đánh giá mức độ hài "
     "lòng tại: {tra_cuu}"),
    ("fr_answered", "sms", "", "Phan anh {ma_phan_anh} da co ket qua xu ly. Xem va danh gia: {tra_cuu}"),
    ("fr_merged", "email", "Phản ánh {ma_phan_anh} được gộp với phản ánh trùng",
     "Phản ánh {ma_phan_anh} trùng nội dung với một phản ánh đang được xử lý: {ly_do}\nÔng/Bà sẽ nhận thông báo kết quả "
     "của phản ánh đó."),
    ("fr_hidden", "email", "Phản ánh {ma_phan_anh} không hiển thị công khai",
     "Phản ánh {ma_phan_anh} vẫn được xử lý nhưng không hiển thị trên trang công khai. Lý do: {ly_do}"),
    ("fr_hidden", "sms", "", "Phan anh {ma_phan_anh} khong hien thi cong khai (van duoc xu ly). Ly do: {ly_do}"),
    ("phone_code", "sms", "", "Ma xac nhan Tinh So: {ma_xac_nhan} (hieu luc {phut} phut). Khong chia se ma nay."),
]


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for event, channel, subject, body in TEMPLATES:
        if not MessageTemplate.objects.filter(event=event, channel=channel).exists():
            MessageTemplate.objects.create(event=event, channel=channel, subject=subject, body=body)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0006_outgoingmessage_field_report_and_more")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
