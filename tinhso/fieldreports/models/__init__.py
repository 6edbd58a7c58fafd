from tinhso.fieldreports.models.category import (  # noqa: F401
    AttributeType, CategoryAttribute, CategoryRoute, EscalationStep, Notify, Reason, ReasonKind, ReportCategory,
    Stage, StageDeadline,
)
from tinhso.fieldreports.models.report import (  # noqa: F401
    Channel, FieldReport, MediaKind, MediaRole, PhoneConfirmation, Rating, ReplayGuard, ReportCounter, ReportEvent,
    ReportFollower,
    ReportMedia, StageRecord, Status,
)
