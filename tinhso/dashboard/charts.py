"""Server-side charts of the dashboard: the figures of queries.py turned into
SVG geometry that the templates draw (no JavaScript, no inline styles: colours
come from classes in dashboard.css, so the Content-Security-Policy holds).

Each chart keeps the numbers it shows in a `<title>` per mark and the page
keeps the tables beside it, so a screen reader reads the same figures."""

from __future__ import annotations

import math
from decimal import Decimal


def nice_ceiling(value: float) -> int:
    """A round axis maximum at or above `value` (1, 2, 2.5, 5 × 10^k)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return int(math.ceil(step * power))
    return int(10 * power)


def month_trend(months: list[dict], width: int = 720, height: int = 260) -> dict | None:
    """Per month, two bars: received, and finished split into in time / late."""
    if not months:
        return None
    left, right, top, bottom = 44, 8, 10, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = nice_ceiling(max(max(m["received"], m["finished"]) for m in months))
    if top_value < 20:  # small counts: four whole-number gridlines
        top_value = max(4, -(-top_value // 4) * 4)
    slot = plot_w / len(months)
    bar = max(2.0, min(18.0, slot * 0.35))

    def y(v):
        return top + plot_h - plot_h * v / top_value

    marks, labels = [], []
    for i, m in enumerate(months):
        x0 = left + i * slot + slot / 2 - bar - 1
        month = m["month"].strftime("%m/%Y")
        marks.append({"cls": "bar-received", "x": x0, "y": y(m["received"]), "w": bar,
                      "h": top + plot_h - y(m["received"]), "title": f"{month}: {m['received']}"})
        in_time, late = m["finished_in_time"], m["finished_late"]
        marks.append({"cls": "bar-in-time", "x": x0 + bar + 2, "y": y(in_time), "w": bar,
                      "h": top + plot_h - y(in_time), "title": f"{month}: {in_time}"})
        marks.append({"cls": "bar-late", "x": x0 + bar + 2, "y": y(in_time + late), "w": bar,
                      "h": y(in_time) - y(in_time + late), "title": f"{month}: {late}"})
        labels.append({"x": left + i * slot + slot / 2, "y": height - 8, "text": m["month"].strftime("%m/%y")})
    ticks = [{"y": y(top_value * k / 4), "label": f"{int(top_value * k / 4):,}".replace(",", ".")}
             for k in range(5)]
    return {"width": width, "height": height, "left": left, "right": width - right, "marks": marks,
            "labels": labels, "ticks": ticks}


def share_bars(rows: list[dict], width: int = 720) -> dict:
    """Horizontal 0–100 % bars for rates, each with its target as a tick."""
    left, right, row_h = 230, 60, 34
    plot_w = width - left - right
    out = []
    for i, row in enumerate(rows):
        value = row.get("value")
        target = row.get("target")
        y = 6 + i * row_h
        out.append({
            "label": row["label"], "y": y, "text_y": y + 17,
            "w": plot_w * float(value) / 100 if value is not None else 0,
            "value": value, "target": target,
            "target_x": left + plot_w * float(target) / 100 if target is not None else None,
            "cls": "bar-met" if row.get("met") else ("bar-missed" if row.get("met") is False else "bar-neutral"),
        })
    return {"width": width, "height": 12 + len(rows) * row_h, "left": left, "plot_w": plot_w,
            "value_x": left + plot_w + 6, "rows": out}


def percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{float(value):.1f}%".replace(".", ",")


def stacked_columns(rows: list[dict], width: int = 720, height: int = 200) -> dict | None:
    """One column per row (e.g. per day), `ok` at the bottom and `bad` stacked
    on it; same geometry as `month_trend` (drawn by dashboard/_columns.html)."""
    if not rows:
        return None
    left, right, top, bottom = 44, 8, 10, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = nice_ceiling(max(r["ok"] + r["bad"] for r in rows))
    if top_value < 20:
        top_value = max(4, -(-top_value // 4) * 4)
    slot = plot_w / len(rows)
    bar = max(2.0, min(24.0, slot * 0.6))

    def y(v):
        return top + plot_h - plot_h * v / top_value

    marks, labels = [], []
    every = max(1, len(rows) // 10)
    for i, r in enumerate(rows):
        x0 = left + i * slot + (slot - bar) / 2
        marks.append({"cls": "bar-in-time", "x": x0, "y": y(r["ok"]), "w": bar, "h": top + plot_h - y(r["ok"]),
                      "title": f"{r['label']}: {r['ok']} {r.get('ok_label', '')}".strip()})
        marks.append({"cls": "bar-late", "x": x0, "y": y(r["ok"] + r["bad"]), "w": bar,
                      "h": y(r["ok"]) - y(r["ok"] + r["bad"]),
                      "title": f"{r['label']}: {r['bad']} {r.get('bad_label', '')}".strip()})
        if i % every == 0:
            labels.append({"x": left + i * slot + slot / 2, "y": height - 8, "text": r["short"]})
    ticks = [{"y": y(top_value * k / 4), "label": f"{int(top_value * k / 4):,}".replace(",", ".")}
             for k in range(5)]
    return {"width": width, "height": height, "left": left, "right": width - right, "marks": marks,
            "labels": labels, "ticks": ticks}
