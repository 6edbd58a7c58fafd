"""State changes of administrative units and their succession."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.db import IntegrityError, transaction

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import require_role
from tinhso.audit.actions import diff, record
from tinhso.core.errors import Conflict, InvalidInput
from tinhso.core.text import fold
from tinhso.units.importer import read_dataset
from tinhso.units.models import REFORM_DATE, AdministrativeUnit, SuccessionKind, UnitSuccession

OLD_UNTIL = REFORM_DATE - datetime.timedelta(days=1)


@transaction.atomic
def import_units(*, acting_user, directory: Path) -> dict:
    """Load (or refresh) the 34 provinces, 3,321 communes, the pre-2025 units
    and the succession rows. Idempotent: existing units are updated in place,
    and succession rows an administrator corrected are never overwritten.
    `acting_user=None` is the system (install and demo seeding)."""
    if acting_user is not None:
        require_role(acting_user, Role.SYSTEM_ADMIN)
    data = read_dataset(directory)

    existing = {(u.level, u.code, u.valid_from): u for u in AdministrativeUnit.objects.all()}
    created, updated = [], []
    for row in data.units:
        key = (row.level, row.code, REFORM_DATE if row.current else None)
        unit = existing.get(key)
        if unit is None:
            unit = AdministrativeUnit(level=row.level, code=row.code, name=row.name, valid_from=key[2],
                                      valid_to=None if row.current else OLD_UNTIL,
                                      search_text=fold(f"{row.name} {row.code}"))
            existing[key] = unit
            created.append(unit)
        elif unit.name != row.name:
            unit.name = row.name
            unit.search_text = fold(f"{row.name} {row.code}")
            updated.append(unit)
    AdministrativeUnit.objects.bulk_create(created, batch_size=2000)
    AdministrativeUnit.objects.bulk_update(updated, ["name", "search_text"], batch_size=2000)

    # Parents, now that every unit has a primary key.
    by_key = {(u.level, u.code, u.valid_from): u for u in AdministrativeUnit.objects.all()}
    reparented = []
    for row in data.units:
        if row.parent_code is None:
            continue
        unit = by_key[(row.level, row.code, REFORM_DATE if row.current else None)]
        parent = by_key.get(("province", row.parent_code, REFORM_DATE if row.current else None))
        if parent is not None and unit.parent_id != parent.pk:
            unit.parent_id = parent.pk
            reparented.append(unit)
    AdministrativeUnit.objects.bulk_update(reparented, ["parent"], batch_size=2000)

    have = set(UnitSuccession.objects.values_list("predecessor_id", "successor_id"))
    new_rows = []
    for row in data.successions:
        old = by_key.get((row.old_level, row.old_code, None))
        new = by_key.get((row.level, row.new_code, REFORM_DATE))
        if old is None or new is None:
            data.warnings.append(f"Bỏ qua kế thừa {row.old_code} -> {row.new_code}: thiếu đơn vị")
            continue
        if (old.pk, new.pk) in have:
            continue
        have.add((old.pk, new.pk))
        new_rows.append(UnitSuccession(predecessor=old, successor=new, kind=row.kind, source="dataset-2025"))
    UnitSuccession.objects.bulk_create(new_rows, batch_size=2000)

    summary = {"units_created": len(created), "units_renamed": len(updated),
               "successions_created": len(new_rows), "warnings": len(data.warnings)}
    record(actor=acting_user, action="units.imported", changes=summary, note="\n".join(data.warnings[:200]))
    summary["warning_lines"] = data.warnings
    return summary


def _check_pair(predecessor: AdministrativeUnit, successor: AdministrativeUnit) -> None:
    if predecessor.pk == successor.pk:
        raise InvalidInput("Đơn vị cũ và đơn vị mới phải khác nhau.", code="same_unit")
    if predecessor.level != successor.level and (predecessor.level, successor.level) != ("district", "commune"):
        raise InvalidInput("Đơn vị cũ và đơn vị mới phải cùng cấp.", code="level_mismatch")
    if not successor.is_current:
        raise InvalidInput("Đơn vị mới phải là đơn vị đang có hiệu lực.", code="successor_not_current")
    if predecessor.is_current:
        raise InvalidInput("Đơn vị cũ phải là đơn vị đã hết hiệu lực.", code="predecessor_current")


@transaction.atomic
def correct_succession(*, acting_user, succession: UnitSuccession, kind: str | None = None,
                       successor: AdministrativeUnit | None = None, note: str = "") -> UnitSuccession:
    """An administrator corrects one mapping row (the data set was built with
    machine help). The old and new values go to the audit log."""
    require_role(acting_user, Role.SYSTEM_ADMIN)
    row = UnitSuccession.objects.select_for_update().select_related("predecessor", "successor").get(pk=succession.pk)
    values = {}
    if kind is not None:
        if kind not in SuccessionKind.values:
            raise InvalidInput("Hình thức kế thừa phải là “toàn bộ” hoặc “một phần”.", code="invalid_kind")
        values["kind"] = kind
    if successor is not None:
        _check_pair(row.predecessor, successor)
        values["successor"] = successor
    changes = diff(row, ["kind", "successor"], values)
    if not changes:
        raise InvalidInput("Không có thay đổi nào để lưu.", code="no_change")
    for name, value in values.items():
        setattr(row, name, value)
    row.corrected = True
    row.note = note or row.note
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise Conflict("Đã có dòng kế thừa giữa hai đơn vị này.", code="succession_exists") from None
    record(actor=acting_user, action="units.succession.corrected", obj=row, changes=changes, note=note)
    return row


@transaction.atomic
def add_succession(*, acting_user, predecessor: AdministrativeUnit, successor: AdministrativeUnit, kind: str,
                   note: str = "") -> UnitSuccession:
    require_role(acting_user, Role.SYSTEM_ADMIN)
    _check_pair(predecessor, successor)
    if kind not in SuccessionKind.values:
        raise InvalidInput("Hình thức kế thừa phải là “toàn bộ” hoặc “một phần”.", code="invalid_kind")
    try:
        with transaction.atomic():
            row = UnitSuccession.objects.create(predecessor=predecessor, successor=successor, kind=kind,
                                                source="admin", corrected=True, note=note)
    except IntegrityError:
        raise Conflict("Đã có dòng kế thừa giữa hai đơn vị này.", code="succession_exists") from None
    record(actor=acting_user, action="units.succession.added", obj=row,
           changes={"predecessor": predecessor.code, "successor": successor.code, "kind": kind}, note=note)
    return row


@transaction.atomic
def remove_succession(*, acting_user, succession: UnitSuccession, note: str = "") -> None:
    require_role(acting_user, Role.SYSTEM_ADMIN)
    if not note.strip():
        raise InvalidInput("Cần ghi rõ lý do xóa dòng kế thừa.", code="reason_required",
                           errors=[{"field": "note", "message": "Trường này là bắt buộc."}])
    record(actor=acting_user, action="units.succession.removed", obj=succession,
           changes={"predecessor": succession.predecessor.code, "successor": succession.successor.code,
                    "kind": succession.kind}, note=note)
    succession.delete()
