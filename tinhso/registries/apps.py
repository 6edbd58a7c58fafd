from django.apps import AppConfig


class RegistriesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tinhso.registries"
    verbose_name = "CSDL quốc gia (dân cư, doanh nghiệp, hộ tịch)"
