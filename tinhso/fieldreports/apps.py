from django.apps import AppConfig


class FieldReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tinhso.fieldreports"
    verbose_name = "Phản ánh hiện trường"

    def ready(self):
        from tinhso.fieldreports import policies  # noqa: F401 - registers the dated rules
