from django.contrib import admin

from tinhso.agencies.models import Agency


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "unit", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name", "short_name", "search_text")
    autocomplete_fields = ["parent", "unit"]
