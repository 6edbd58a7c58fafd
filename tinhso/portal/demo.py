"""Online forms for a few demo procedures (sample field sets modelled on the
official declaration forms; a province's catalogue managers maintain the real
ones in the back office)."""

from __future__ import annotations

from tinhso.catalogue.eform_actions import save_form_fields
from tinhso.catalogue.models import ProcedureCase

FORMS = {
    "1.001193": [  # Đăng ký khai sinh
        {"label": "Họ, chữ đệm, tên của trẻ", "key": "ho_ten_tre", "kind": "text", "required": True},
        {"label": "Ngày, tháng, năm sinh của trẻ", "key": "ngay_sinh_tre", "kind": "date", "required": True},
        {"label": "Giới tính", "key": "gioi_tinh", "kind": "select", "required": True, "choices": "Nam\nNữ"},
        {"label": "Nơi sinh", "key": "noi_sinh", "kind": "text", "required": True,
         "help_text": "Tên cơ sở y tế hoặc địa chỉ nơi sinh"},
        {"label": "Họ, chữ đệm, tên của mẹ", "key": "ho_ten_me", "kind": "text", "required": True},
        {"label": "Họ, chữ đệm, tên của cha", "key": "ho_ten_cha", "kind": "text"},
        {"label": "Quan hệ của người đi khai với trẻ", "key": "quan_he", "kind": "select", "required": True,
         "choices": "Cha\nMẹ\nÔng, bà\nNgười thân thích khác"},
    ],
    "1.000894": [  # Đăng ký kết hôn
        {"label": "Họ tên bên nữ", "key": "ho_ten_nu", "kind": "text", "required": True},
        {"label": "Số định danh bên nữ", "key": "cccd_nu", "kind": "id_number", "required": True},
        {"label": "Họ tên bên nam", "key": "ho_ten_nam", "kind": "text", "required": True},
        {"label": "Số định danh bên nam", "key": "cccd_nam", "kind": "id_number", "required": True},
    ],
    "1.004873": [  # Xác nhận tình trạng hôn nhân
        {"label": "Mục đích sử dụng giấy xác nhận", "key": "muc_dich", "kind": "text", "required": True},
        {"label": "Nơi cư trú trước đây (nếu có)", "key": "noi_cu_tru_truoc", "kind": "textarea"},
    ],
}


def seed_form_fields() -> int:
    made = 0
    for code, rows in FORMS.items():
        for case in ProcedureCase.objects.filter(procedure__code=code):
            if not case.form_fields.exists():
                save_form_fields(acting_user=None, case=case, rows=rows)
                made += 1
    return made
