from django.apps import AppConfig


class WorkcalendarConfig(AppConfig):
    name = "tinhso.workcalendar"
    label = "workcalendar"
    verbose_name = "Lịch làm việc"
