from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "tinhso.evaluations"
    label = "evaluations"
    verbose_name = "Đánh giá mức độ hài lòng"
