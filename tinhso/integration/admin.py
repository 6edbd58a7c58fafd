from django.contrib import admin

from tinhso.audit.admin_mixins import AuditedAdmin
from tinhso.integration.models import ApiCall, ClientSystem


@admin.register(ClientSystem)
class ClientSystemAdmin(AuditedAdmin, admin.ModelAdmin):
    audit_prefix = "integration.admin.client"
    list_display = ["name", "owner", "is_active", "created_at"]


@admin.register(ApiCall)
class ApiCallAdmin(admin.ModelAdmin):
    list_display = ["at", "client", "service", "method", "path", "status", "latency_ms"]
    list_filter = ["service", "status"]
