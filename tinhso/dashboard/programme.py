"""The digital-transformation programme's counted results (e-mail accounts,
certificates, community teams, products on e-commerce, growing-area codes,
communes connected to online meetings …), each shown on the dashboard against
its target.

An app contributes figures by registering a provider in its AppConfig.ready():

    from tinhso.dashboard import programme
    programme.register(lambda: [programme.Figure("email_accounts", "Hộp thư công vụ", count, "tài khoản",
                                                 url=reverse("mail:index"))])

The value is computed live by the app; the target it should reach is data
(`ProgrammeTarget`, dated, with its source document, keyed by the figure's
`key`), seeded with the targets the province's plans name and edited by an
administrator, never a constant in code."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

log = logging.getLogger(__name__)


@dataclass
class Figure:
    key: str
    label: str
    value: int | Decimal | float | None
    unit: str = ""
    url: str = ""
    # filled from ProgrammeTarget by figures()
    target: Decimal | None = None
    basis: str = ""

    @property
    def share(self) -> float | None:
        """The value as a percentage of its target (for the bar), capped at 100."""
        if self.target in (None, 0) or self.value is None:
            return None
        return min(100.0, float(self.value) * 100 / float(self.target))

    @property
    def met(self) -> bool | None:
        if self.target is None or self.value is None:
            return None
        return float(self.value) >= float(self.target)


_PROVIDERS: list[Callable[[], list[Figure]]] = []


def register(provider: Callable[[], list[Figure]]) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def figures(day=None) -> list[Figure]:
    """Every registered figure with the target in force on `day`. A provider
    that fails is logged and left out (the dashboard still renders)."""
    from tinhso.dashboard.models import ProgrammeTarget

    out: list[Figure] = []
    for provider in _PROVIDERS:
        try:
            out.extend(provider())
        except Exception:  # noqa: BLE001 - one app's defect must not take the dashboard down
            log.exception("programme figure provider %r failed", provider)
    targets = ProgrammeTarget.in_force(day)
    for f in out:
        target = targets.get(f.key)
        if target is not None:
            f.target, f.basis = target.target, target.basis
    return out
