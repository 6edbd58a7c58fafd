from django.apps import AppConfig


class SecWatchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tinhso.secwatch"
    verbose_name = "Giám sát an toàn thông tin"

    def ready(self):
        from tinhso.secwatch import policies  # noqa: F401 - registers the dated rules
        from tinhso.core.security import security_event
        from tinhso.secwatch.hooks import on_security_event

        security_event.connect(on_security_event, dispatch_uid="tinhso.secwatch")
