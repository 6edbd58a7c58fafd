from django import forms
from django.utils.translation import gettext_lazy as _

from tinhso.farmproducts.models import Category, ProducerKind, Scheme


class _UnitAgency(forms.Form):
    def __init__(self, *args, communes=(), agencies=(), producers=(), products=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = {"unit": [(u.pk, u.name) for u in communes], "agency": [(a.pk, a.name) for a in agencies],
                   "producer_id": [(p.pk, p.name) for p in producers],
                   "product_id": [(p.pk, f"{p.name} – {p.producer.name}") for p in products]}
        for name, options in choices.items():
            if name in self.fields:
                blank = [("", "—")] if not self.fields[name].required else []
                self.fields[name].choices = blank + options


class ProducerForm(_UnitAgency):
    name = forms.CharField(label=_("Tên chủ thể"), max_length=200)
    kind = forms.ChoiceField(label=_("Loại hình"), choices=ProducerKind.choices)
    unit = forms.ChoiceField(label=_("Xã, phường"))
    registration_code = forms.CharField(label=_("Mã số thuế / đăng ký"), max_length=30, required=False)
    contact_phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    contact_email = forms.CharField(label=_("Thư điện tử"), max_length=254, required=False)
    agency = forms.ChoiceField(label=_("Cơ quan quản lý"))


class ProductForm(_UnitAgency):
    producer_id = forms.ChoiceField(label=_("Chủ thể sản xuất"))
    name = forms.CharField(label=_("Tên sản phẩm"), max_length=200)
    category = forms.ChoiceField(label=_("Nhóm"), choices=Category.choices)
    description = forms.CharField(label=_("Mô tả"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    ocop_stars = forms.ChoiceField(label=_("Số sao OCOP"), required=False,
                                   choices=[("", "—"), ("3", "3"), ("4", "4"), ("5", "5")])
    ocop_certificate_no = forms.CharField(label=_("Số giấy chứng nhận OCOP"), max_length=60, required=False)
    ocop_certified_on = forms.DateField(label=_("Ngày chứng nhận OCOP"), required=False,
                                        widget=forms.DateInput(attrs={"type": "date"}))
    ocop_expires_on = forms.DateField(label=_("Ngày hết hạn OCOP"), required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}))


class GrowingAreaForm(_UnitAgency):
    code = forms.CharField(label=_("Mã số vùng trồng"), max_length=40)
    crop = forms.CharField(label=_("Cây trồng"), max_length=120)
    area_ha = forms.CharField(label=_("Diện tích (ha)"), max_length=20)
    unit = forms.ChoiceField(label=_("Xã, phường"))
    producer_id = forms.ChoiceField(label=_("Chủ thể"), required=False)
    lat = forms.CharField(label=_("Vĩ độ"), max_length=20, required=False)
    lng = forms.CharField(label=_("Kinh độ"), max_length=20, required=False)
    agency = forms.ChoiceField(label=_("Cơ quan cấp mã"))


class PackingHouseForm(_UnitAgency):
    code = forms.CharField(label=_("Mã số cơ sở đóng gói"), max_length=40)
    name = forms.CharField(label=_("Tên cơ sở"), max_length=200)
    unit = forms.ChoiceField(label=_("Xã, phường"))
    lat = forms.CharField(label=_("Vĩ độ"), max_length=20, required=False)
    lng = forms.CharField(label=_("Kinh độ"), max_length=20, required=False)
    agency = forms.ChoiceField(label=_("Cơ quan cấp mã"))


class BatchForm(_UnitAgency):
    product_id = forms.ChoiceField(label=_("Sản phẩm"))
    growing_area = forms.CharField(label=_("Mã số vùng trồng"), max_length=40, required=False)
    packing_house = forms.CharField(label=_("Mã số cơ sở đóng gói"), max_length=40, required=False)
    harvest_date = forms.DateField(label=_("Ngày thu hoạch"), widget=forms.DateInput(attrs={"type": "date"}))
    packing_date = forms.DateField(label=_("Ngày đóng gói"), widget=forms.DateInput(attrs={"type": "date"}))
    quantity = forms.CharField(label=_("Số lượng"), max_length=20)
    quantity_unit = forms.CharField(label=_("Đơn vị"), max_length=20, initial="kg")


class ShopLinkForm(forms.Form):
    platform = forms.CharField(label=_("Sàn thương mại điện tử"), max_length=60)
    url = forms.CharField(label=_("Đường dẫn gian hàng"), max_length=400)


class CertificationForm(forms.Form):
    scheme = forms.ChoiceField(label=_("Loại chứng nhận"), choices=Scheme.choices)
    number = forms.CharField(label=_("Số chứng nhận"), max_length=60, required=False)
    issued_by = forms.CharField(label=_("Tổ chức chứng nhận"), max_length=200, required=False)
    expires_on = forms.DateField(label=_("Hết hạn"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Ảnh sản phẩm (JPG, PNG)"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), max_length=300, required=False)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Dữ liệu"), choices=[
        ("area", _("Mã số vùng trồng")), ("packing", _("Mã số cơ sở đóng gói")),
        ("product", _("Sản phẩm và chủ thể sản xuất"))])
    agency = forms.ChoiceField(label=_("Cơ quan cấp mã, quản lý"))
    file = forms.FileField(label=_("Tệp Excel (.xlsx)"))

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.pk, a.name) for a in agencies]
