"""Django admin changes go into the audit log like every other change."""

from __future__ import annotations

from tinhso.audit.actions import record


class AuditedAdmin:
    """Mix into a ModelAdmin: each save and delete writes an audit row in the
    same transaction (the admin wraps its views in one)."""

    audit_prefix = "admin"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record(actor=request.user, action=f"{self.audit_prefix}.{'changed' if change else 'created'}", obj=obj,
               changes={name: str(form.cleaned_data.get(name))[:200] for name in form.changed_data})

    def delete_model(self, request, obj):
        record(actor=request.user, action=f"{self.audit_prefix}.deleted", obj=obj)
        super().delete_model(request, obj)
