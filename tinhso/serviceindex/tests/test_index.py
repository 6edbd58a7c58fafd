"""The index recomputed from raw rows: every indicator of a generated
province-year read with plain SQL and counted in Python here (not with the
code under test) gives the same numerator and denominator; the drill-down
lists add up; a later methodology leaves earlier months alone."""

import datetime
from collections import defaultdict
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from tinhso.accounts.models import Role
from tinhso.agencies.models import Agency
from tinhso.core.errors import InvalidInput
from tinhso.serviceindex import actions, drilldown, engine
from tinhso.serviceindex.models import Indicator, Methodology, Snapshot
from tinhso.testing import make_staff

VN = ZoneInfo("Asia/Ho_Chi_Minh")
UTC = datetime.timezone.utc


def _rows(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, r)) for r in cursor.fetchall()]


def _aware(value):
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def expected(agency, first: datetime.date, last: datetime.date) -> dict[str, tuple[int, int]]:
    """Each computed indicator's (numerator, denominator), from raw rows."""
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=VN)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=VN)
    agencies = _rows("SELECT id, path FROM agencies_agency")
    in_scope = {a["id"] for a in agencies if agency is None or a["path"].startswith(agency.path)}
    dossiers = [d for d in _rows(
        "SELECT id, competent_agency_id, status, channel, received_at, handled_at, finished_at, outcome, "
        "supplement_requests, result_form, result_digitised_at, citizen_id, owner_verified, procedure_id, "
        "counting_from, original_due_at FROM dossiers_dossier") if d["competent_agency_id"] in in_scope]
    comps = defaultdict(list)
    for c in _rows("SELECT dossier_id, received, digitisation, reused_from_data_store, national_source "
                   "FROM dossiers_dossiercomponent"):
        comps[c["dossier_id"]].append(c)
    unsynced = {r["dossier_id"] for r in _rows(
        "SELECT DISTINCT dossier_id FROM dossiers_dossierevent WHERE sync_status <> 'synced'")}
    pays = defaultdict(list)
    for p in _rows("SELECT dossier_id, status, method FROM payments_paymentrequest"):
        pays[p["dossier_id"]].append(p)
    evals = {e["dossier_id"]: e for e in _rows("SELECT dossier_id, overall, created_at FROM evaluations_evaluation")}

    def within(moment):
        moment = _aware(moment)
        return moment is not None and start <= moment < end

    def digitised(c):
        return c["digitisation"] in ("scanned", "born_digital") or bool(c["reused_from_data_store"]) \
            or c["national_source"] != ""

    def result_ok(d):
        return d["result_form"] == "electronic" or d["result_digitised_at"] is not None

    received = [d for d in dossiers if d["status"] in (2, 4, 5, 6, 7, 8, 9, 10) and within(d["received_at"])]
    handled = [d for d in dossiers if within(d["handled_at"]) and d["outcome"]]
    resulted = [d for d in dossiers if d["status"] in (9, 10) and within(d["finished_at"])]
    paid = [d for d in received if any(p["status"] in ("paid", "refunded") for p in pays[d["id"]])]
    out = {
        "dossiers_synced": (sum(d["id"] not in unsynced for d in received), len(received)),
        "on_time": (sum(d["outcome"] in ("early", "on_time") and d["supplement_requests"] <= 1 for d in handled),
                    len(handled)),
        "online_dossiers": (sum(d["channel"] == 2 and d["id"] not in unsynced for d in received), len(received)),
        "paid_online": (sum(any(p["status"] in ("paid", "refunded") and p["method"] == "online"
                                for p in pays[d["id"]]) for d in paid), len(paid)),
        "electronic_results": (sum(result_ok(d) for d in resulted), len(resulted)),
        "digitised_dossiers": (sum(
            any(digitised(c) for c in comps[d["id"]])
            and not any(c["received"] and not digitised(c) for c in comps[d["id"]])
            and (d["status"] not in (9, 10) or result_ok(d)) for d in received), len(received)),
        "reused_data": (sum(any(c["reused_from_data_store"] or c["national_source"] for c in comps[d["id"]])
                            for d in received), len(received)),
        "datastore_linked": (sum(d["citizen_id"] is not None for d in received), len(received)),
        "population_db": (sum(bool(d["owner_verified"]) or any(c["national_source"] == "population"
                                                               for c in comps[d["id"]]) for d in received),
                          len(received)),
        "handling_satisfaction": (sum(d["outcome"] != "late" and (evals.get(d["id"]) or {}).get("overall")
                                      != "not_satisfied" for d in handled), len(handled)),
    }
    measured = [d for d in handled if d["original_due_at"] is not None and d["counting_from"] is not None]

    def hours(deltas):
        total = sum(deltas, datetime.timedelta())
        return int((Decimal(total.days * 86400 + total.seconds) / 3600).quantize(Decimal("1"), "ROUND_HALF_UP"))

    out["resolution_time"] = (hours(_aware(d["handled_at"]) - _aware(d["counting_from"]) for d in measured),
                              hours(_aware(d["original_due_at"]) - _aware(d["counting_from"]) for d in measured))
    rated = [e for dossier_id, e in evals.items() if within(e["created_at"])
             and dossier_id in {d["id"] for d in dossiers}]
    out["evaluation_satisfied"] = (sum(e["overall"] in ("satisfied", "very_satisfied") for e in rated), len(rated))
    # procedures of the scope's level
    kind = agency.kind if agency is not None else None
    procs = [p for p in _rows("SELECT id, is_active, level_commune, level_province, online_level, fee_status, "
                              "result_name FROM catalogue_procedure") if p["is_active"]]
    if kind in ("commune_committee", "commune_service_centre"):
        procs = [p for p in procs if p["level_commune"]]
    elif kind is not None:
        procs = [p for p in procs if p["level_province"]]
    with_parts = {r["procedure_id"] for r in _rows(
        "SELECT DISTINCT c.procedure_id FROM catalogue_requiredcomponent r "
        "JOIN catalogue_procedurecase c ON c.id = r.case_id")}
    online = [p for p in procs if p["online_level"] in ("full", "partial")]
    online_used = {d["procedure_id"] for d in received if d["channel"] == 2}
    charged = [p for p in procs if p["fee_status"] in ("charged", "exempted")]
    out["procedures_complete"] = (sum(p["id"] in with_parts and p["result_name"] != "" for p in procs), len(procs))
    out["procedures_online"] = (len(online), len(procs))
    out["online_used"] = (sum(p["id"] in online_used for p in online), len(online))
    out["fee_online"] = (sum(p["online_level"] in ("full", "partial") for p in charged), len(charged))
    return out


