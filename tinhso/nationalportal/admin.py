from django.contrib import admin

from tinhso.nationalportal.models import SyncItem


@admin.register(SyncItem)
class SyncItemAdmin(admin.ModelAdmin):
    """Read-only: rows change through the sync job and the "Gửi lại" action (reconciliation page)."""

    list_display = ["dossier_code", "key", "status_code", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["dossier_code", "key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
