from __future__ import annotations

import datetime

from ninja import Schema


class UnitRef(Schema):
    id: int
    code: str
    name: str
    level: str
    province: str | None = None


class SuccessorOut(UnitRef):
    kind: str


class UnitOut(Schema):
    id: int
    code: str
    name: str
    level: str
    is_current: bool
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    parent: UnitRef | None
    now_part_of: list[SuccessorOut]
    note: str


class UnitDetailOut(UnitOut):
    predecessors: list[SuccessorOut]


class SuccessionPatch(Schema):
    kind: str | None = None
    successor_id: int | None = None
    note: str = ""


class SuccessionOut(Schema):
    id: int
    predecessor: UnitRef
    successor: UnitRef
    kind: str
    corrected: bool
    note: str