def _scopes():
    commune = (Agency.objects.filter(kind="commune_committee").order_by("path")
               .extra(where=["id IN (SELECT competent_agency_id FROM dossiers_dossier)"]).first())
    department = (Agency.objects.filter(kind="department")
                  .extra(where=["id IN (SELECT competent_agency_id FROM dossiers_dossier)"]).order_by("path").first())
    return [None, commune, department]


def _by_key(result):
    return {i["formula_key"]: i for g in result["groups"] for i in g["indicators"] if i["source"] == "computed"}


def test_every_indicator_matches_a_recount_from_raw_rows(province):
    year = province["year"]
    periods = [engine.parse_period(str(year)), engine.parse_period(f"{year}-03"),
               engine.parse_period(f"{year}-10:{year}-12")]
    nonzero = set()
    for version in Methodology.objects.all():  # every version's indicators, on the same data
        keys = set(Indicator.objects.filter(group__methodology=version, source="computed")
                   .values_list("formula", flat=True))
        for agency in _scopes():
            for period in periods:
                got = _by_key(engine.compute(agency, period, version))
                want = expected(agency, period.first_day, period.last_day)
                assert set(got) == keys <= set(want)
                for key in keys:
                    numerator, denominator = want[key]
                    assert (got[key]["numerator"], got[key]["denominator"]) == (numerator, denominator), \
                        (key, agency, period)
                    if numerator and denominator > numerator:
                        nonzero.add(key)
    # the data exercises the formulas: something counted and something missed for most of them
    assert {"on_time", "digitised_dossiers", "electronic_results", "reused_data", "online_dossiers",
            "procedures_online", "paid_online", "population_db", "resolution_time"} <= nonzero


