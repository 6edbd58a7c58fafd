from django.contrib import admin

from tinhso.audit.admin_mixins import AuditedAdmin
from tinhso.catalogue.models import FeeExemption, RequiredComponent


@admin.register(FeeExemption)
class FeeExemptionAdmin(admin.ModelAdmin):
    """Miễn, giảm phí, lệ phí: dated data the catalogue manager or administrator keeps."""

    list_display = ("code", "name", "percent", "applies_to", "procedure", "valid_from", "valid_to")
    list_filter = ("applies_to",)
    search_fields = ("code", "name", "legal_basis")
    autocomplete_fields = ()


@admin.register(RequiredComponent)
class RequiredComponentAdmin(AuditedAdmin, admin.ModelAdmin):
    """Thành phần hồ sơ: the administrator marks which national database can supply a paper
    (`national_source`, docs/national-registries.md); the rest is kept through the catalogue pages.
    Changes are audited."""

    audit_prefix = "catalogue.admin.required_component"

    list_display = ("name", "case", "required", "reusable_from_national_db", "national_source")
    list_filter = ("national_source", "reusable_from_national_db")
    search_fields = ("name", "case__procedure__code", "case__procedure__name")
    list_select_related = ("case__procedure",)
    fields = ("name", "case", "required", "reusable_from_national_db", "national_source")
    readonly_fields = ("name", "case", "required")
