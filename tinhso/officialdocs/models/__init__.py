from tinhso.officialdocs.models.document import (  # noqa: F401
    Assignment, AxisMessage, DocStatus, Direction, DocumentEvent, DocumentFile, DocumentType, ExchangeMessage,
    IssuingProfile,
    OfficialDocument,
    Recipient, Register, RegisterCounter, Secrecy, Series, Urgency,
)
