from django.apps import AppConfig


class DigitalTeamsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tinhso.digitalteams"
    verbose_name = "Tổ công nghệ số cộng đồng"

    def ready(self):
        from tinhso.dashboard import programme
        from tinhso.digitalteams import queries

        programme.register(queries.programme_figures)
