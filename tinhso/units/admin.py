from django.contrib import admin

from tinhso.units.models import AdministrativeUnit, UnitSuccession


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "valid_from", "valid_to")
    list_filter = ("level",)
    search_fields = ("code", "name", "search_text")
    raw_id_fields = ("parent",)


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(admin.ModelAdmin):
    """Read-only here: corrections go through the audited back-office page."""

    list_display = ("predecessor", "successor", "kind", "source", "corrected")
    list_filter = ("kind", "corrected")
    search_fields = ("predecessor__search_text", "successor__search_text")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
