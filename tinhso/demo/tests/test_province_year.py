"""The generated province-year: counts, codes, histories consistent with
statuses, deadlines and outcomes, counters, idempotence."""

import datetime
import re

import pytest
from django.db.models import Count, F, Max, Min
from django.utils import timezone

from tinhso.accounts.models import RoleAssignment, User
from tinhso.agencies.models import Agency
from tinhso.audit.models import AuditEvent
from tinhso.demo import province_year
from tinhso.demo.seed import seed_demo
from tinhso.demo.models import ProvinceYearGeneration
from tinhso.dossiers import actions
from tinhso.dossiers.actions.closing import outcome_of
from tinhso.dossiers import flags
from tinhso.dossiers.models import Dossier, DossierComponent, DossierCounter, DossierEvent, DossierPause
from tinhso.evaluations.models import CriterionRating, Evaluation
from tinhso.payments.models import PaymentLine, PaymentRequest
from tinhso.units.models import AdministrativeUnit
from tinhso.workcalendar.engine import get_calendar

N = 300
CODE = re.compile(r"^(\d{3}\.\d{2,5}\.\d{2}\.H13|\d{3}\.\d{5}\.H13)-(\d{6})-(\d{4,})$")


@pytest.fixture
def demo(db, settings):
    settings.TINHSO_TSA_URL = "off"
    seed_demo()
    return set(Dossier.objects.values_list("pk", flat=True))


@pytest.fixture
def generated(demo):
    stats = province_year.generate(N, seed=7)
    return stats


def _generated():
    gen = province_year.current()
    return Dossier.objects.filter(pk__gte=gen.dossier_id_from, pk__lte=gen.dossier_id_to)


def test_counts_structure_and_one_audit_row(generated, demo):
    gen = province_year.current()
    assert gen.dossiers == N and gen.seed == 7 and gen.year is None
    assert _generated().count() == N
    assert Dossier.objects.count() == N + len(demo)
    assert sum(generated["status"].values()) == N and sum(generated["channel"].values()) == N
    assert DossierEvent.objects.filter(dossier__in=_generated()).count() == generated["events"] >= 4 * N
    assert PaymentRequest.objects.filter(dossier__in=_generated()).count() == generated["payments"] > N // 3
    assert PaymentLine.objects.filter(payment__dossier__in=_generated()).count() == generated["payment_lines"]
    assert Evaluation.objects.filter(dossier__in=_generated()).count() == generated["evaluations"] > 0
    assert CriterionRating.objects.filter(evaluation__dossier__in=_generated()).count() == \
        generated["criterion_ratings"]
    # every commune of the province has a People's Committee and a one-stop shop with staff
    communes = AdministrativeUnit.objects.filter(parent__code="92", level="commune", valid_to__isnull=True)
    assert communes.count() > 100
    for kind in ("commune_committee", "commune_service_centre"):
        assert Agency.objects.filter(kind=kind, unit__in=communes).count() == communes.count()
    clerks = RoleAssignment.objects.filter(role="clerk", agency__kind="commune_service_centre",
                                           user__username__startswith=province_year.STAFF_PREFIX)
    assert clerks.values("agency").distinct().count() == communes.count()
    assert not User.objects.get(pk=clerks.first().user_id).has_usable_password()
    # dossiers spread over many agencies
    assert _generated().values("receiving_agency").distinct().count() > 40
    assert AuditEvent.objects.filter(action="core.province_year.generate").count() == 1
    assert AuditEvent.objects.filter(action__startswith="dossiers.", object_id__in=[
        str(pk) for pk in _generated().values_list("pk", flat=True)]).count() == 0


def test_codes_unique_well_formed_and_counters_above(generated):
    rows = list(_generated().values_list("code", "receiving_agency__code", "submitted_at", "channel"))
    codes = [r[0] for r in rows]
    assert len(set(codes)) == N
    for code, agency_code, submitted, channel in rows:
        m = CODE.match(code)
        assert m, code
        assert m.group(1) == agency_code
        assert m.group(2) == timezone.localtime(submitted).strftime("%y%m%d")
    # the counter of every (agency, day) is at least the highest number used
    counters = {(a, d): last for a, d, last in DossierCounter.objects.values_list("agency__code", "day", "last")}
    for code in codes:
        agency_code, day, number = CODE.match(code).groups()
        assert counters[(agency_code, datetime.datetime.strptime(day, "%y%m%d").date())] >= int(number)


