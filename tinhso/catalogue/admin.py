from django.contrib import admin

from tinhso.catalogue.models import FeeExemption


@admin.register(FeeExemption)
class FeeExemptionAdmin(admin.ModelAdmin):
    """Miễn, giảm phí, lệ phí: dated data the catalogue manager or administrator keeps."""

    list_display = ("code", "name", "percent", "applies_to", "procedure", "valid_from", "valid_to")
    list_filter = ("applies_to",)
    search_fields = ("code", "name", "legal_basis")
    autocomplete_fields = ()
