"""The Django admin for the rarer settings of field reports (the centre edits
categories, deadlines and routes on its own pages)."""

from django.contrib import admin

from tinhso.audit.admin_mixins import AuditedAdmin
from tinhso.fieldreports.models import CategoryAttribute, EscalationStep, Reason, ReportCategory


class AttributeInline(admin.TabularInline):
    model = CategoryAttribute
    extra = 0


@admin.register(ReportCategory)
class ReportCategoryAdmin(AuditedAdmin, admin.ModelAdmin):
    audit_prefix = "fieldreports.admin.category"
    list_display = ["code", "name", "group", "is_public", "requires_evidence", "valid_from", "valid_to"]
    search_fields = ["code", "name", "group"]
    inlines = [AttributeInline]


@admin.register(EscalationStep)
class EscalationStepAdmin(AuditedAdmin, admin.ModelAdmin):
    audit_prefix = "fieldreports.admin.escalation"
    list_display = ["stage", "percent", "notify", "category", "valid_from", "valid_to"]
    list_filter = ["stage", "notify"]


@admin.register(Reason)
class ReasonAdmin(AuditedAdmin, admin.ModelAdmin):
    audit_prefix = "fieldreports.admin.reason"
    list_display = ["kind", "code", "label", "is_active", "order"]
    list_filter = ["kind", "is_active"]
