"""Read-side queries for administrative units (search, now-part-of)."""

from __future__ import annotations


from tinhso.core.search import filter_folded
from tinhso.core.text import fold
from tinhso.units.models import REFORM_DATE, AdministrativeUnit, UnitSuccession

_PREFIXES = ("thanh pho ", "tinh ", "dac khu ", "phuong ", "thi tran ", "xa ")


def _bare(folded_name: str) -> str:
    for prefix in _PREFIXES:
        if folded_name.startswith(prefix):
            return folded_name[len(prefix):]
    return folded_name


def search_units(q: str, *, level: str | None = None, current: bool | None = None, province: str | None = None,
                 limit: int = 20) -> list[AdministrativeUnit]:
    """Diacritic-insensitive search. Best matches first: exact name, then the
    phrase at a word start, then all words anywhere; current units before old
    ones. Each result has `now_part_of` (current successors; empty when the
    unit is current)."""
    query = fold(q)
    if not query:
        return []
    qs = AdministrativeUnit.objects.select_related("parent")
    if level:
        qs = qs.filter(level=level)
    if current is True:
        qs = qs.filter(valid_to__isnull=True)
    elif current is False:
        qs = qs.filter(valid_to__isnull=False)
    if province:
        qs = qs.filter(parent__code=province)
    candidates = list(filter_folded(qs, query)[:500])

    def rank(unit: AdministrativeUnit):
        name = fold(unit.name)
        bare = _bare(name)
        if bare == query or name == query or unit.code == query:
            score = 0
        elif bare.startswith(query) or f" {query}" in f" {name}":
            score = 1
        elif query in name:
            score = 2
        else:
            score = 3
        return (score, 0 if unit.valid_to is None else 1, unit.level != "province", name)

    results = sorted(candidates, key=rank)[:limit]
    attach_now_part_of(results)
    return results


def attach_now_part_of(units: list[AdministrativeUnit]) -> None:
    """Set `unit.now_part_of` on each unit in one query (plus one per deeper
    chain, which the 2025 data does not have)."""
    old = [u for u in units if u.valid_to is not None]
    rows = (UnitSuccession.objects.filter(predecessor__in=old).select_related("successor__parent")
            .order_by("successor__code"))
    by_old: dict[int, list] = {}
    for row in rows:
        by_old.setdefault(row.predecessor_id, []).append(row)
    for unit in units:
        if unit.valid_to is None:
            unit.now_part_of = []
            continue
        found = by_old.get(unit.pk, [])
        if found and all(r.successor.valid_to is None for r in found):
            unit.now_part_of = [(r.successor, r.kind) for r in found]
        else:
            kinds = {r.successor_id: r.kind for r in found}
            unit.now_part_of = [(s, kinds.get(s.pk, "partial")) for s in unit.successors()]


def describe_now_part_of(unit: AdministrativeUnit) -> str:
    """A sentence for people: “Nay thuộc Thành phố Cần Thơ”."""
    parts = getattr(unit, "now_part_of", None)
    if parts is None:
        attach_now_part_of([unit])
        parts = unit.now_part_of
    if not parts:
        return ""
    names = []
    for successor, kind in parts:
        label = successor.name
        if successor.parent_id:
            label += f" ({successor.parent.name})"
        if kind == "partial":
            label += " – một phần"
        names.append(label)
    return f"Nay thuộc {', '.join(names)}"


def predecessors_of(unit: AdministrativeUnit):
    return (UnitSuccession.objects.filter(successor=unit).select_related("predecessor__parent")
            .order_by("predecessor__code"))


def current_provinces():
    return AdministrativeUnit.objects.filter(level="province", valid_from=REFORM_DATE).order_by("name")


def communes_of(province: AdministrativeUnit):
    return AdministrativeUnit.objects.filter(parent=province).order_by("name")
