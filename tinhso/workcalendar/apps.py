from django.apps import AppConfig


class WorkcalendarConfig(AppConfig):
    name = "tinhso.workcalendar"
    label = "workcalendar"
    verbose_name = "Lịch làm việc"

    def ready(self):
        from tinhso.workcalendar import policies  # noqa: F401  (declares the calendar's dated rules)
