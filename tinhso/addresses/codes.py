"""The address code (mã địa chỉ): `CCCCC-NNNNNNK`.

- `CCCCC`: the 5-digit code of the commune (letter 1027/CTK-CSCL) when the
  address was registered;
- `NNNNNN`: a serial per commune code from `AddressCounter` (one statement,
  unique under concurrency), never reset and never reused;
- `K`: a Luhn check digit over the 11 digits, so a mistyped code is caught.

The code is stable: it does not change when the address is corrected or the
commune is later renamed or merged (the address row then points at the new
unit; the code still reads as where it was registered)."""

from __future__ import annotations

import re

from tinhso.core.counters import next_value

CODE_RE = re.compile(r"^(\d{5})-(\d{6})(\d)$")


def luhn_digit(digits: str) -> str:
    total = 0
    for index, ch in enumerate(reversed(digits)):
        value = int(ch)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def new_code(commune_code: str) -> str:
    from tinhso.addresses.models import AddressCounter

    serial = next_value(AddressCounter, {"commune_code": commune_code})
    body = f"{commune_code}{serial:06d}"
    return f"{commune_code}-{serial:06d}{luhn_digit(body)}"


def is_valid(code: str) -> bool:
    match = CODE_RE.match((code or "").strip())
    return bool(match) and luhn_digit(match.group(1) + match.group(2)) == match.group(3)


def looks_like_code(code: str) -> bool:
    """Shaped like a code (checked before any query, so odd input never reaches the database)."""
    return bool(CODE_RE.match(code or ""))
