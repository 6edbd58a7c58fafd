"""Free-text address recognition (nhận dạng địa chỉ).

`recognise("ấp 3, xã Vị Thủy, huyện Vị Thủy, Hậu Giang")` reads the parts of
an address written the way people write it, before or after the 2025
reorganisation, with or without diacritics, and answers today's commune
through the succession table (`units.UnitSuccession`):

- the text is folded character by character (`_fold_char`: one output
  character per input character), so parts found in the folded text are cut
  from the original with their diacritics;
- it is split at commas (or, without commas, before the words xã, phường,
  huyện, tỉnh …), and each part is named by its leading word: commune, old
  district (ignored: the data set has no districts, and they no longer exist),
  province, hamlet (ấp, khu vực, tổ, khóm …), or the house number and street;
- the commune part is matched by exact folded name against current and old
  communes, narrowed by the province when one is named (an old province such
  as Hậu Giang narrows to its old communes; a district or an old province
  means the text is in the old form, so old units win a tie);
- an old commune resolves to its successors: one (`full`) gives the answer,
  several (`partial`: the old commune was split) give alternatives, the
  confidence shared between them.

Confidence is a number in [0, 1]: 1 for an exact commune and province, less
when the province is missing, the commune kind is missing, or several units
fit. `accepted` says whether the best answer is sure enough to use without a
person choosing (`ACCEPT_AT`)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Q

from tinhso.core.text import fold
from tinhso.units.models import AdministrativeUnit, UnitSuccession

ACCEPT_AT = 0.75
MAX_TEXT = 500

COMMUNE_WORDS = {"xa": "xa", "x": "xa", "phuong": "phuong", "p": "phuong", "thi tran": "thi tran",
                 "tt": "thi tran", "dac khu": "dac khu"}
DISTRICT_WORDS = ("huyen", "quan", "thi xa", "h", "q", "tx")
PROVINCE_WORDS = ("tinh", "thanh pho", "tp")
HAMLET_WORDS = ("ap", "khu vuc", "kv", "khom", "khu pho", "kp", "to dan pho", "to", "thon", "xom", "khu")
STREET_WORDS = ("duong", "pho", "hem", "kiet", "ngo", "quoc lo", "ql", "tinh lo", "tl")
_KIND_PREFIXES = ("thanh pho ", "tinh ", "dac khu ", "phuong ", "thi tran ", "xa ")
_SPLIT_WORDS = re.compile(r"(?<!\w)(?=(?:xa|phuong|thi tran|dac khu|huyen|quan|thi xa|tinh|thanh pho|tp)\s)")
_HOUSE = re.compile(r"^\s*(?:so(?:\s+nha)?\s+)?(\d+[a-z]?(?:[/\-]\d+[a-z]?)*)(?:\s+|$)")


def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0].lower()
    if (base.isalnum() and len(base) == 1) or ch == "/":
        return base
    return " "


def _aligned(text: str) -> str:
    return "".join(_fold_char(ch) for ch in text)


def _strip_word(folded: str, words) -> tuple[str | None, str]:
    """(the leading word of `words`, the rest) or (None, folded)."""
    for word in sorted(words, key=len, reverse=True):
        if folded == word:
            return word, ""
        if folded.startswith(word + " "):
            return word, folded[len(word) + 1:].strip()
    return None, folded


def _bare(folded_name: str) -> str:
    for prefix in _KIND_PREFIXES:
        if folded_name.startswith(prefix):
            return folded_name[len(prefix):]
    return folded_name


@dataclass
class Candidate:
    unit: AdministrativeUnit
    confidence: float
    via: AdministrativeUnit | None = None  # the old commune the text named
    kind: str = ""  # "full" / "partial" when through the succession table

    def as_dict(self) -> dict:
        return {"unit_id": self.unit.pk, "code": self.unit.code, "name": self.unit.name,
                "province": self.unit.parent.name if self.unit.parent_id else "",
                "confidence": round(self.confidence, 2),
                "old_unit": ({"code": self.via.code, "name": self.via.name,
                              "province": self.via.parent.name if self.via.parent_id else ""}
                             if self.via else None),
                "succession": self.kind}


@dataclass
class Recognition:
    """Nhận dạng địa chỉ: what `recognise` read from a text."""

    text: str
    house_number: str = ""
    street: str = ""
    hamlet: str = ""
    commune_text: str = ""
    district_text: str = ""
    province_text: str = ""
    candidates: list[Candidate] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    @property
    def unit(self) -> AdministrativeUnit | None:
        return self.best.unit if self.best else None

    @property
    def confidence(self) -> float:
        return self.best.confidence if self.best else 0.0

    @property
    def alternatives(self) -> list[Candidate]:
        return self.candidates[1:]

    @property
    def accepted(self) -> bool:
        return self.best is not None and self.confidence >= ACCEPT_AT

    @property
    def old_form(self) -> bool:
        return bool(self.best and self.best.via)

    def normalised_text(self) -> str:
        if self.unit is None:
            return ""
        return format_address(self.house_number, self.street, self.hamlet, self.unit)

    def as_dict(self) -> dict:
        return {"text": self.text, "house_number": self.house_number, "street": self.street, "hamlet": self.hamlet,
                "unit": self.best.as_dict() if self.best else None, "confidence": round(self.confidence, 2),
                "accepted": self.accepted, "normalised": self.normalised_text(),
                "alternatives": [c.as_dict() for c in self.alternatives], "notes": self.notes}


def format_address(house_number: str, street: str, hamlet: str, unit: AdministrativeUnit) -> str:
    """The address as it is written after 2025: number, street, hamlet,
    commune, province (no district)."""
    parts = []
    first = " ".join(p for p in (house_number.strip(), street.strip()) if p)
    if first:
        parts.append(first if not house_number.strip() or not first[0].isdigit() else f"Số {first}")
    if hamlet.strip():
        parts.append(hamlet.strip())
    parts.append(unit.name)
    if unit.parent_id:
        parts.append(unit.parent.name)
    return ", ".join(parts)


def _segments(text: str) -> list[tuple[str, str]]:
    """[(original part, folded part)] split at commas, else before unit words."""
    folded = _aligned(text)
    cuts = [(m.start(), m.end()) for m in re.finditer(r"[,;\n]|\s-\s", text)]
    if not cuts:
        cuts = [(m.start(), m.start()) for m in _SPLIT_WORDS.finditer(folded) if m.start() > 0]
    bounds, start = [], 0
    for cut, end in cuts:
        bounds.append((start, cut))
        start = end
    bounds.append((start, len(text)))
    out = []
    for a, b in bounds:
        original = re.sub(r"\s+", " ", text[a:b]).strip(" ,;-")
        part = re.sub(r"\s+", " ", _aligned(original)).strip()
        if part:
            out.append((original, part))
    return out


def _provinces() -> list[AdministrativeUnit]:
    return list(AdministrativeUnit.objects.filter(level="province"))


def _split_trailing_province(segments, provinces):
    """"… huyen vi thuy hau giang" written without commas: the province at the end is its own part."""
    original, part = segments[-1]
    if _match_province(part, provinces):
        return segments
    names = sorted({_bare(fold(p.name)) for p in provinces}, key=len, reverse=True)
    for name in names:
        if part.endswith(" " + name):
            head = len(part) - len(name)
            # the folded part is aligned with the original only up to collapsed spaces: cut by words
            words = len(name.split(" "))
            cut = original.rsplit(maxsplit=words)
            if len(cut) == words + 1:
                return [*segments[:-1], (cut[0], part[:head].strip()), (" ".join(cut[1:]), name)]
    return segments


def _match_province(folded: str, provinces) -> list[AdministrativeUnit]:
    word, rest = _strip_word(folded, PROVINCE_WORDS)
    name = rest if word else folded
    return [p for p in provinces if _bare(fold(p.name)) == name]


def _communes_named(name: str, kind: str | None):
    if kind:
        wanted = [f"{kind} {name}"]
    else:
        wanted = [f"{k} {name}" for k in ("xa", "phuong", "thi tran", "dac khu")]
    query = Q()
    for folded_name in wanted:
        query |= Q(search_text__startswith=folded_name + " ")
    rows = AdministrativeUnit.objects.filter(query, level="commune").select_related("parent")
    return [u for u in rows if fold(u.name) in wanted]


def recognise(text: str) -> Recognition:
    """Read a free-text address; see the module's docstring. Never raises for
    any text: an unreadable one gives a Recognition without candidates."""
    # Lone surrogates (valid JSON, invalid UTF-8) would break the database driver: drop them.
    text = (text or "")[:MAX_TEXT].encode("utf-8", "ignore").decode("utf-8")
    result = Recognition(text=text)
    segments = _segments(text)
    if not segments:
        result.notes.append("Chưa nhập địa chỉ.")
        return result
    provinces = _provinces()
    segments = _split_trailing_province(segments, provinces)
    commune_part: tuple[str, str, str | None] | None = None
    province_units: list[AdministrativeUnit] = []
    leftovers: list[tuple[str, str]] = []
    for original, part in segments:
        commune_word, rest = _strip_word(part, COMMUNE_WORDS)
        if commune_word and rest and commune_part is None:
            commune_part = (original, rest, COMMUNE_WORDS[commune_word])
            continue
        district_word, rest = _strip_word(part, DISTRICT_WORDS)
        if district_word and rest and commune_part is not None:
            result.district_text = original
            continue
        found = _match_province(part, provinces)
        if found and (leftovers or commune_part):
            province_units = found
            result.province_text = original
            continue
        if _strip_word(part, ("thanh pho", "tp"))[0] and commune_part is not None:
            result.district_text = original  # an old provincial city (thành phố Vị Thanh) was a district
            continue
        leftovers.append((original, part))

    # No commune word: the last unlabelled part before the district/province is the commune.
    if commune_part is None and leftovers and (province_units or result.district_text or len(leftovers) > 1):
        original, part = leftovers.pop()
        commune_part = (original, part, None)
    _read_street(result, leftovers)
    if commune_part is None:
        result.notes.append("Không tìm thấy tên xã, phường trong địa chỉ.")
        return result
    result.commune_text = commune_part[0]
    result.candidates = _candidates(commune_part[1], commune_part[2], province_units,
                                    old_form=bool(result.district_text), notes=result.notes)
    return result


def _read_street(result: Recognition, leftovers: list[tuple[str, str]]) -> None:
    streets = []
    for original, part in leftovers:
        word, rest = _strip_word(part, HAMLET_WORDS)
        if word and rest and not result.hamlet:
            result.hamlet = original
            continue
        match = _HOUSE.match(_aligned(original))
        if match and not result.house_number:
            # the aligned fold has one character per character of the original: cut the same ones
            result.house_number = original[match.start(1):match.end(1)]
            if original[match.end():].strip():
                streets.append(original[match.end():].strip())
            continue
        streets.append(original)
    result.street = ", ".join(streets)


def _candidates(name: str, kind: str | None, provinces: list[AdministrativeUnit], *, old_form: bool,
                notes: list[str]) -> list[Candidate]:
    units = _communes_named(name, kind)
    if provinces:
        province_ids = {p.pk for p in provinces}
        # A current province also covers the old communes of the old provinces merged into it.
        merged = set(UnitSuccession.objects.filter(successor_id__in=province_ids).values_list("predecessor_id",
                                                                                              flat=True))
        inside = [u for u in units if u.parent_id in province_ids or u.parent_id in merged]
        if inside:
            units = inside
        elif units:
            notes.append("Tên xã, phường không thuộc tỉnh, thành phố đã ghi; xem các khả năng.")
    if not units:
        notes.append("Không tìm thấy xã, phường có tên này.")
        return []
    named_old = bool(provinces) and all(p.valid_to is not None for p in provinces)
    current = [u for u in units if u.valid_to is None]
    old = [u for u in units if u.valid_to is not None]
    penalty = 1.0 if provinces else 0.8
    if not kind:
        penalty *= 0.9
    # Which reading comes first: the old one when the text is in the old form.
    prefer_old = named_old or old_form or not current
    groups = [old, current] if prefer_old else [current, old]
    scored: list[Candidate] = []
    for rank, group in enumerate(groups):
        if not group:
            continue
        weight = penalty * (1.0 if rank == 0 or not scored else 0.5) / len(group)
        for unit in group:
            if unit.valid_to is None:
                scored.append(Candidate(unit, weight))
                continue
            successors = _successors(unit)
            for successor, kind_ in successors:
                scored.append(Candidate(successor, weight / len(successors), via=unit, kind=kind_))
    if len(scored) > 1 and not (len(groups[0]) == 1 and len(_distinct(scored, first_only=groups[0])) == 1):
        notes.append("Có nhiều khả năng; hãy chọn đúng xã, phường hiện nay.")
    scored.sort(key=lambda c: (-c.confidence, c.unit.code))
    seen, out = set(), []
    for candidate in scored:
        if candidate.unit.pk not in seen:
            seen.add(candidate.unit.pk)
            out.append(candidate)
    return out


def _distinct(candidates: list[Candidate], first_only) -> set[int]:
    ids = {u.pk for u in first_only}
    return {c.unit.pk for c in candidates if (c.via.pk if c.via else c.unit.pk) in ids}


def _successors(unit: AdministrativeUnit) -> list[tuple[AdministrativeUnit, str]]:
    rows = (UnitSuccession.objects.filter(predecessor=unit).select_related("successor__parent")
            .order_by("successor__code"))
    found = [(r.successor, r.kind) for r in rows if r.successor.valid_to is None]
    if found:
        return found
    return [(s, "partial") for s in unit.successors()]


def normalise(text: str) -> dict | None:
    """The address in today's form, for another app to store: `{"text",
    "unit_id", "house_number", "street", "hamlet", "confidence"}`; None when
    the commune cannot be told with confidence (`ACCEPT_AT`) — then show the
    person `recognise(text).as_dict()["alternatives"]` to choose."""
    result = recognise(text)
    if not result.accepted:
        return None
    return {"text": result.normalised_text(), "unit_id": result.unit.pk, "house_number": result.house_number,
            "street": result.street, "hamlet": result.hamlet, "confidence": round(result.confidence, 2)}
