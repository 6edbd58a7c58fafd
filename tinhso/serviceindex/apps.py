from django.apps import AppConfig


class ServiceIndexConfig(AppConfig):
    name = "tinhso.serviceindex"
    label = "serviceindex"
    verbose_name = "Bộ chỉ số phục vụ người dân, doanh nghiệp (QĐ 766)"
