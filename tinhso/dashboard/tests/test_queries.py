import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tinhso.core.errors import InvalidInput
from tinhso.dashboard import queries
from tinhso.dashboard.models import KpiTarget
from tinhso.dashboard.queries import Period
from tinhso.dashboard.tests.conftest import EXPECTED_2025
from tinhso.dossiers.tests.conftest import vn

Y2025 = Period.year(2025)


@pytest.mark.parametrize("scope", ["province", "A", "B", "A_centre"])
def test_summary_matches_the_hand_computed_figures(data, scope):
    agency = {"province": None, "A": data.w.committee, "B": data.w.other_committee, "A_centre": data.w.centre}[scope]
    assert queries.summary(agency, Y2025) == EXPECTED_2025[scope]


def test_summary_is_one_aggregate_query(data, django_assert_num_queries):
    with django_assert_num_queries(1):
        queries.summary(None, Y2025)
    with django_assert_num_queries(1) as ctx:  # the subtree is a sub-select, not a separate look-up
        queries.summary(data.w.committee, Y2025)
    assert "agencies_agency" in ctx.captured_queries[0]["sql"]


def test_date_range_period_counts_whole_local_days(data):
    january = Period.between(datetime.date(2025, 1, 1), datetime.date(2025, 1, 31))
    # received A1 (10/1), B1 (5/1); finished A4 (3/1, late), B1 (6/1, late), A1 (15/1, early)
    assert queries.summary(None, january) == dict(
        received=2, received_online=1, finished=3, finished_early=1, finished_on_time=0, finished_late=2,
        overdue_now=3, online_share=Decimal("50.00"), on_time_rate=Decimal("33.33"))
    # The last evening of 2025 (23:30, UTC+7) is 31 December locally, though 16:30 UTC.
    last_day = Period.between(datetime.date(2025, 12, 31), datetime.date(2025, 12, 31))
    assert queries.summary(None, last_day)["received"] == 1
    assert queries.summary(None, Period.year(2024))["received"] == 1  # A4, 31/12/2024 23:59
    assert queries.summary(None, Period.year(2026))["received"] == 1  # B3, 1/1/2026 00:00 exactly


def test_overdue_is_as_of_the_given_moment(data):
    # On 15 May 2025 only A10 (due 1/4/2023) was overdue; A5 (due 20/5/2025) was not yet.
    assert queries.summary(data.w.committee, Y2025, now=vn(2025, 5, 15, 12))["overdue_now"] == 1
    assert queries.summary(data.w.committee, Y2025, now=vn(2025, 5, 21, 12))["overdue_now"] == 2


def test_empty_scope_gives_no_rates(data):
    figures = queries.summary(None, Period.year(2030), now=vn(2020, 1, 1))
    assert figures["received"] == 0 and figures["finished"] == 0 and figures["overdue_now"] == 0
    assert figures["online_share"] is None and figures["on_time_rate"] is None


def test_by_month_uses_local_months(data):
    months = {m["month"]: m for m in queries.by_month(data.w.committee, Y2025)}
    assert len(months) == 12
    jan, feb = months[datetime.date(2025, 1, 1)], months[datetime.date(2025, 2, 1)]
    dec = months[datetime.date(2025, 12, 1)]
    assert (jan["received"], jan["finished"], jan["finished_in_time"], jan["finished_late"]) == (1, 2, 1, 1)
    assert jan["on_time_rate"] == Decimal("50.00") and jan["online_share"] == Decimal("0.00")
    assert (feb["received"], feb["received_online"], feb["finished"]) == (1, 1, 1)
    assert (dec["received"], dec["received_online"], dec["finished"]) == (1, 1, 0)  # A3, 31/12 23:30 local
    assert dec["on_time_rate"] is None
    assert sum(m["received"] for m in months.values()) == EXPECTED_2025["A"]["received"]
    assert sum(m["finished"] for m in months.values()) == EXPECTED_2025["A"]["finished"]


