from django.contrib import admin

from tinhso.payments.models import GatewayMessage, PaymentLine, PaymentRequest


class PaymentLineInline(admin.TabularInline):
    model = PaymentLine
    extra = 0
    can_delete = False
    readonly_fields = ["position", "kind", "name", "amount", "fee"]


@admin.register(PaymentRequest)
class PaymentRequestAdmin(admin.ModelAdmin):
    """Read-only: payments change only through tinhso.payments.actions."""

    list_display = ["reference", "dossier", "amount", "method", "status", "gateway_transaction_id", "created_at"]
    list_filter = ["status", "method", "moment"]
    search_fields = ["reference", "dossier__code", "gateway_transaction_id"]
    inlines = [PaymentLineInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GatewayMessage)
class GatewayMessageAdmin(admin.ModelAdmin):
    """The message log (evidence for disputes): read-only."""

    list_display = ["created_at", "direction", "kind", "reference", "transaction_id", "verified", "applied", "outcome"]
    list_filter = ["direction", "kind", "verified", "applied", "outcome"]
    search_fields = ["reference", "transaction_id"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
