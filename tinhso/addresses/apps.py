from django.apps import AppConfig


class AddressesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tinhso.addresses"
    verbose_name = "Cơ sở dữ liệu địa chỉ số"