def test_by_month_is_one_query_and_clips_to_the_period(data, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = queries.by_month(None, Period.between(datetime.date(2025, 1, 6), datetime.date(2025, 2, 28)))
    assert [r["month"] for r in rows] == [datetime.date(2025, 1, 1), datetime.date(2025, 2, 1)]
    # From 6 January: received A1 (10/1) but not B1 (5/1); finished A1 (15/1, early) and B1 (6/1 09:00,
    # late) but not A4 (3/1).
    assert rows[0]["received"] == 1 and rows[0]["finished"] == 2 and rows[0]["finished_late"] == 1
    assert queries.by_month(None, Period.between(datetime.date(2023, 1, 1), datetime.date(2025, 1, 31))) is None


def test_by_agency_lists_each_competent_agency(data):
    rows = queries.by_agency(None, Y2025)
    by_id = {r["agency_id"]: r for r in rows}
    assert by_id[data.w.committee.pk]["overdue_now"] == 2
    assert by_id[data.w.committee.pk]["received"] == 7  # A's own, without its centre's A8
    assert by_id[data.w.centre.pk]["on_time_rate"] == Decimal("100.00")
    assert by_id[data.w.other_committee.pk]["on_time_rate"] == Decimal("0.00")
    assert [r["agency_id"] for r in rows][0] == data.w.committee.pk  # most overdue first
    assert queries.by_agency(data.w.other_committee, Y2025)[0]["agency_id"] == data.w.other_committee.pk
    assert len(queries.by_agency(data.w.other_committee, Y2025)) == 1


def test_period_validation():
    with pytest.raises(InvalidInput):
        Period.year(1999)
    with pytest.raises(InvalidInput):
        Period.between(datetime.date(2025, 2, 1), datetime.date(2025, 1, 1))
    with pytest.raises(InvalidInput):
        Period.between(datetime.date(2015, 1, 1), datetime.date(2025, 1, 1))
    assert Period.year(2025).label == "Năm 2025"
    quarter = Period.between(datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))
    assert quarter.months() == [datetime.date(2025, 1, 1), datetime.date(2025, 2, 1), datetime.date(2025, 3, 1)]


def test_targets_most_specific_in_force_wins(data):
    w = data.w
    KpiTarget.objects.create(indicator="online_share", target=50, valid_to=datetime.date(2024, 12, 31))
    KpiTarget.objects.create(indicator="online_share", target=60, valid_from=datetime.date(2025, 1, 1))
    KpiTarget.objects.create(indicator="online_share", target=70, agency=w.committee)
    KpiTarget.objects.create(indicator="on_time_rate", target=95)
    day = datetime.date(2025, 6, 1)
    province = queries.targets_for(None, day)
    assert province["online_share"].target == 60 and province["on_time_rate"].target == 95
    assert queries.targets_for(None, datetime.date(2024, 6, 1))["online_share"].target == 50
    assert queries.targets_for(w.committee, day)["online_share"].target == 70
    assert queries.targets_for(w.centre, day)["online_share"].target == 70  # inherited from its committee
    assert queries.targets_for(w.other_committee, day)["online_share"].target == 60


def test_against_targets(data):
    KpiTarget.objects.create(indicator="online_share", target=Decimal("60"))
    figures = queries.summary(data.w.committee, Y2025)
    rows = {r["indicator"]: r for r in queries.against_targets(figures, queries.targets_for(data.w.committee,
                                                                                        datetime.date(2025, 12, 31)))}
    assert rows["online_share"]["met"] is True and rows["online_share"]["value"] == Decimal("62.50")
    assert rows["on_time_rate"]["target"] is None and rows["on_time_rate"]["met"] is None


def test_reference_day_is_today_while_the_period_runs():
    today = timezone.localdate()
    assert queries.reference_day(Period.year(today.year)) == today
    assert queries.reference_day(Period.year(2025)) == datetime.date(2025, 12, 31)