def test_resolution_time_scores_lower_as_better_and_its_list_splits_the_dossiers_measured(province):
    assert engine.score(Decimal("4"), Decimal("0.4"), Decimal("0.5"), Decimal("1")) == Decimal("4.00")
    assert engine.score(Decimal("4"), Decimal("0.75"), Decimal("0.5"), Decimal("1")) == Decimal("2.00")
    assert engine.score(Decimal("4"), Decimal("1.3"), Decimal("0.5"), Decimal("1")) == Decimal("0.00")
    version = Methodology.objects.get(code="qd766-2027-tg")
    assert version.valid_from == datetime.date(2027, 1, 1) and version.groups.get(number=2).max_points == 20
    indicator = Indicator.objects.get(group__methodology=version, code="2.2")
    assert not indicator.weight_confirmed and indicator.zero_ratio == 1
    period = engine.parse_period(str(province["year"]))
    result = engine.compute(None, period, version)
    got = next(i for g in result["groups"] for i in g["indicators"] if i["code"] == "2.2")
    ratio = Decimal(got["numerator"]) / Decimal(got["denominator"])
    assert got["points"] == engine.score(Decimal("4"), ratio, Decimal("0.5"), Decimal("1")) and got["zero_at"] == 100
    counted = drilldown.queryset(indicator, None, period, "counted")
    missing = drilldown.queryset(indicator, None, period, "missing")
    measured = [d for d in expected_rows(period) if d["original_due_at"] is not None
                and d["counting_from"] is not None]
    assert counted.count() + missing.count() == len(measured) and missing.count() > 0
    rows = drilldown.rows_for(indicator, missing[:10], "missing")
    assert all(r["reason"].startswith("Dùng") for r in rows)


def expected_rows(period):
    """The handled dossiers of the period, from raw rows."""
    start = datetime.datetime.combine(period.first_day, datetime.time.min, tzinfo=VN)
    end = datetime.datetime.combine(period.last_day + datetime.timedelta(days=1), datetime.time.min, tzinfo=VN)
    return [d for d in _rows("SELECT handled_at, outcome, counting_from, original_due_at FROM dossiers_dossier")
            if d["outcome"] and d["handled_at"] is not None and start <= _aware(d["handled_at"]) < end]


def test_points_follow_the_scoring_rule_and_add_up(province):
    result = engine.compute(None, engine.parse_period(str(province["year"])))
    assert result["max_points"] == 100 and [g["max_points"] for g in result["groups"]] == [18, 20, 22, 22, 18]
    for g in result["groups"]:
        assert g["points"] == sum(i["points"] for i in g["indicators"])
        for i in g["indicators"]:
            if i["denominator"]:
                ratio = Decimal(i["numerator"]) / Decimal(i["denominator"])
                full = min(i["max_points"], i["max_points"] * ratio / (i["target"] / 100))
                assert abs(i["points"] - full) <= Decimal("0.005")
            else:
                assert i["points"] == 0 and i["value"] is None
    assert result["points"] == sum(g["points"] for g in result["groups"])


def test_drill_down_lists_add_up_to_the_numerator(province):
    period = engine.parse_period(str(province["year"]))
    for agency in _scopes():
        result = engine.compute(agency, period)
        for g in result["groups"]:
            for i in g["indicators"]:
                if i["source"] != "computed":
                    continue
                indicator = drilldown.indicator_of(i["code"], period)
                counted = drilldown.queryset(indicator, agency, period, "counted")
                missing = drilldown.queryset(indicator, agency, period, "missing")
                assert counted.count() == i["numerator"], i["code"]
                assert missing.count() == i["denominator"] - i["numerator"], i["code"]
                rows = drilldown.rows_for(indicator, missing[:20], "missing")
                assert len(rows) == min(20, missing.count())
                if i["code"] in ("2.1", "4.2") and rows:
                    assert all(r["reason"] for r in rows)


def test_a_later_methodology_leaves_earlier_months_unchanged(province, settings):
    from django.utils import timezone

    admin = make_staff("quantri.766", roles=[(Role.SYSTEM_ADMIN, Agency.objects.order_by("path").first())])
    today = timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    while Methodology.objects.filter(valid_from=this_month).exists():  # a version seeded for a later month
        this_month = (this_month + datetime.timedelta(days=32)).replace(day=1)
    eve = engine.methodology_for(this_month - datetime.timedelta(days=1))
    eve_points = {i.code: i.max_points for i in Indicator.objects.filter(group__methodology=eve)}
    eve_groups = {g.number: g.max_points for g in eve.groups.all()}
    year_period = engine.parse_period(str(province["year"]))
    before_year = engine.compute(None, year_period)
    before_last = engine.compute(None, engine.parse_period(last_month.strftime("%Y-%m")))
    snap = actions.take_snapshot(acting_user=admin, agency=None, month=last_month)
    with pytest.raises(InvalidInput) as retro:
        actions.create_methodology_version(acting_user=admin, code="v-retro", name="x", basis="x",
                                           valid_from=last_month, changes={"2.1": {"max_points": "10"}})
    assert retro.value.code == "retroactive"
    version = actions.create_methodology_version(
        acting_user=admin, code="qd766-sua-doi", name="Sửa đổi", basis="Quyết định sửa đổi (thử)",
        valid_from=this_month, changes={"2.1": {"max_points": "10", "target": "0.5"}, "4.2": {"max_points": "12"}})
    group_2, group_4 = eve_groups[2] - eve_points["2.1"] + 10, eve_groups[4] - eve_points["4.2"] + 12
    assert version.groups.get(number=2).max_points == group_2 and version.groups.get(number=4).max_points == group_4
    assert engine.compute(None, year_period) == before_year
    assert engine.compute(None, engine.parse_period(last_month.strftime("%Y-%m"))) == before_last
    now = engine.compute(None, engine.parse_period(this_month.strftime("%Y-%m")))
    assert now["methodology"]["code"] == "qd766-sua-doi" and now["max_points"] == 18 + group_2 + 22 + group_4 + 18
    assert Snapshot.objects.get(pk=snap.pk).points == before_last["points"]
    with pytest.raises(InvalidInput):
        actions.create_methodology_version(acting_user=admin, code="v2", name="x", basis="x",
                                           valid_from=this_month.replace(day=2))
    with pytest.raises(InvalidInput) as unknown:
        actions.create_methodology_version(acting_user=admin, code="v3", name="x", basis="x",
                                           valid_from=_free_month_after(this_month),
                                           changes={"9.9": {"max_points": "1"}})
    assert unknown.value.code == "unknown_indicator"


