from django import forms
from django.utils.translation import gettext_lazy as _

from tinhso.agencies.models import Agency
from tinhso.units.models import AdministrativeUnit


class AgencyForm(forms.ModelForm):
    unit_code = forms.CharField(label=_("Mã đơn vị hành chính"), max_length=10,
                                help_text=_("Mã tỉnh (2 số) hoặc mã xã (5 số) hiện hành."))

    class Meta:
        model = Agency
        fields = ["code", "name", "short_name", "kind", "parent", "address", "phone", "email", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["unit_code"].initial = self.instance.unit.code
            self.fields["parent"].queryset = Agency.objects.exclude(path__startswith=self.instance.path)
        self.fields["code"].validators = []  # uniqueness is the action's to check, with a clear message

    def validate_unique(self):
        pass

    def clean_unit_code(self):
        code = self.cleaned_data["unit_code"].strip()
        unit = AdministrativeUnit.objects.filter(code=code, valid_to__isnull=True).exclude(level="district").first()
        if unit is None:
            raise forms.ValidationError(_("Không có đơn vị hành chính hiện hành mang mã này."))
        return unit

    def values(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["unit"] = self.cleaned_data["unit_code"]
        return data