def test_status_and_channel_spread(generated):
    status = {int(k): v for k, v in generated["status"].items()}
    assert status.get(10, 0) > 0.8 * N
    assert sum(v for k, v in status.items() if k != 10) > 0
    channel = {int(k): v for k, v in generated["channel"].items()}
    assert 0.35 * N < channel[2] < 0.75 * N and channel[1] > 0.2 * N


def test_histories_consistent_with_status(generated):
    calendar = get_calendar()
    qs = _generated().prefetch_related("events")
    late = 0
    for d in qs:
        events = list(d.events.all())
        assert events, d.code
        times = [e.at for e in events]
        assert times == sorted(times), d.code
        assert len(set(times)) == len(times), d.code
        assert events[-1].to_status == d.status, d.code
        assert d.version == 1 + len(events)
        for before, after in zip(events, events[1:]):
            assert after.from_status == before.to_status, (d.code, before.action, after.action)
        first = events[0]
        assert first.action == ("submit" if d.channel == 2 else "receive") and first.from_status is None
        assert first.at == d.submitted_at
        actions_ = [e.action for e in events]
        if d.status == 10:
            assert actions_[-2] in ("finish", "refuse_on_merits") and actions_[-1] == "return_result", d.code
            assert d.returned_at == events[-1].at == d.closed_at and d.return_method and d.returned_to
        if d.status in (9, 10):
            finish = next(e for e in events if e.action in ("finish", "refuse_on_merits"))
            assert d.finished_at == finish.at and d.result_summary and d.result_signer
            # judged against the original appointment (an apology moves due_at only)
            assert d.outcome == outcome_of(d.finished_at, d.original_due_at or d.due_at), d.code
            late += d.outcome == "late"
        elif d.status == 8:  # a stopped dossier is judged too (the rule "dossiers.counted_closures")
            assert d.finished_at is None and d.handled_at == events[-1].at and d.outcome
        else:
            assert d.finished_at is None and d.outcome == ""
        if d.received_at is not None:
            accept = next(e for e in events if e.action in ("receive", "accept"))
            assert d.received_at == accept.at
            assert d.counting_from == calendar.start_of_counting(d.received_at)
            amount = d.case.processing_time
            if d.channel == 2 and d.case.online_processing_time is not None:
                amount = d.case.online_processing_time
            if d.case.no_appointment:
                assert d.due_at is None
            else:
                base = calendar.add(d.received_at, amount, d.case.time_unit)
                # the original appointment moves only with the waits (supplement, payment); apologies move due_at
                assert d.original_due_at == base if not d.pauses.exists() else d.original_due_at >= base
                assert d.due_at >= d.original_due_at and (d.due_at > d.original_due_at) == bool(d.extensions)
        else:
            assert d.status in (1, 3) and d.channel == 2
        if d.status in (3, 7, 8, 10):
            assert d.closed_at == events[-1].at and d.current_handler_id is None
        if d.status == 5:
            assert d.pauses.filter(reason="supplement", ended_at__isnull=True).exists()
        if d.status in (3, 7, 8):
            assert d.reason
        # the clock stopped only while a supplement or payment was pending
        for pause in d.pauses.all():
            assert pause.ended_at is None or pause.ended_at >= pause.started_at
    assert late <= 0.12 * N


def test_due_moves_by_the_supplement_pause(generated):
    calendar = get_calendar()
    checked = 0
    for d in _generated().filter(supplement_requests=1, status__in=[9, 10]).exclude(due_at__isnull=True):
        pause = d.pauses.get(reason="supplement")
        if d.pauses.filter(reason="payment").exists():
            continue
        amount = d.case.processing_time
        if d.channel == 2 and d.case.online_processing_time is not None:
            amount = d.case.online_processing_time
        expected = calendar.add(d.received_at, amount, d.case.time_unit)
        if pause.started_at < expected:
            expected = calendar.add_working_time(expected, calendar.working_time_between(
                max(pause.started_at, d.counting_from), pause.ended_at))
        assert d.original_due_at == expected, d.code
        assert d.due_at == expected or d.extensions, d.code
        checked += 1
    assert checked or not _generated().filter(supplement_requests=1, status__in=[9, 10]).exists()