def _free_month_after(month):
    month = (month + datetime.timedelta(days=32)).replace(day=1)
    while Methodology.objects.filter(valid_from=month).exists():
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return month


def test_entered_values_count_and_bad_input_is_refused(province):
    from django.utils import timezone

    admin = make_staff("nhap.766", roles=[(Role.OPERATIONS_CENTRE, Agency.objects.order_by("path").first())])
    month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    actions.enter_value(acting_user=admin, indicator_code="1.2", agency=None, month=month.strftime("%Y-%m"),
                        numerator=45, denominator=50, basis="Báo cáo CSDL TTHC")
    result = engine.compute(None, engine.parse_period(month.strftime("%Y-%m")))
    ind = next(i for g in result["groups"] for i in g["indicators"] if i["code"] == "1.2")
    assert (ind["numerator"], ind["denominator"], ind["value"], ind["points"], ind["source"]) == \
        (45, 50, Decimal("90.00"), Decimal("3.60"), "entered")
    bad = [dict(numerator=51, denominator=50), dict(numerator=-1, denominator=5), dict(numerator="abc", denominator=5),
           dict(month="2099-01"), dict(month="13-2025"), dict(indicator_code="2.1"), dict(source="computed")]
    for change in bad:
        kwargs = dict(acting_user=admin, indicator_code="1.2", agency=None, month=month.strftime("%Y-%m"),
                      numerator=1, denominator=2)
        kwargs.update(change)
        with pytest.raises(InvalidInput) as error:
            actions.enter_value(**kwargs)
        assert error.value.message and error.value.errors, change
    with pytest.raises(InvalidInput) as mismatch:
        actions.enter_published_score(acting_user=admin, agency=None, month=month, points="80",
                                      group_points={"1": "10", "2": "10", "3": "10", "4": "10", "5": "10"})
    assert mismatch.value.code == "groups_do_not_add_up"
    clerk = make_staff("motcua.766", roles=[(Role.CLERK, Agency.objects.order_by("path").first())])
    from tinhso.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.enter_value(acting_user=clerk, indicator_code="1.2", agency=None, month=month, numerator=1,
                            denominator=2)


def test_monthly_snapshots_backfill_is_idempotent(province):
    from tinhso.serviceindex.snapshots import backfill, previous_months

    months = previous_months(3)
    assert Snapshot.objects.filter(scope="province", month__in=months).count() == 3  # the demo took them
    taken = {s.pk: s.taken_at for s in Snapshot.objects.filter(month__in=months)}
    assert backfill(months, all_agencies=False) == 0  # nothing missing: nothing taken again
    assert {s.pk: s.taken_at for s in Snapshot.objects.filter(month__in=months)} == taken
    agencies = backfill(months[-1:], all_agencies=True)
    assert agencies == Snapshot.objects.filter(month=months[-1]).exclude(scope="province").count() > 10
    assert backfill(months, all_agencies=False, replace=True) == 3
    for snap in Snapshot.objects.filter(scope="province", month__in=months):
        live = engine.compute(None, engine.parse_period(snap.month.strftime("%Y-%m")))
        assert snap.points == live["points"] and snap.data["methodology"] == live["methodology"]["code"]
    assert Indicator.objects.filter(weight_confirmed=False).exists()  # partly-confirmed weights are marked
