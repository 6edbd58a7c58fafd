from django.contrib import admin

from tinhso.audit.admin_mixins import AuditedAdmin
from tinhso.integration.models import ClientSystem, MessageLog


@admin.register(ClientSystem)
class ClientSystemAdmin(AuditedAdmin, admin.ModelAdmin):
    audit_prefix = "integration.admin.client"
    list_display = ["name", "code", "owner", "rate_limit", "is_active", "created_at"]


@admin.register(MessageLog)
class MessageLogAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only (its chain would break)."""

    list_display = ["seq", "at", "direction", "client", "service", "operation", "status", "outcome", "latency_ms"]
    list_filter = ["direction", "service", "outcome"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
