"""A small hand-computed province-year (2025) for the dashboard tests.

Agencies: commune A (committee, with its service centre below it) and
commune B; a provincial committee above nothing (communes are roots of the
tree, as in the demo province). Expected figures are in EXPECTED, worked
out by hand from the rows below, not by the code under test."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tinhso.testing import make_agency, make_staff
from tinhso.dashboard.models import KpiTarget
from tinhso.dossiers.models import Channel, Dossier, Outcome, Status
from tinhso.dossiers.tests.conftest import vn, world  # noqa: F401  (fixture re-exported)

C, O, P = Channel.COUNTER, Channel.ONLINE, Channel.POST


class Data:
    pass


def _dossier(w, code, agency, channel, status, *, received=None, finished=None, outcome="", due=None):
    return Dossier.objects.create(
        code=code, procedure=w.case.procedure, case=w.case, receiving_agency=w.centre, competent_agency=agency,
        current_agency=agency, channel=channel, status=status, owner_name="Nguyễn Văn An",
        owner_id_number="092095001234", submitted_at=received, received_at=received, due_at=due,
        finished_at=finished, handled_at=finished, outcome=outcome)


@pytest.fixture
def data(world):  # noqa: F811
    w = world
    d = Data()
    d.w = w
    far = timezone.now() + datetime.timedelta(days=200)
    A, A_centre, B = w.committee, w.centre, w.other_committee
    _dossier(w, "A1", A, C, Status.RETURNED, received=vn(2025, 1, 10, 8), finished=vn(2025, 1, 15, 9),
             outcome=Outcome.EARLY)
    _dossier(w, "A2", A, O, Status.FINISHED, received=vn(2025, 2, 1, 8), finished=vn(2025, 2, 20, 9),
             outcome=Outcome.ON_TIME)
    # received on the last evening of 2025 (local time), finished in 2026
    _dossier(w, "A3", A, O, Status.FINISHED, received=vn(2025, 12, 31, 23, 30), finished=vn(2026, 1, 2, 9),
             outcome=Outcome.LATE)
    # received on the last minute of 2024, finished (late) in 2025
    _dossier(w, "A4", A, O, Status.RETURNED, received=vn(2024, 12, 31, 23, 59), finished=vn(2025, 1, 3, 9),
             outcome=Outcome.LATE)
    _dossier(w, "A5", A, P, Status.PROCESSING, received=vn(2025, 5, 5, 8), due=vn(2025, 5, 20, 17))  # overdue
    _dossier(w, "A6", A, O, Status.SUPPLEMENT, received=vn(2025, 6, 1, 8), due=vn(2025, 6, 10, 17))  # paused
    _dossier(w, "A7", A, C, Status.RECEIVED, received=vn(2025, 7, 1, 8), due=far)  # not yet due
    _dossier(w, "A8", A_centre, O, Status.RETURNED, received=vn(2025, 3, 3, 8), finished=vn(2025, 3, 4, 9),
             outcome=Outcome.EARLY)
    Dossier.objects.create(code="A9", procedure=w.case.procedure, case=w.case, receiving_agency=w.centre,
                           competent_agency=A, current_agency=A_centre, channel=O, status=Status.SUBMITTED,
                           owner_name="Trần Thị Bình", submitted_at=vn(2025, 4, 1, 8))  # not received
    _dossier(w, "A10", A, C, Status.PROCESSING, received=vn(2023, 3, 1, 8), due=vn(2023, 4, 1, 17))  # overdue
    _dossier(w, "A11", A, O, Status.WITHDRAWN, received=vn(2025, 9, 9, 8), due=vn(2025, 9, 12, 17))
    _dossier(w, "B1", B, O, Status.RETURNED, received=vn(2025, 1, 5, 8), finished=vn(2025, 1, 6, 9),
             outcome=Outcome.LATE)
    _dossier(w, "B2", B, C, Status.PROCESSING, received=vn(2025, 8, 8, 8), due=vn(2025, 9, 1, 17))  # overdue
    _dossier(w, "B3", B, C, Status.RECEIVED, received=vn(2026, 1, 1, 0, 0), due=far)  # first instant of 2026

    d.provincial = make_agency("000.00.00.H13", "Ủy ban nhân dân thành phố Cần Thơ", kind="provincial_committee")
    d.province_leader = make_staff("lanhdao.tinh", roles=[("leader", d.provincial)], full_name="Chủ tịch UBND")
    d.operations = make_staff("dieuhanh", roles=[("operations_centre", d.provincial)])
    KpiTarget.objects.all().delete()  # the tests set their own targets
    return d


# Worked out by hand from the rows above for the year 2025.
#   commune A subtree: received A1 A2 A3 A5 A6 A7 A8 A11 = 8, online A2 A3 A6 A8 A11 = 5 -> 62.50 %
#                      finished A1(early) A2(on time) A4(late) A8(early) = 4 -> 3/4 = 75.00 %
#                      overdue now A5 A10 = 2 (A6 is paused, A7 not due, A11 withdrawn, A9 not received)
#   commune B:         received B1 B2 = 2, online B1 -> 50.00 %; finished B1(late) -> 0.00 %; overdue B2
#   centre of A:       A8 only
EXPECTED_2025 = {
    "A": dict(received=8, received_online=5, finished=4, finished_early=2, finished_on_time=1, finished_late=1,
              overdue_now=2, online_share=Decimal("62.50"), on_time_rate=Decimal("75.00")),
    "B": dict(received=2, received_online=1, finished=1, finished_early=0, finished_on_time=0, finished_late=1,
              overdue_now=1, online_share=Decimal("50.00"), on_time_rate=Decimal("0.00")),
    "A_centre": dict(received=1, received_online=1, finished=1, finished_early=1, finished_on_time=0,
                     finished_late=0, overdue_now=0, online_share=Decimal("100.00"),
                     on_time_rate=Decimal("100.00")),
    "province": dict(received=10, received_online=6, finished=5, finished_early=2, finished_on_time=1,
                     finished_late=2, overdue_now=3, online_share=Decimal("60.00"), on_time_rate=Decimal("60.00")),
}
