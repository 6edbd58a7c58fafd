from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tinhso.questions"
    verbose_name = "Hỏi đáp"