def test_payments_and_evaluations_consistent(generated):
    for p in PaymentRequest.objects.filter(dossier__in=_generated()).prefetch_related("lines"):
        assert p.amount == sum(line.amount for line in p.lines.all()) > 0
        assert (p.status == "paid") == (p.paid_at is not None)
        if p.status == "paid" and p.method == "online":
            assert p.gateway_transaction_id
    for e in Evaluation.objects.filter(dossier__in=_generated()).select_related("dossier"):
        assert e.dossier.status == 10 and e.created_at >= e.dossier.returned_at
        assert e.ratings.get(criterion__code="overall").rating == e.overall


def test_papers_results_and_index_flags_as_the_actions_would_leave_them(generated):
    papers = DossierComponent.objects.filter(dossier__in=_generated())
    kinds = dict(papers.values_list("digitisation").annotate(n=Count("pk")))
    assert kinds.get("scanned") and kinds.get("paper") and kinds.get("born_digital") and kinds.get("")
    assert papers.exclude(national_source="").exists() and papers.filter(reused_from_data_store=True).exists()
    assert papers.exclude(national_source="").filter(national_checked_at__isnull=True).count() == 0
    results = dict(_generated().filter(status__in=(9, 10)).values_list("result_form").annotate(n=Count("pk")))
    assert results.get("electronic") and results.get("paper") and set(results) == {"electronic", "paper"}
    assert _generated().filter(result_digitised_at__isnull=False).exclude(result_form="paper").count() == 0
    assert _generated().exclude(status__in=(9, 10)).exclude(result_form="").count() == 0
    # every flag equals its recomputation from the raw rows (tinhso/dossiers/flags.py)
    again = {f"again_{k}": v for k, v in flags.expressions().items()}
    for row in _generated().annotate(**again).values("code", *flags.ALL, *again):
        assert all(row[k] == row[f"again_{k}"] for k in flags.ALL), row
    counts = {k: _generated().filter(**{k: True}).count() for k in flags.ALL}
    assert all(counts.values()) and all(v < N for k, v in counts.items() if k != "portal_synced"), counts


def test_real_reception_after_generation_does_not_collide(generated):
    from tinhso.accounts.models import RoleAssignment

    # a reception at the last generated counter reception of the busiest desk and day: the
    # counter row of that desk and day must already be above every generated number
    busiest = (_generated().filter(channel=1).values("receiving_agency", "submitted_at__date")
               .annotate(n=Count("id")).order_by("-n").first())
    assert busiest and busiest["n"] > 0
    desk = Agency.objects.get(pk=busiest["receiving_agency"])
    clerk = RoleAssignment.objects.filter(agency=desk, role="clerk").select_related("user").first().user
    last = (_generated().filter(receiving_agency=desk, channel=1, submitted_at__date=busiest["submitted_at__date"])
            .select_related("case").order_by("-submitted_at").first())
    case, at = last.case, last.submitted_at
    components = [actions.ComponentInput(required_component_id=c.pk, originals=c.originals, copies=c.copies)
                  for c in case.components.all()]
    d = actions.receive_at_counter(acting_user=clerk, receiving_agency=desk, case=case, components=components,
                                   area=last.area, competent_agency=last.competent_agency,
                                   applicant={"owner_name": "Người Thật"}, at=at)
    assert Dossier.objects.filter(code=d.code).count() == 1
    assert d.pk > province_year.current().dossier_id_to


