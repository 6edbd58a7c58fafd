from django.apps import AppConfig


class PostalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tinhso.postal"
    verbose_name = "Bưu chính công ích"
