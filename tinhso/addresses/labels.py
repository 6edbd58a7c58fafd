"""An address for another app to print or store: the registered address when
the text is (or reads as) one, else today's form when recognised with
confidence, else the text as written. Used by the postal labels."""

from __future__ import annotations

from dataclasses import dataclass

from tinhso.addresses.actions import fingerprint
from tinhso.addresses.codes import looks_like_code
from tinhso.addresses.models import Address, AddressStatus
from tinhso.addresses.recognition import normalise


@dataclass
class LabelAddress:
    text: str
    code: str | None = None  # Address.code when the address is a registered one
    typed: str = ""


def label_address(text: str, *, limit: int = 300) -> LabelAddress:
    """`text` may be an address code (31135-0000127) picked from the address
    search, or a free text (old or new form). A result longer than `limit`
    keeps the typed text."""
    typed = (text or "").strip()
    active = Address.objects.filter(status=AddressStatus.ACTIVE)
    if looks_like_code(typed):
        address = active.filter(code=typed).first()
        if address is not None and len(address.full_text) <= limit:
            return LabelAddress(address.full_text, address.code, typed)
        return LabelAddress(typed, None, typed)
    found = normalise(typed) if typed else None
    if found is None or len(found["text"]) > limit:
        return LabelAddress(typed, None, typed)
    key = fingerprint(found["house_number"], found["street"], found["hamlet"], found["unit_id"])
    address = active.filter(fingerprint=key).first()
    return LabelAddress(found["text"], address.code if address else None, typed)
