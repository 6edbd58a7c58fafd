from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "tinhso.catalogue"
    label = "catalogue"
    verbose_name = "Danh mục thủ tục hành chính"

    def ready(self):
        from django.db.models.signals import post_migrate

        from tinhso.catalogue import signals  # noqa: F401 - connects the search cache invalidation

        # Data migrations write through historical models, which send no signal the
        # reference cache listens to: after any migration, running processes reload.
        post_migrate.connect(signals.reference_data_migrated, sender=self)
