from django.db import migrations

TEMPLATES = [
    ("payment_due", "email", "Hồ sơ {ma_ho_so}: đề nghị nộp phí, lệ phí",
     "Kính gửi {ho_ten},\n\nĐể tiếp tục giải quyết hồ sơ {ma_ho_so} ({thu_tuc}), đề nghị Ông/Bà thực hiện nghĩa vụ "
     "tài chính: {ly_do}\nÔng/Bà có thể thanh toán trực tuyến trên Cổng dịch vụ công hoặc tại bộ phận một cửa. "
     "Thời gian chờ nộp không tính vào thời hạn giải quyết. Tra cứu: {tra_cuu}"),
    ("payment_due", "sms", "", "Ho so {ma_ho_so} can nop phi, le phi de tiep tuc giai quyet. Xem: {tra_cuu}"),
    ("stopped", "email", "Hồ sơ {ma_ho_so} dừng giải quyết",
     "Kính gửi {ho_ten},\n\nHồ sơ {ma_ho_so} ({thu_tuc}) đã dừng giải quyết. Lý do: {ly_do}\n"
     "Thông báo dừng giải quyết (mẫu 05) có tại bộ phận một cửa và trên Cổng dịch vụ công. Tra cứu: {tra_cuu}"),
    ("stopped", "sms", "", "Ho so {ma_ho_so} da dung giai quyet. Xem ly do: {tra_cuu}"),
    ("withdrawn", "email", "Hồ sơ {ma_ho_so} đã được rút",
     "Kính gửi {ho_ten},\n\nTheo đề nghị của Ông/Bà, hồ sơ {ma_ho_so} ({thu_tuc}) đã được rút và không tiếp tục "
     "giải quyết. Tra cứu: {tra_cuu}"),
    ("withdrawn", "sms", "", "Ho so {ma_ho_so} da duoc rut theo de nghi cua ong/ba."),
    ("decision_refused", "email", "Hồ sơ {ma_ho_so}: văn bản từ chối giải quyết",
     "Kính gửi {ho_ten},\n\nCơ quan giải quyết từ chối giải quyết hồ sơ {ma_ho_so} ({thu_tuc}). Lý do: {ly_do}\n"
     "Văn bản từ chối đã ký số được gửi kèm thư này và có trên Cổng dịch vụ công. Tra cứu: {tra_cuu}"),
    ("decision_refused", "sms", "", "Ho so {ma_ho_so} bi tu choi giai quyet. Xem van ban tren Cong DVC: {tra_cuu}"),
    ("supplement_due", "email", "Nhắc hạn nộp bổ sung hồ sơ {ma_ho_so}",
     "Kính gửi {ho_ten},\n\nHồ sơ {ma_ho_so} ({thu_tuc}) đang chờ Ông/Bà nộp bổ sung:\n{ly_do}\n\nHạn nộp bổ sung: "
     "{han_bo_sung}. Quá hạn, hồ sơ có thể bị từ chối hoặc dừng giải quyết. Tra cứu: {tra_cuu}"),
    ("supplement_due", "sms", "", "Ho so {ma_ho_so} sap het han bo sung ({han_bo_sung}). Xem: {tra_cuu}"),
]


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for event, channel, subject, body in TEMPLATES:
        if not MessageTemplate.objects.filter(event=event, channel=channel).exists():
            MessageTemplate.objects.create(event=event, channel=channel, subject=subject, body=body)
    # the apology's e-mail now carries the signed letter
    MessageTemplate.objects.filter(event="apology", channel="email", body__contains="Ngày hẹn mới: {han_tra}.").update(
        body="Kính gửi {ho_ten},\n\nCơ quan giải quyết chân thành xin lỗi vì hồ sơ {ma_ho_so} ({thu_tuc}) chưa thể "
             "trả đúng hẹn. Lý do: {ly_do}\nNgày hẹn mới: {han_tra}.\nVăn bản xin lỗi (mẫu 04) đã ký số được gửi "
             "kèm thư này.")


class Migration(migrations.Migration):
    dependencies = [("notifications", "0004_more_citizen_events_fields")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
