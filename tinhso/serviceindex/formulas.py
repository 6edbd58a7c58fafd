"""The computations behind the indicators: each formula key names a
denominator (`base`) and a numerator (`hit`, always a subset of `base`) as
conditions on one table, so that the figure, its drill-down list and the
Excel export all read the same rows (docs/service-index.md, "Formulas").

Tables: `dossier` (one aggregate over the dossiers of the scope that were
received, handled or given a result in the period), `evaluation` (ratings
given in the period), `procedure` (the catalogue in the scope) and `entered`
(values entered per month by an official, see models.EnteredValue)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Callable

from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from tinhso.agencies.models import Agency, AgencyKind
from tinhso.catalogue.models import Procedure, RequiredComponent
from tinhso.catalogue.models.choices import FeeStatus, OnlineLevel
from tinhso.dossiers.models import Channel, Dossier, Outcome, Status
from tinhso.dossiers.models.choices import ResultForm
from tinhso.evaluations.models import Evaluation, Rating

# A vendor implementation's status sets (shared/domain/kpi-and-calendar.md).
RECEIVED_STATUSES = (2, 4, 5, 6, 7, 8, 9, 10)
RESULT_STATUSES = (Status.FINISHED, Status.RETURNED)
ONLINE_LEVELS = (OnlineLevel.FULL, OnlineLevel.PARTIAL)
SATISFIED = (Rating.SATISFIED, Rating.VERY_SATISFIED)
COMMUNE_KINDS = (AgencyKind.COMMUNE_COMMITTEE, AgencyKind.COMMUNE_SERVICE_CENTRE)


@dataclass(frozen=True)
class Window:
    start: datetime.datetime
    end: datetime.datetime


@dataclass(frozen=True)
class Formula:
    key: str
    table: str  # dossier | evaluation | procedure | entered
    base: Callable[[Window], Q] | None = None
    hit: Callable[[Window, Agency | None], Q] | None = None
    miss_label: str = ""  # the drill-down list of base minus hit
    hit_label: str = ""
    # A time measure (2.2): numerator and denominator are sums of durations over `base` (the actual and the
    # allowed time), in whole hours; `hit` only splits the drill-down list.
    durations: tuple[Callable[[], object], Callable[[], object]] | None = None


# --- dossier conditions -------------------------------------------------------------------------------------------

def received(w: Window) -> Q:
    return Q(status__in=RECEIVED_STATUSES, received_at__gte=w.start, received_at__lt=w.end)


def handled(w: Window) -> Q:
    return Q(handled_at__gte=w.start, handled_at__lt=w.end) & ~Q(outcome="")


def resulted(w: Window) -> Q:
    return Q(status__in=RESULT_STATUSES, finished_at__gte=w.start, finished_at__lt=w.end)


# The per-dossier conditions on other tables (events, components, payments) are flags kept on the dossier row by
# the actions that change those rows (tinhso/dossiers/flags.py): the index is one pass over the dossiers. The
# tests recount every indicator from the raw rows, which proves the flags right.

def synced() -> Q:
    """Every history event of the dossier was accepted by the national portal."""
    return Q(portal_synced=True)


def electronic_result() -> Q:
    return Q(result_form=ResultForm.ELECTRONIC) | Q(result_digitised_at__isnull=False)


def _measured(w: Window) -> Q:
    """Handled dossiers with an appointment: the ones whose resolution time can be set against the time allowed."""
    return handled(w) & Q(original_due_at__isnull=False, counting_from__isnull=False)


def _actual_time():
    return F("handled_at") - F("counting_from")


def _allowed_time():
    return F("original_due_at") - F("counting_from")


def _on_time(w, a):
    return Q(outcome__in=(Outcome.EARLY, Outcome.ON_TIME), supplement_requests__lte=1)


def _digitised(w, a):
    return Q(components_digitised=True) & (~Q(status__in=RESULT_STATUSES) | electronic_result())


def _satisfied_handling(w, a):
    return ~Q(outcome=Outcome.LATE) & ~Q(pk__in=Evaluation.objects.filter(overall=Rating.NOT_SATISFIED)
                                           .values("dossier_id"))


# --- procedure conditions -----------------------------------------------------------------------------------------

def procedures_in_scope(agency: Agency | None):
    """Active procedures of the scope's level: commune ones for a commune agency, provincial ones for any
    other agency, all for the province."""
    qs = Procedure.objects.filter(is_active=True)
    if agency is None:
        return qs
    if agency.kind in COMMUNE_KINDS:
        return qs.filter(level_commune=True)
    return qs.filter(level_province=True)


def _used_online(w: Window, agency: Agency | None) -> Q:
    from tinhso.dashboard.queries import dossiers_of

    return Q(Exists(dossiers_of(agency).filter(procedure=OuterRef("pk"), channel=Channel.ONLINE,
                                               status__in=RECEIVED_STATUSES, received_at__gte=w.start,
                                               received_at__lt=w.end)))


def _complete(w, a):
    return Q(Exists(RequiredComponent.objects.filter(case__procedure=OuterRef("pk")))) & ~Q(result_name="")


FORMULAS: dict[str, Formula] = {f.key: f for f in [
    Formula("entered", "entered"),
    Formula("procedures_complete", "procedure", lambda w: Q(), _complete,
            _("Thủ tục chưa đủ bộ phận (thành phần hồ sơ, tên kết quả)"), _("Thủ tục đủ bộ phận")),
    Formula("dossiers_synced", "dossier", received, lambda w, a: synced(),
            _("Hồ sơ chưa đồng bộ đủ lên Cổng DVCQG"), _("Hồ sơ đã đồng bộ")),
    Formula("on_time", "dossier", handled, _on_time,
            _("Hồ sơ giải quyết quá hạn hoặc bổ sung quá một lần"), _("Hồ sơ giải quyết đúng hạn")),
    Formula("resolution_time", "dossier", _measured, lambda w, a: Q(handled_at__lte=F("original_due_at")),
            _("Hồ sơ giải quyết quá thời gian quy định"), _("Hồ sơ giải quyết trong thời gian quy định"),
            durations=(_actual_time, _allowed_time)),
    Formula("procedures_online", "procedure", lambda w: Q(), lambda w, a: Q(online_level__in=ONLINE_LEVELS),
            _("Thủ tục chưa cung cấp trực tuyến"), _("Thủ tục trực tuyến (một phần, toàn trình)")),
    Formula("online_used", "procedure", lambda w: Q(online_level__in=ONLINE_LEVELS), _used_online,
            _("Dịch vụ trực tuyến chưa phát sinh hồ sơ trong kỳ"), _("Dịch vụ trực tuyến có hồ sơ")),
    Formula("online_dossiers", "dossier", received, lambda w, a: Q(channel=Channel.ONLINE) & synced(),
            _("Hồ sơ không nộp trực tuyến (hoặc chưa đồng bộ)"), _("Hồ sơ trực tuyến đã đồng bộ")),
    Formula("fee_online", "procedure", lambda w: Q(fee_status__in=(FeeStatus.CHARGED, FeeStatus.EXEMPTED)),
            lambda w, a: Q(online_level__in=ONLINE_LEVELS),
            _("Thủ tục có phí chưa nộp được trực tuyến"), _("Thủ tục có phí nộp trực tuyến được")),
    Formula("paid_online", "dossier", lambda w: received(w) & Q(fee_settled=True), lambda w, a: Q(paid_online=True),
            _("Hồ sơ nộp phí không trực tuyến"), _("Hồ sơ thanh toán trực tuyến")),
    Formula("electronic_results", "dossier", resulted, lambda w, a: electronic_result(),
            _("Hồ sơ có kết quả giấy chưa số hóa"), _("Hồ sơ có kết quả điện tử")),
    Formula("digitised_dossiers", "dossier", received, _digitised,
            _("Hồ sơ chưa số hóa đủ (thành phần hoặc kết quả)"), _("Hồ sơ đã số hóa")),
    Formula("reused_data", "dossier", received, lambda w, a: Q(data_reused=True),
            _("Hồ sơ không tái sử dụng dữ liệu đã số hóa"), _("Hồ sơ tái sử dụng dữ liệu")),
    Formula("datastore_linked", "dossier", received, lambda w, a: Q(citizen__isnull=False),
            _("Hồ sơ không gắn tài khoản công dân (kho dữ liệu)"), _("Hồ sơ gắn kho dữ liệu công dân")),
    Formula("population_db", "dossier", received,
            lambda w, a: Q(owner_verified=True) | Q(population_paper=True),
            _("Hồ sơ chưa xác thực với CSDL dân cư"), _("Hồ sơ đã xác thực với CSDL dân cư")),
    Formula("evaluation_satisfied", "evaluation", lambda w: Q(created_at__gte=w.start, created_at__lt=w.end),
            lambda w, a: Q(overall__in=SATISFIED),
            _("Đánh giá không hài lòng"), _("Đánh giá hài lòng, rất hài lòng")),
    Formula("handling_satisfaction", "dossier", handled, _satisfied_handling,
            _("Hồ sơ quá hạn hoặc bị đánh giá không hài lòng"), _("Hồ sơ đúng hạn, không bị phàn nàn")),
]}


def rows(formula: Formula, agency: Agency | None, w: Window):
    """The base queryset of a formula (before `base`): the scope's rows of its table."""
    from tinhso.dashboard.queries import dossiers_of

    if formula.table == "dossier":
        return dossiers_of(agency)
    if formula.table == "evaluation":
        if agency is None:
            return Evaluation.objects.all()
        return Evaluation.objects.filter(
            dossier__competent_agency__in=Agency.objects.filter(path__startswith=agency.path).values("pk"))
    if formula.table == "procedure":
        return procedures_in_scope(agency)
    raise ValueError(formula.table)


__all__ = ["FORMULAS", "Formula", "Window", "rows", "procedures_in_scope", "Dossier"]
