from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tinhso.meetings"
    verbose_name = "Họp trực tuyến"

    def ready(self):
        from tinhso.meetings import policies, queries  # noqa: F401 - registers the dated rules
        from tinhso.dashboard import programme

        programme.register(queries.programme_figures)
