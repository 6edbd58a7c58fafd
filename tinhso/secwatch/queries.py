"""Reading events: the officer's filters, the daily chart, the last 24 hours."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.dashboard.charts import stacked_columns
from tinhso.secwatch.models import Kind, SecurityEvent, Severity

MAX_DAYS = 366
# The dates a filter may name: a day is added to `until` and 13 subtracted from today, so the extremes of
# `datetime.date` (0001-01-01, 9999-12-31) would overflow; nothing the platform records is outside these.
MIN_DAY = datetime.date(2000, 1, 1)
MAX_DAY = datetime.date(2099, 12, 31)


@dataclass
class EventFilter:
    since: datetime.date
    until: datetime.date
    kind: str = ""
    severity: str = ""
    username: str = ""
    address: str = ""
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, q) -> "EventFilter":
        today = timezone.localdate()
        errors = []

        def day(name, default):
            raw = (q.get(name) or "").strip()
            if not raw:
                return default
            try:
                value = datetime.date.fromisoformat(raw)
            except ValueError:
                errors.append(f"Ngày “{raw[:20]}” không đúng dạng YYYY-MM-DD.")
                return default
            if not MIN_DAY <= value <= MAX_DAY:
                errors.append(_("Ngày “%(day)s” nằm ngoài khoảng cho phép (%(low)s – %(high)s).") % {
                    "day": raw[:20], "low": f"{MIN_DAY:%d/%m/%Y}", "high": f"{MAX_DAY:%d/%m/%Y}"})
                return default
            return value

        since, until = day("since", today - datetime.timedelta(days=13)), day("until", today)
        if since > until:
            errors.append("Ngày bắt đầu sau ngày kết thúc; đã đổi chỗ hai ngày.")
            since, until = until, since
        if (until - since).days > MAX_DAYS:
            errors.append(f"Khoảng thời gian tối đa {MAX_DAYS} ngày.")
            since = until - datetime.timedelta(days=MAX_DAYS)
        kind = q.get("kind", "") if q.get("kind", "") in Kind.values else ""
        severity = q.get("severity", "") if q.get("severity", "") in Severity.values else ""
        return cls(since, until, kind, severity, (q.get("user") or "").strip()[:200],
                   (q.get("address") or "").strip()[:64], errors)

    def queryset(self):
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.since, datetime.time.min, tz)
        end = datetime.datetime.combine(self.until + datetime.timedelta(days=1), datetime.time.min, tz)
        qs = SecurityEvent.objects.filter(at__gte=start, at__lt=end)
        if self.kind:
            qs = qs.filter(kind=self.kind)
        if self.severity:
            qs = qs.filter(severity=self.severity)
        if self.username:
            qs = qs.filter(username__iexact=self.username)
        if self.address:
            qs = qs.filter(address=self.address)
        return qs


def per_day_chart(f: EventFilter):
    """Events per day: information and warnings at the bottom, serious and
    critical stacked on top."""
    counts = {}
    for row in (f.queryset().annotate(day=TruncDate("at", tzinfo=timezone.get_current_timezone()))
                .values("day", "severity").annotate(n=Count("id"))):
        counts.setdefault(row["day"], {}).setdefault(row["severity"], row["n"])
    rows, day = [], f.since
    while day <= f.until:
        c = counts.get(day, {})
        rows.append({"label": day.strftime("%d/%m/%Y"), "short": day.strftime("%d/%m"),
                     "ok": c.get("info", 0) + c.get("warning", 0), "bad": c.get("high", 0) + c.get("critical", 0),
                     "ok_label": "thông tin, cảnh báo", "bad_label": "nghiêm trọng, khẩn cấp"})
        day += datetime.timedelta(days=1)
    return stacked_columns(rows, height=180), rows


def last_24h() -> list[dict]:
    since = timezone.now() - datetime.timedelta(hours=24)
    counts = dict(SecurityEvent.objects.filter(at__gte=since).values("severity").annotate(n=Count("id"))
                  .values_list("severity", "n"))
    return [{"severity": v, "label": label, "count": counts.get(v, 0)} for v, label in reversed(Severity.choices)]
