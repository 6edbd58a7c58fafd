"""Demo data of the scorecard: values an official entered for a few programme
targets the platform cannot count, and a DTI self-assessment for last year
and this year (each year's methodology copied from the seeded 2022 one).
Idempotent: whatever exists is left alone."""

from __future__ import annotations

import datetime

from django.utils import timezone

# key, value, note — the figures of the seed articles, as if reported by the departments
VALUES = [
    ("digitisation_province", 79.9, "Số liệu bài viết nguồn (Hải Dương), dùng làm số liệu mẫu"),
    ("digitisation_commune", 48.7, "Số liệu bài viết nguồn (Hải Dương), dùng làm số liệu mẫu"),
    ("enterprises_ecommerce", 31.5, "Sở Công Thương báo cáo (số liệu mẫu)"),
    ("base_stations", 1890, "Sở Khoa học và Công nghệ báo cáo (số liệu mẫu)"),
    ("digital_economy_grdp", 12.4, "Cục Thống kê ước tính (số liệu mẫu)"),
]
# indicator code -> points entered in the demo assessments (last year, this year)
POINTS = {"1.1": (20, 20), "1.2": (12, 16), "2.1": (25, 25), "2.2": (10, 15), "3.1": (16, 18), "3.2": (17, 19),
          "4.1": (15, 20), "4.2": (12, 18), "5.1": (15, 20), "5.2": (0, 12), "8.1": (9, 12), "8.2": (8, 11),
          "9.1": (14, 18), "9.2": (12, 17)}


def _officer():
    from tinhso.accounts.models import User

    return User.objects.filter(username="dieuhanh").first()


def seed_scorecard() -> None:
    from tinhso.core.errors import DomainError
    from tinhso.dashboard.models import ProgrammeTarget, ProgrammeValue
    from tinhso.dashboard.programme_actions import enter_programme_value
    from tinhso.reports import actions
    from tinhso.reports.models import DtiAssessment, DtiIndicator, DtiMethodology, DtiScore

    officer = _officer()
    today = timezone.localdate()
    start, end = datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
    known = set(ProgrammeTarget.objects.values_list("key", flat=True))
    for key, value, note in VALUES:
        if key in known and not ProgrammeValue.objects.filter(key=key, period_start=start, period_end=end).exists():
            try:
                enter_programme_value(acting_user=None, key=key, period_start=start, period_end=end, value=value,
                                      note=note)
            except DomainError:  # e.g. another app now counts this figure live: nothing to enter
                continue
            ProgrammeValue.objects.filter(key=key, period_start=start, period_end=end).update(entered_by=officer)
    base = DtiMethodology.objects.filter(year=2022).first()
    if base is None:
        return
    for i, year in enumerate((today.year - 1, today.year)):
        methodology = DtiMethodology.objects.filter(year=year).first() or \
            actions.copy_methodology(acting_user=None, source=base, year=year)
        assessment = DtiAssessment.objects.filter(methodology=methodology).first()
        if assessment is not None:
            continue
        assessment = actions.create_assessment(acting_user=None, year=year)
        for indicator in DtiIndicator.objects.filter(index__methodology=methodology, source="entered"):
            if indicator.code in POINTS and not DtiScore.objects.filter(assessment=assessment,
                                                                        indicator=indicator).exists():
                actions.enter_score(acting_user=None, assessment=assessment, indicator=indicator,
                                    points=min(POINTS[indicator.code][i], indicator.max_points),
                                    note="Số liệu mẫu của bản demo")
        actions.compute_scores(acting_user=None, assessment=assessment)
        DtiScore.objects.filter(assessment=assessment).update(entered_by=officer)
