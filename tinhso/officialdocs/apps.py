from django.apps import AppConfig


class OfficialDocsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tinhso.officialdocs"
    verbose_name = "Văn bản đi, đến"

    def ready(self):
        from tinhso.officialdocs import policies  # noqa: F401 - registers the dated rules
