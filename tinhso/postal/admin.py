from django.contrib import admin

from tinhso.postal.models import Shipment, ShipmentEvent


class ShipmentEventInline(admin.TabularInline):
    model = ShipmentEvent
    extra = 0
    can_delete = False
    readonly_fields = ["status", "at", "note", "source", "recorded_at"]


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    """Read-only: shipments change through tinhso.postal.actions (staff buttons, webhook, polling)."""

    list_display = ["dossier", "kind", "tracking_number", "status", "status_at", "fee", "requested_at"]
    list_filter = ["kind", "status"]
    search_fields = ["tracking_number", "order_code", "dossier__code"]
    inlines = [ShipmentEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
