from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "tinhso.policies"
    label = "policies"
    verbose_name = "Tham số nghiệp vụ"
