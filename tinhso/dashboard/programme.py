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


def scorecard(day=None) -> list[dict]:
    """Every programme target in force on `day`, each with its value: the live
    figure where an app counts it, otherwise the latest value an official
    entered (ProgrammeValue); then the live figures no target covers yet.
    `progress` is the value as a percentage of the target (capped at 100)."""
    from tinhso.dashboard.models import ProgrammeGroup, ProgrammeTarget, ProgrammeValue, TargetKind

    live = {f.key: f for f in figures(day)}
    entered = ProgrammeValue.latest(day)
    groups = dict(ProgrammeGroup.choices)
    order = list(groups)
    rows = []
    for key, target in ProgrammeTarget.in_force(day).items():
        figure, value_row = live.get(key), entered.get(key)
        if figure is not None:
            value, source = figure.value, "live"
        elif value_row is not None:
            value, source = value_row.value, "entered"
        else:
            value, source = None, None
        progress = None
        if value is not None and target.target:
            progress = min(100.0, float(value) * 100 / float(target.target))
        rows.append({"key": key, "label": target.label, "group": target.group, "group_label": groups.get(target.group),
                     "kind": target.kind, "unit": target.unit, "target": target.target, "value": value,
                     "source": source, "entered": value_row if source == "entered" else None,
                     "url": figure.url if figure is not None else "", "progress": progress,
                     "met": (float(value) >= float(target.target)) if value is not None else None,
                     "row": target, "percent": target.kind == TargetKind.PERCENT})
    rows.sort(key=lambda r: (order.index(r["group"]) if r["group"] in order else 99, r["label"]))
    covered = {r["key"] for r in rows}
    for f in live.values():
        if f.key not in covered:
            rows.append({"key": f.key, "label": f.label, "group": "", "group_label": None, "kind": "", "unit": f.unit,
                         "target": None, "value": f.value, "source": "live", "entered": None, "url": f.url,
                         "progress": None, "met": None, "row": None, "percent": f.unit == "%"})
    return rows
