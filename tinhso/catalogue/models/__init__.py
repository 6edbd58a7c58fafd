"""Catalogue of administrative procedures (danh mục thủ tục hành chính)."""

from tinhso.catalogue.models._dated import effective_on
from tinhso.catalogue.models.case import Fee, ProcedureCase, RequiredComponent
from tinhso.catalogue.models.choices import (
    AgencyRole,
    FeeKind,
    FeePaymentMoment,
    FeeStatus,
    LegacyLevel,
    Level,
    MoveKind,
    OnlineLevel,
    TimeUnit,
)
from tinhso.catalogue.models.case import FeeExemption  # noqa: E402
from tinhso.catalogue.models.eform import FieldKind, FormField, Prefill
from tinhso.catalogue.models.procedure import Field, ImplementingAgency, Procedure
from tinhso.catalogue.models.process import ProcessStep, StepMove
from tinhso.catalogue.models.revision import ReferenceRevision

__all__ = [
    "AgencyRole", "FeeExemption", "FieldKind", "FormField", "Prefill", "Fee", "FeeKind", "FeePaymentMoment", "FeeStatus", "Field", "ImplementingAgency",
    "LegacyLevel", "Level", "MoveKind", "OnlineLevel", "ProcedureCase", "Procedure", "ProcessStep",
    "ReferenceRevision", "RequiredComponent", "StepMove", "TimeUnit", "effective_on",
]
