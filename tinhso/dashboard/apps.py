from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "tinhso.dashboard"
    label = "dashboard"
    verbose_name = "Bảng điều hành chỉ số"

    def ready(self):
        from tinhso.dashboard import live, programme

        programme.register(live.figures)
