from django.contrib import admin

from tinhso.registries.models import Consent, RegistryCheck


class ReadOnly(admin.ModelAdmin):
    """Records of what happened: looked at, never edited (changes come only from the actions)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Consent)
class ConsentAdmin(ReadOnly):
    list_display = ("at", "id_last4", "channel", "given_by", "purpose", "dossier")
    list_filter = ("channel",)
    search_fields = ("id_last4", "dossier__code")


@admin.register(RegistryCheck)
class RegistryCheckAdmin(ReadOnly):
    list_display = ("created_at", "source", "status", "dossier", "attempts", "next_attempt_at", "summary")
    list_filter = ("source", "status")
    search_fields = ("dossier__code",)
