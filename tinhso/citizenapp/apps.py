from django.apps import AppConfig


class CitizenAppConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tinhso.citizenapp"
    verbose_name = "Ứng dụng công dân"
