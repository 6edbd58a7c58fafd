from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "tinhso.identity"
    label = "identity"
    verbose_name = "Định danh điện tử (đăng nhập công dân)"
