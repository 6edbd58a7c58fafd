from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "tinhso.backoffice"
    label = "backoffice"
    verbose_name = "Trang quản trị nghiệp vụ"