def test_ensure_is_idempotent_and_regenerates_only_its_own_rows(demo):
    first = province_year.ensure(120, seed=3)
    assert not first.get("reused")
    gen = province_year.current()
    ids = set(_generated().values_list("pk", flat=True))
    again = province_year.ensure(120, seed=3)
    assert again["reused"] and again["events"] == first["events"]
    assert set(_generated().values_list("pk", flat=True)) == ids and province_year.current().pk == gen.pk
    staff = User.objects.count()
    # a different N: the old generation goes, the demo dossiers stay
    second = province_year.ensure(150, seed=3)
    assert not second.get("reused") and second["removed_previous"] == 120
    assert ProvinceYearGeneration.objects.count() == 1
    assert _generated().count() == 150
    assert not Dossier.objects.filter(pk__in=ids).exists()
    assert set(Dossier.objects.exclude(pk__in=_generated()).values_list("pk", flat=True)) == demo
    assert not DossierEvent.objects.filter(dossier_id__in=ids).exists()
    assert not DossierPause.objects.filter(dossier_id__in=ids).exists()
    assert not PaymentRequest.objects.filter(dossier_id__in=ids).exists()
    assert User.objects.count() == staff  # generated staff are reused
    codes = list(Dossier.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    assert AuditEvent.objects.filter(action="core.province_year.generate").count() == 2


def test_a_past_year_and_a_bad_year(demo):
    from tinhso.core.errors import InvalidInput

    stats = province_year.generate(60, seed=1, year=2025)
    span = _generated().aggregate(a=Min("submitted_at"), b=Max("submitted_at"))
    assert timezone.localtime(span["a"]).year == 2025 == timezone.localtime(span["b"]).year
    assert stats["year"] == 2025
    with pytest.raises(InvalidInput):
        province_year.generate(10, year=timezone.localdate().year + 1)
    assert _generated().filter(received_at__lt=F("submitted_at")).count() == 0


def test_command_prints_a_summary(demo, capsys):
    from django.core.management import call_command

    call_command("generate_province_year", "--dossiers", "40", "--seed", "2")
    out = capsys.readouterr().out
    assert "Đã sinh 40 hồ sơ" in out and "Theo trạng thái" in out and "Trực tuyến" in out
    call_command("generate_province_year", "--dossiers", "40", "--seed", "2")
    assert "không sinh lại" in capsys.readouterr().out


def test_generated_results_are_handled_for_the_dashboard(generated):
    finished = _generated().filter(finished_at__isnull=False)
    assert finished.exists()
    assert not finished.exclude(handled_at=F("finished_at")).exists()
    assert set(finished.values_list("result_kind", flat=True)) <= {"granted", "refused"}
    for d in finished.filter(result_kind="refused"):
        assert d.events.filter(action="refuse_on_merits").exists() and d.result_summary.startswith("Từ chối")
    stopped = _generated().filter(status=8)
    assert not stopped.exclude(handled_at=F("closed_at")).exists()  # stopped dossiers count (the default rule)


def test_apologies_move_the_appointment_but_not_the_judgement(demo):
    province_year.generate(1500, seed=11)
    apologised = _generated().filter(extensions=1)
    assert apologised.exists()
    for d in apologised.filter(finished_at__isnull=False)[:50]:
        event = d.events.get(action="apologise")
        assert d.due_at > d.original_due_at and event.at < d.original_due_at
        assert "Hẹn cũ:" in event.comment
        assert d.outcome == ("late" if d.finished_at > d.original_due_at else d.outcome)


def test_remove_deletes_exactly_the_generation_and_keeps_structure(generated, demo):
    gen = province_year.current()
    ids = list(_generated().values_list("pk", flat=True))
    staff = User.objects.filter(username__startswith=province_year.STAFF_PREFIX).count()
    agencies = Agency.objects.count()
    assert DossierEvent.objects.filter(dossier_id__in=ids).exists()
    removed = province_year.remove()
    assert removed == N and province_year.current() is None
    assert not Dossier.objects.filter(pk__in=ids).exists()
    for model, field in ((DossierEvent, "dossier_id"), (DossierPause, "dossier_id"), (PaymentRequest, "dossier_id"),
                         (Evaluation, "dossier_id"), (DossierComponent, "dossier_id")):
        assert not model.objects.filter(**{f"{field}__in": ids}).exists(), model.__name__
    assert set(Dossier.objects.values_list("pk", flat=True)) == demo  # the demo's own dossiers are kept
    assert User.objects.filter(username__startswith=province_year.STAFF_PREFIX).count() == staff
    assert Agency.objects.count() == agencies
    assert AuditEvent.objects.filter(action="core.province_year.remove").exists()
    assert not ProvinceYearGeneration.objects.filter(pk=gen.pk).exists()
    assert province_year.remove() == 0  # nothing left to remove
