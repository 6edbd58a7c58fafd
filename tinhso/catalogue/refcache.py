"""Per-process cache of the reference data the dossier transitions read:
procedures and their cases, required papers, process steps and allowed
moves, competent agencies, agencies, citizen message templates, and who
holds which role (for permission checks and staff notifications).

Rows are kept under the token of `ReferenceRevision` they were read with.
Every save or delete of those models bumps the token in the same
transaction (tinhso/catalogue/signals.py), and a transition reads the token
inside its own transaction (in the dossier lock query itself, see
`token_subquery`), so it never uses rows older than what the database would
give it: a change committed by any process is seen by the next transaction
of every process. No row is cached while the token row does not exist yet.

The cached instances are shared by the requests of a process: treat them as
read-only."""

from __future__ import annotations

import datetime
import logging
import threading

from django.db.models import Subquery

from tinhso.catalogue.models import ProcedureCase, ProcessStep, ReferenceRevision, RequiredComponent, StepMove

log = logging.getLogger(__name__)
_lock = threading.Lock()
_warned = False  # the missing-token warning is logged once per process
_current = None  # the _Snapshot of the latest token this process read
MAX_ROWS = 20_000  # entries of one snapshot (per-user roles, per-day keys) before it starts afresh


class _Snapshot:
    def __init__(self, token: str):
        self.token = token
        self.rows: dict = {}


def token_subquery() -> Subquery:
    """The current token as a scalar subquery, to read it with another query."""
    return Subquery(ReferenceRevision.objects.filter(pk=1).values("token")[:1])


def refs(token: str | None = None) -> Refs:
    """The reference data as of `token` (read from the database when not given)."""
    global _current
    if token is None:
        token = ReferenceRevision.current_token()
    if not token:
        global _warned
        if not _warned:
            _warned = True
            log.warning("catalogue_referencerevision has no row: the reference-data cache is off, every "
                        "transition reads it from the database (slower, still correct). `manage.py migrate` "
                        "creates the row; any catalogue or role change recreates it.")
        return Refs(_Snapshot(""))  # never cached
    snapshot = _current
    if snapshot is None or snapshot.token != token or len(snapshot.rows) > MAX_ROWS:
        with _lock:
            snapshot = _current
            if snapshot is None or snapshot.token != token or len(snapshot.rows) > MAX_ROWS:
                snapshot = _current = _Snapshot(token)
    return Refs(snapshot)


def reset() -> None:
    """Drop the cache (tests)."""
    global _current
    _current = None


class Refs:
    """Reference rows of one snapshot, read from the database on first use."""

    def __init__(self, snapshot: _Snapshot):
        self._rows = snapshot.rows
        self.token = snapshot.token

    def _get(self, key, load):
        try:
            return self._rows[key]
        except KeyError:
            value = self._rows[key] = load()
            return value

    def policies(self) -> dict:
        """Every dated rule's rows (tinhso/policies), for `policies.rules.value`."""
        from tinhso.policies.rules import load_rows

        return self._get(("policies",), load_rows)

    def agency(self, pk):
        from tinhso.agencies.models import Agency

        if pk is None:
            return None
        return self._get(("agency", pk), lambda: Agency.objects.get(pk=pk))

    def case(self, pk):
        """The case with its procedure attached."""
        def load():
            case = ProcedureCase.objects.select_related("procedure").get(pk=pk)
            self._rows.setdefault(("procedure", case.procedure_id), case.procedure)
            case.procedure = self._rows[("procedure", case.procedure_id)]
            return case

        return None if pk is None else self._get(("case", pk), load)

    def procedure(self, pk):
        from tinhso.catalogue.models import Procedure

        return None if pk is None else self._get(("procedure", pk), lambda: Procedure.objects.get(pk=pk))

    def steps(self, case_id) -> tuple:
        """The case's process steps in order, each with its agency attached."""
        def load():
            steps = list(ProcessStep.objects.filter(case_id=case_id).order_by("order"))
            for step in steps:
                if step.agency_id:
                    step.agency = self.agency(step.agency_id)
                self._rows[("step", step.pk)] = step
            return tuple(steps)

        return self._get(("steps", case_id), load)

    def step(self, pk):
        if pk is None:
            return None
        step = self._rows.get(("step", pk))
        if step is None:
            case_id = ProcessStep.objects.filter(pk=pk).values_list("case_id", flat=True).get()
            self.steps(case_id)
            step = self._rows[("step", pk)]
        return step

    def moves(self, step) -> tuple:
        """(kind, to_step) of the step's allowed moves, in the catalogue's order."""
        def load():
            self.steps(step.case_id)
            rows = StepMove.objects.filter(from_step_id=step.pk).values_list("kind", "to_step_id", "to_step__case_id")
            out = []
            for kind, to_id, to_case in rows:
                if to_case != step.case_id:
                    self.steps(to_case)
                out.append((kind, self._rows[("step", to_id)]))
            return tuple(out)

        return self._get(("moves", step.pk), load)

    def components(self, case_id) -> tuple:
        return self._get(("components", case_id),
                         lambda: tuple(RequiredComponent.objects.filter(case_id=case_id)))

    def competent_agencies(self, procedure, day: datetime.date) -> tuple:
        """`procedure.competent_agencies(day)`, each agency from this cache."""
        def load():
            return tuple(self._rows.setdefault(("agency", a.pk), a) for a in procedure.competent_agencies(day))

        return self._get(("competent", procedure.pk, day), load)

    def receiving_agencies(self, procedure, day: datetime.date) -> tuple:
        """`procedure.receiving_agencies(day)`: where the province publishes that it may be received."""
        def load():
            return tuple(self._rows.setdefault(("agency", a.pk), a) for a in procedure.receiving_agencies(day))

        return self._get(("receiving", procedure.pk, day), load)

    # ----- who holds which role (RoleAssignment and User saves bump the token)

    def role_paths(self, user_id) -> tuple:
        """(role, agency path) pairs the user holds today, as `permissions._assignments` reads them."""
        from django.utils import timezone

        from tinhso.accounts.models import RoleAssignment

        day = timezone.localdate()
        return self._get(("roles", user_id, day), lambda: tuple(
            RoleAssignment.objects.active(day).filter(user_id=user_id).values_list("role", "agency__path")))

    def holders(self, role: str, agency_ids) -> tuple:
        """The active users holding `role` in one of `agency_ids` today (shared instances)."""
        from django.utils import timezone

        from tinhso.accounts.models import RoleAssignment

        day = timezone.localdate()
        agency_ids = tuple(agency_ids)
        return self._get(("holders", role, agency_ids, day), lambda: tuple(
            a.user for a in RoleAssignment.objects.active(day).filter(role=role, agency_id__in=agency_ids)
            .select_related("user")))

    def templates(self, event: str, channels, day: datetime.date) -> dict:
        """`notifications.citizen.templates_for` (MessageTemplate saves bump the token)."""
        from tinhso.notifications.citizen import templates_for

        return self._get(("templates", event, tuple(channels), day), lambda: templates_for(event, channels, day))
