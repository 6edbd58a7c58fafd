from django.apps import AppConfig


class IntegrationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tinhso.integration"
    verbose_name = "Tích hợp, chia sẻ dữ liệu"
