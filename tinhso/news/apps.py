from django.apps import AppConfig


class NewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tinhso.news"
    verbose_name = "Tin tức, thông báo"
