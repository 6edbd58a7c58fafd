from django.apps import AppConfig


class NationalPortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tinhso.nationalportal"
    verbose_name = "Đồng bộ Cổng Dịch vụ công quốc gia"
