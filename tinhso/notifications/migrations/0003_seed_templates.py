from django.db import migrations

TEMPLATES = [
    ("submitted", "email", "Đã nhận hồ sơ trực tuyến {ma_ho_so}",
     "Kính gửi {ho_ten},\n\nHồ sơ {ma_ho_so} ({thu_tuc}) đã được nộp trực tuyến và đang chờ bộ phận một cửa "
     "tiếp nhận.\nTra cứu: {tra_cuu}"),
    ("submitted", "sms", "", "Ho so {ma_ho_so} da nop truc tuyen, dang cho tiep nhan. Tra cuu: {tra_cuu}"),
    ("received", "email", "Hồ sơ {ma_ho_so} đã được tiếp nhận",
     "Kính gửi {ho_ten},\n\nHồ sơ {ma_ho_so} ({thu_tuc}) đã được tiếp nhận. Hẹn trả kết quả: {han_tra}.\n"
     "Tra cứu: {tra_cuu}"),
    ("received", "sms", "", "Ho so {ma_ho_so} da duoc tiep nhan. Hen tra ket qua: {han_tra}."),
    ("supplement", "email", "Yêu cầu bổ sung hồ sơ {ma_ho_so}",
     "Kính gửi {ho_ten},\n\nHồ sơ {ma_ho_so} ({thu_tuc}) cần bổ sung, hoàn thiện:\n{ly_do}\n\n"
     "Vui lòng nộp bổ sung trên Cổng dịch vụ công hoặc tại bộ phận một cửa. Tra cứu: {tra_cuu}"),
    ("supplement", "sms", "", "Ho so {ma_ho_so} can bo sung. Xem chi tiet tren Cong dich vu cong: {tra_cuu}"),
    ("result_ready", "email", "Hồ sơ {ma_ho_so} đã có kết quả",
     "Kính gửi {ho_ten},\n\nHồ sơ {ma_ho_so} ({thu_tuc}) đã có kết quả giải quyết. Mời Ông/Bà nhận kết quả "
     "theo hình thức đã đăng ký. Tra cứu: {tra_cuu}"),
    ("result_ready", "sms", "", "Ho so {ma_ho_so} da co ket qua. Tra cuu: {tra_cuu}"),
    ("apology", "email", "Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {ma_ho_so}",
     "Kính gửi {ho_ten},\n\nCơ quan giải quyết chân thành xin lỗi vì hồ sơ {ma_ho_so} ({thu_tuc}) chưa thể "
     "trả đúng hẹn. Lý do: {ly_do}\nNgày hẹn mới: {han_tra}."),
    ("apology", "sms", "", "Xin loi: ho so {ma_ho_so} chua tra dung hen. Hen moi: {han_tra}."),
    ("refused", "email", "Hồ sơ {ma_ho_so} không được tiếp nhận",
     "Kính gửi {ho_ten},\n\nHồ sơ {ma_ho_so} ({thu_tuc}) không được tiếp nhận. Lý do: {ly_do}"),
    ("refused", "sms", "", "Ho so {ma_ho_so} khong duoc tiep nhan. Xem ly do: {tra_cuu}"),
]


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for event, channel, subject, body in TEMPLATES:
        if not MessageTemplate.objects.filter(event=event, channel=channel).exists():
            MessageTemplate.objects.create(event=event, channel=channel, subject=subject, body=body)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_messagetemplate_outgoingmessage")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
