from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tinhso.serviceindex.models import Indicator, Source

MONTH_HELP = _("Dạng YYYY-MM, ví dụ 2026-03.")


def _agency_choices(agencies, province: bool):
    choices = [("", _("Toàn tỉnh"))] if province else []
    return choices + [(str(a.pk), a.name) for a in agencies]


class EnteredValueForm(forms.Form):
    indicator_code = forms.ChoiceField(label=_("Chỉ số"))
    agency = forms.ChoiceField(label=_("Phạm vi"), required=False)
    month = forms.CharField(label=_("Tháng"), max_length=7, help_text=MONTH_HELP)
    numerator = forms.IntegerField(label=_("Tử số"), min_value=0)
    denominator = forms.IntegerField(label=_("Mẫu số"), min_value=0)
    source = forms.ChoiceField(label=_("Nguồn"), choices=[(Source.ENTERED, Source.ENTERED.label),
                                                          (Source.IMPORTED, Source.IMPORTED.label)])
    basis = forms.CharField(label=_("Căn cứ (báo cáo, trang Cổng DVCQG)"), max_length=300, required=False)

    def __init__(self, *args, agencies, province: bool, **kwargs):
        super().__init__(*args, **kwargs)
        codes = (Indicator.objects.exclude(source=Source.COMPUTED).order_by("code")
                 .values_list("code", "name").distinct())
        self.fields["indicator_code"].choices = sorted({(c, f"{c} {n}") for c, n in codes})
        self.fields["agency"].choices = _agency_choices(agencies, province)


class PublishedScoreForm(forms.Form):
    agency = forms.ChoiceField(label=_("Phạm vi"), required=False)
    month = forms.CharField(label=_("Tháng"), max_length=7, help_text=MONTH_HELP)
    points = forms.DecimalField(label=_("Tổng điểm công bố"), min_value=0, max_value=100, decimal_places=2)
    group_1 = forms.DecimalField(label=_("Nhóm 1: Công khai, minh bạch"), required=False, min_value=0,
                                 decimal_places=2)
    group_2 = forms.DecimalField(label=_("Nhóm 2: Tiến độ, kết quả giải quyết"), required=False, min_value=0,
                                 decimal_places=2)
    group_3 = forms.DecimalField(label=_("Nhóm 3: Dịch vụ trực tuyến"), required=False, min_value=0,
                                 decimal_places=2)
    group_4 = forms.DecimalField(label=_("Nhóm 4: Số hóa hồ sơ"), required=False, min_value=0, decimal_places=2)
    group_5 = forms.DecimalField(label=_("Nhóm 5: Mức độ hài lòng"), required=False, min_value=0, decimal_places=2)
    basis = forms.CharField(label=_("Nguồn (đường dẫn, ngày xem)"), max_length=300, required=False)

    def __init__(self, *args, agencies, province: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = _agency_choices(agencies, province)


class MethodologyForm(forms.Form):
    code = forms.SlugField(label=_("Mã phiên bản"), max_length=40)
    name = forms.CharField(label=_("Tên"), max_length=300)
    basis = forms.CharField(label=_("Văn bản căn cứ"), max_length=500)
    valid_from = forms.DateField(label=_("Hiệu lực từ (ngày đầu tháng)"),
                                 widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, methodology=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.codes = []
        if methodology is None:
            return
        self.fields["name"].initial = methodology.name
        for group in methodology.groups.prefetch_related("indicators"):
            for ind in group.indicators.all():
                key = ind.code.replace(".", "_")
                self.codes.append((ind.code, key))
                self.fields[f"max_{key}"] = forms.DecimalField(
                    label=_("%(code)s điểm tối đa") % {"code": ind.code}, initial=ind.max_points, min_value=0,
                    max_value=100, decimal_places=2)
                self.fields[f"target_{key}"] = forms.DecimalField(
                    label=_("%(code)s tỷ lệ đạt tối đa (0–1)") % {"code": ind.code}, initial=ind.target,
                    min_value=0, max_value=1, decimal_places=4)

    def values(self) -> dict:
        data = self.cleaned_data
        changes = {code: {"max_points": data[f"max_{key}"], "target": data[f"target_{key}"]}
                   for code, key in self.codes}
        return {"code": data["code"], "name": data["name"], "basis": data["basis"], "valid_from": data["valid_from"],
                "changes": changes}
