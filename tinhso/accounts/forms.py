from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from tinhso.accounts.models import Role


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))
    password = forms.CharField(label=_("Mật khẩu"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        self.user = authenticate(self.request, username=data["username"], password=data["password"])
        if self.user is None or not self.user.is_active:
            raise forms.ValidationError(_("Tên đăng nhập hoặc mật khẩu không đúng."), code="invalid_login")
        return data


class OTPForm(forms.Form):
    token = forms.CharField(label=_("Mã xác thực 6 số"), max_length=8, min_length=6,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                          "autofocus": True}))


class StaffCreateForm(forms.Form):
    username = forms.RegexField(label=_("Tên đăng nhập"), max_length=150, regex=r"^[\w.@+-]+$",
                                error_messages={"invalid": _("Chỉ dùng chữ không dấu, số và . @ + - _")})
    full_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    password = forms.CharField(label=_("Mật khẩu ban đầu"), min_length=10, widget=forms.PasswordInput)


class RoleAssignForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Cơ quan"), queryset=None)
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    valid_from = forms.DateField(label=_("Hiệu lực từ"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(label=_("Hiệu lực đến"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        from tinhso.agencies.models import Agency

        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True)


class TwoFactorRuleForm(forms.Form):
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    required = forms.TypedChoiceField(label=_("Xác thực hai bước"), coerce=lambda v: v == "1",
                                      choices=[("1", _("Bắt buộc")), ("0", _("Không bắt buộc"))])
    effective_from = forms.DateField(label=_("Hiệu lực từ"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)
