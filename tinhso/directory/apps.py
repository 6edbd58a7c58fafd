from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tinhso.directory"
    verbose_name = "Danh bạ, hộp thư công vụ và chứng thư số"

    def ready(self):
        from tinhso.dashboard import programme
        from tinhso.directory import policies  # noqa: F401 - registers the dated rules
        from tinhso.directory.queries import programme_figures

        programme.register(programme_figures)
