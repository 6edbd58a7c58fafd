"""Live figures of the programme the platform counts itself: share of
dossiers received online, share of outgoing official documents issued with a
digital signature, citizens' satisfaction, field reports handled on time and
procedures offered online. Each is a percentage for a period (the year so far
on the dashboard; a whole year for the DTI self-assessment), None when there
is nothing to divide. Registered with `programme.register` in apps.py."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from tinhso.dashboard import programme
from tinhso.dashboard.queries import Period, _rate, summary


def online_share(period: Period) -> Decimal | None:
    """Hồ sơ trực tuyến / hồ sơ tiếp nhận in the period (queries.summary, province-wide)."""
    return summary(None, period)["online_share"]


def signed_documents(period: Period) -> Decimal | None:
    """Outgoing documents issued in the period whose issued copy is a digitally
    signed file / all outgoing documents issued in the period (a document
    issued on paper only has no 'signed' file)."""
    from tinhso.officialdocs.models import Direction, OfficialDocument

    issued = OfficialDocument.objects.filter(direction=Direction.OUTGOING, number__isnull=False,
                                             issued_on__gte=period.first_day, issued_on__lte=period.last_day)
    counts = issued.aggregate(n=Count("pk", distinct=True),
                              signed=Count("pk", distinct=True, filter=Q(files__role="signed")))
    return _rate(counts["signed"], counts["n"])


def satisfaction(period: Period) -> Decimal | None:
    """Evaluations 'very satisfied' or 'satisfied' / evaluations made in the period."""
    from tinhso.evaluations.models import Evaluation, Rating

    counts = Evaluation.objects.filter(created_at__gte=period.start, created_at__lt=period.end).aggregate(
        n=Count("pk"), ok=Count("pk", filter=Q(overall__in=(Rating.VERY_SATISFIED, Rating.SATISFIED))))
    return _rate(counts["ok"], counts["n"])


def field_reports_on_time(period: Period) -> Decimal | None:
    """Handling stages (bước xử lý) of field reports ended in the period on
    time / handling stages ended in the period."""
    from tinhso.fieldreports.models import Stage, StageRecord

    counts = StageRecord.objects.filter(stage=Stage.HANDLE, ended_at__gte=period.start,
                                        ended_at__lt=period.end).aggregate(
        n=Count("pk"), ok=Count("pk", filter=Q(on_time=True)))
    return _rate(counts["ok"], counts["n"])


def services_online(period: Period | None = None) -> Decimal | None:
    """Active procedures offered online (toàn trình or một phần, levels 3-4) /
    active procedures: a snapshot of the catalogue now (the period is not used)."""
    from tinhso.catalogue.models import Procedure
    from tinhso.catalogue.models.choices import OnlineLevel

    counts = Procedure.objects.filter(is_active=True).aggregate(
        n=Count("pk"), ok=Count("pk", filter=Q(online_level__in=(OnlineLevel.FULL, OnlineLevel.PARTIAL))))
    return _rate(counts["ok"], counts["n"])


def services_full_online(period: Period | None = None) -> Decimal | None:
    """Active procedures offered end to end online (toàn trình, level 4) / active procedures."""
    from tinhso.catalogue.models import Procedure
    from tinhso.catalogue.models.choices import OnlineLevel

    counts = Procedure.objects.filter(is_active=True).aggregate(
        n=Count("pk"), ok=Count("pk", filter=Q(online_level=OnlineLevel.FULL)))
    return _rate(counts["ok"], counts["n"])


# key -> (label, function): also the figures the DTI self-assessment may compute (tinhso/reports/dti.py)
MEASURES = {
    "online_share": ("Tỷ lệ hồ sơ tiếp nhận trực tuyến", online_share),
    "signed_documents": ("Văn bản đi được ký số", signed_documents),
    "satisfaction": ("Mức độ hài lòng của người dân, doanh nghiệp", satisfaction),
    "field_reports_on_time": ("Phản ánh hiện trường được xử lý đúng hạn", field_reports_on_time),
    "services_online": ("Thủ tục hành chính cung cấp dịch vụ công trực tuyến (mức độ 3-4)", services_online),
    "services_full_online": ("Thủ tục hành chính cung cấp dịch vụ công trực tuyến toàn trình (mức độ 4)",
                             services_full_online),
}
URLS = {"online_share": "dashboard:index", "field_reports_on_time": "fieldreports:stats"}


def year_so_far() -> Period:
    today = timezone.localdate()
    return Period.between(today.replace(month=1, day=1), today)


def figures() -> list[programme.Figure]:
    period = year_so_far()
    out = []
    for key, (label, function) in MEASURES.items():
        try:
            url = reverse(URLS[key]) if key in URLS else ""
        except Exception:  # noqa: BLE001 - a missing page leaves the figure without a link
            url = ""
        out.append(programme.Figure(key, label, function(period), "%", url=url))
    return out
