"""Reads of the integration pages: the message log searched by an auditor,
and the calls and errors per system per day."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from tinhso.dashboard.charts import stacked_columns
from tinhso.integration.models import MessageLog, Outcome
from tinhso.workcalendar.engine import TZ

MAX_DAYS = 92


@dataclass
class LogFilter:
    """The auditor's search, read from the query string; `errors` holds what
    could not be read (shown beside the form, never a 500)."""

    direction: str = ""
    service: str = ""
    client: int | None = None
    outcome: str = ""
    subject: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None
    errors: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, params) -> "LogFilter":
        f = cls(direction=params.get("direction", "") if params.get("direction") in ("in", "out") else "",
                service=params.get("service", "").strip()[:60], outcome=params.get("outcome", "")
                if params.get("outcome") in Outcome.values else "", subject=params.get("subject", "").strip()[:80])
        raw = params.get("client", "").strip()
        if raw:
            if raw.isdecimal():
                f.client = int(raw)
            else:
                f.errors.append("Hệ thống kết nối không hợp lệ.")
        today = timezone.localdate()
        for name, label in (("since", "Từ ngày"), ("until", "Đến ngày")):
            raw = params.get(name, "").strip()
            if raw:
                try:
                    setattr(f, name, datetime.date.fromisoformat(raw))
                except ValueError:
                    f.errors.append(f"{label} phải có dạng YYYY-MM-DD.")
        f.until = f.until or today
        f.since = f.since or f.until - datetime.timedelta(days=13)
        if f.since > f.until:
            f.errors.append("“Từ ngày” phải trước “Đến ngày”.")
            f.since = f.until
        if (f.until - f.since).days >= MAX_DAYS:
            f.errors.append(f"Chọn khoảng thời gian không quá {MAX_DAYS} ngày; đã rút ngắn.")
            f.since = f.until - datetime.timedelta(days=MAX_DAYS - 1)
        return f

    def rows(self):
        start = datetime.datetime.combine(self.since, datetime.time.min, tzinfo=TZ)
        end = datetime.datetime.combine(self.until + datetime.timedelta(days=1), datetime.time.min, tzinfo=TZ)
        q = MessageLog.objects.filter(at__gte=start, at__lt=end)
        if self.direction:
            q = q.filter(direction=self.direction)
        if self.service:
            q = q.filter(service=self.service)
        if self.client:
            q = q.filter(client_id=self.client)
        if self.outcome:
            q = q.filter(outcome=self.outcome)
        if self.subject:
            q = q.filter(subject=self.subject)
        return q


def per_system_per_day(f: LogFilter) -> list[dict]:
    """For each service: its calls per day of the range, errors apart, and the chart."""
    figures = (f.rows().annotate(day=TruncDate("at", tzinfo=TZ)).values("service", "day")
               .annotate(calls=Count("id"), bad=Count("id", filter=~Q(outcome=Outcome.OK))).order_by("service", "day"))
    days = [f.since + datetime.timedelta(days=i) for i in range((f.until - f.since).days + 1)]
    by_service: dict[str, dict] = {}
    for row in figures:
        by_service.setdefault(row["service"], {})[row["day"]] = row
    out = []
    for service, per_day in sorted(by_service.items()):
        rows = []
        for day in days:
            row = per_day.get(day, {"calls": 0, "bad": 0})
            rows.append({"label": day.strftime("%d/%m/%Y"), "short": day.strftime("%d/%m"), "ok": row["calls"] - row["bad"],
                         "bad": row["bad"], "ok_label": "thành công", "bad_label": "lỗi, từ chối"})
        calls = sum(r["ok"] + r["bad"] for r in rows)
        bad = sum(r["bad"] for r in rows)
        out.append({"service": service, "calls": calls, "errors": bad, "chart": stacked_columns(rows, height=160)})
    return out
