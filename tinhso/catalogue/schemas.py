from __future__ import annotations

import datetime

from ninja import Schema


class FieldOut(Schema):
    code: str
    name: str
    procedure_count: int = 0


class ProcedureListItem(Schema):
    code: str
    name: str
    field: FieldOut
    levels: list[str]
    online_level: str
    legacy_level: int | None
    result_name: str
    is_active: bool


class ProcedurePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ProcedureListItem]


class ComponentOut(Schema):
    order: int
    name: str
    paper_code: str
    originals: int
    copies: int
    required: bool
    template_url: str
    template_file_url: str | None
    from_data_store: bool
    from_national_db: bool


class FeeOut(Schema):
    kind: str
    name: str
    amount: int
    note: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None


class StepOut(Schema):
    order: int
    name: str
    role: str
    agency: str | None
    agency_kind: str
    allowance: float
    allowance_unit: str
    forward_to: list[int]
    back_to: list[int]


class CaseOut(Schema):
    code: str
    name: str
    processing_time: float
    time_unit: str
    online_processing_time: float | None
    digital_signature_required: bool
    online_payment_required: bool
    not_online: bool
    authorised_filing: bool
    no_appointment: bool
    fee_payment_moment: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    components: list[ComponentOut]
    fees: list[FeeOut]
    steps: list[StepOut]


class AgencyRuleOut(Schema):
    agency: str | None
    agency_name: str | None
    agency_kind: str
    role: str
    level: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None


class ProcedureDetail(ProcedureListItem):
    legal_basis: str
    decision: str
    inter_agency: bool
    fee_status: str
    note: str
    sample_fields: list[str]
    on: datetime.date
    agencies: list[AgencyRuleOut]
    cases: list[CaseOut]


class ImportResult(Schema):
    created: int
    updated: int
    unchanged: int
    total: int
