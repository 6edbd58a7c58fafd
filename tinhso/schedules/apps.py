from django.apps import AppConfig


class SchedulesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tinhso.schedules"
    verbose_name = "Lịch công tác của lãnh đạo"
