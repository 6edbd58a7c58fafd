from django.contrib import admin

from tinhso.audit.admin_mixins import AuditedAdmin
from tinhso.dashboard.models import KpiTarget, ProgrammeTarget


@admin.register(KpiTarget)
class KpiTargetAdmin(admin.ModelAdmin):
    """Read-only here: targets are edited in the back office (Bảng điều hành →
    Chỉ tiêu), through tinhso.dashboard.actions, which checks and audits."""

    list_display = ("indicator", "target", "agency", "valid_from", "valid_to", "verified", "basis")
    list_filter = ("indicator", "verified")
    readonly_fields = ("indicator", "target", "agency", "valid_from", "valid_to", "basis", "verified", "updated_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProgrammeTarget)
class ProgrammeTargetAdmin(AuditedAdmin, admin.ModelAdmin):
    """Dated targets of the programme's counted results; changes are audited."""

    audit_prefix = "dashboard.admin.programme_target"
    list_display = ("key", "label", "target", "unit", "valid_from", "valid_to", "basis")
    list_filter = ("key",)
