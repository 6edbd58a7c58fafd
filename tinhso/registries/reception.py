"""The registries where citizens feel them: the check at the counter and on
the online form, reception with the papers taken from a national database,
the history row that says which data came from where, and the retry of the
checks that could not be made."""

from __future__ import annotations

import dataclasses
import datetime
import logging

from django.db import transaction
from django.utils import timezone

from tinhso.core.errors import InvalidInput
from tinhso.dossiers.actions import ComponentInput
from tinhso.dossiers.actions._base import lock, write_event
from tinhso.dossiers.models import Dossier
from tinhso.integration.outbound import ExternalError
from tinhso.registries import actions
from tinhso.registries.models import Channel, CheckStatus, Consent, RegistryCheck, Source
from tinhso.registries.providers import NotConfigured, population

log = logging.getLogger("tinhso.registries")
EVENT = "national_check"  # the history row's action


@dataclasses.dataclass
class Checked:
    """The outcome of the check button: the citizen's check (or None), the papers' checks, and the consent."""

    citizen: actions.CheckResult | None
    papers: list[actions.CheckResult]
    consent: Consent | None

    @property
    def ids(self) -> list[int]:
        return [r.check.pk for r in [self.citizen, *self.papers] if r is not None and r.check is not None]


def check_for_reception(*, acting_user, channel: str, id_number: str, full_name: str = "", birth_date=None,
                        consented: bool, papers: dict | None = None, purpose: str = "") -> Checked:
    """Kiểm tra với CSDL quốc gia tại quầy hoặc trên biểu mẫu trực tuyến: records
    the consent (refused without it), checks the citizen with the population
    database, and every paper reference typed (`papers`: required component ->
    (source, reference values))."""
    if not consented:
        raise InvalidInput("Cần đánh dấu “Công dân đồng ý tra cứu” trước khi kiểm tra với CSDL quốc gia.",
                           code="consent_required",
                           errors=[{"field": "national_consent", "message": "Công dân chưa đồng ý tra cứu."}])
    consent = actions.give_consent(acting_user=acting_user, id_number=id_number, channel=channel,
                                   purpose=purpose or "Tiếp nhận hồ sơ thủ tục hành chính")
    citizen = None
    if full_name or birth_date:
        citizen = actions.check_citizen(acting_user=acting_user, consent=consent, id_number=id_number,
                                        full_name=full_name, birth_date=birth_date)
    results = []
    for component_id, (source, values) in (papers or {}).items():
        if source == Source.POPULATION:
            continue  # the citizen's own check stands for it
        try:
            results.append(actions.check_paper(acting_user=acting_user, source=source, reference=values,
                                               consent=consent, required_component_id=component_id))
        except InvalidInput as exc:
            results.append(actions.CheckResult(source, "input_error", exc.message,
                                               required_component_id=component_id))
    return Checked(citizen, results, consent)


def usable_checks(acting_user, ids) -> list[RegistryCheck]:
    """The checks this user made recently that no dossier uses yet."""
    ids = [int(i) for i in ids if str(i).isdecimal()]
    if not ids or not getattr(acting_user, "is_authenticated", False):
        return []
    return list(RegistryCheck.objects.select_related("consent").filter(
        pk__in=ids, requested_by=acting_user, dossier__isnull=True,
        created_at__gte=timezone.now() - actions.CHECK_USABLE_FOR).order_by("id"))


def national_components(case, checks, owner_id_number: str) -> dict[int, ComponentInput]:
    """Component id -> a ComponentInput "taken from the national database" for
    every paper of `case` whose source a verified check covers."""
    out = {}
    citizen_ok = [c for c in checks if c.source == Source.POPULATION and c.verified and c.consent
                  and c.consent.covers(owner_id_number or "")]
    for comp in case.components.all():
        if not comp.national_source:
            continue
        if comp.national_source == Source.POPULATION and citizen_ok:
            check, ref = citizen_ok[-1], f"Số định danh cá nhân …{citizen_ok[-1].consent.id_last4}"
        else:
            found = [c for c in checks if c.required_component_id == comp.pk and c.source == comp.national_source
                     and c.verified]
            if not found:
                continue
            check, ref = found[-1], actions.reference_text(found[-1].source, found[-1].reference)
        out[comp.pk] = ComponentInput(required_component_id=comp.pk, received=True, national_source=check.source,
                                      national_reference=ref, national_checked_at=check.checked_at,
                                      note="Lấy từ CSDL quốc gia")
    return out


def _merge(components: list[ComponentInput], national: dict[int, ComponentInput]) -> list[ComponentInput]:
    """A paper verified nationally replaces the clerk's "received" tick unless a file was scanned for it."""
    out = []
    for item in components:
        replacement = national.pop(item.required_component_id, None)
        out.append(item if item.files or replacement is None else replacement)
    return out + list(national.values())


@transaction.atomic
def receive_with_checks(*, acting_user, check_ids=(), case, applicant: dict, components: list[ComponentInput],
                        **kwargs) -> Dossier:
    """Tiếp nhận tại quầy with the national checks made before: the papers they
    verified are taken from the national database (no paper, no scan), the
    checks and consents are tied to the dossier and its history says which
    data came from where; a pending check is made later by the job."""
    from tinhso.dossiers import actions as dossier_actions

    checks = usable_checks(acting_user, check_ids)
    national = national_components(case, checks, applicant.get("owner_id_number", ""))
    dossier = dossier_actions.receive_at_counter(acting_user=acting_user, case=case, applicant=applicant,
                                                 components=_merge(components, national), **kwargs)
    attach(dossier, checks, acting_user)
    return dossier


@transaction.atomic
def submit_with_checks(*, acting_user, check_ids=(), draft, applicant: dict, **kwargs) -> Dossier:
    """Nộp trực tuyến with the national checks made on the form (see `receive_with_checks`)."""
    from tinhso.portal.actions import submit_draft

    checks = usable_checks(acting_user, check_ids)
    national = national_components(draft.case, checks, applicant.get("owner_id_number", ""))
    dossier = submit_draft(acting_user=acting_user, draft=draft, applicant=applicant, national=national, **kwargs)
    attach(dossier, checks, acting_user)
    return dossier


def attach(dossier: Dossier, checks: list[RegistryCheck], actor) -> None:
    """Tie the checks (and their consents) to `dossier` and write the history
    row of the data taken from national databases. A population check only
    counts if its consent covers the dossier owner's number."""
    checks = [c for c in checks if c.source != Source.POPULATION
              or (c.consent and c.consent.covers(dossier.owner_id_number or ""))]
    if not checks:
        return
    RegistryCheck.objects.filter(pk__in=[c.pk for c in checks]).update(dossier=dossier)
    Consent.objects.filter(pk__in={c.consent_id for c in checks if c.consent_id}, dossier__isnull=True) \
        .update(dossier=dossier)
    lines = [_line(c, dossier) for c in checks]
    note_event(dossier, actor=actor, lines=lines, data={"sources": [_source_data(c) for c in checks]})


def _line(check: RegistryCheck, dossier=None) -> str:
    name = actions.SOURCE_NAMES.get(check.source, check.source)
    if check.status == CheckStatus.PENDING:
        return f"{name}: chưa kiểm tra được (hệ thống không kết nối được); hệ thống sẽ kiểm tra lại."
    when = timezone.localtime(check.checked_at).strftime("%H:%M %d/%m/%Y") if check.checked_at else ""
    if check.source == Source.POPULATION:
        last4 = check.consent.id_last4 if check.consent else "????"
        text = f"thông tin chủ hồ sơ (số định danh …{last4}): {check.get_status_display().lower()}"
    else:
        text = check.summary
    paper = ""
    if check.required_component_id and dossier is not None:
        comp = dossier.components.filter(required_component_id=check.required_component_id,
                                         national_source=check.source).first()
        if comp is not None:
            paper = f" — thay cho “{comp.name}”, không cần nộp bản giấy"
    return f"{name}: {text}{paper}" + (f" (kiểm tra lúc {when})" if when else "")


def _source_data(check: RegistryCheck) -> dict:
    return {"check": check.pk, "source": check.source, "status": check.status,
            "reference": actions.reference_text(check.source, check.reference) if check.reference else "",
            "required_component": check.required_component_id,
            "checked_at": check.checked_at.isoformat() if check.checked_at else None}


def note_event(dossier: Dossier, *, actor, lines: list[str], data: dict):
    """A history row without a status change (like the paper transfers): which data came from where."""
    dossier = lock(dossier, None, actor)
    return write_event(dossier, actor=actor, action=EVENT, at=timezone.now(), from_status=dossier.status,
                       comment="Dữ liệu từ CSDL quốc gia:\n" + "\n".join(f"- {line}" for line in lines), data=data)


# ----- the periodic retry --------------------------------------------------------------------------------------

def retry_pending(now: datetime.datetime | None = None, limit: int = 200) -> int:
    """Make the pending checks of received dossiers whose time has come; each
    result goes into the dossier's history. Returns the checks settled."""
    now = now or timezone.now()
    settled = 0
    due = RegistryCheck.objects.filter(status=CheckStatus.PENDING, dossier__isnull=False,
                                       next_attempt_at__lte=now).select_related("consent", "dossier")[:limit]
    for check in due:
        try:
            status, summary = _ask_again(check)
        except NotConfigured:
            continue
        except ExternalError as exc:
            RegistryCheck.objects.filter(pk=check.pk, status=CheckStatus.PENDING).update(
                attempts=check.attempts + 1, last_error=exc.detail[:500],
                next_attempt_at=now + actions.retry_delay(check.attempts + 1))
            continue
        if _settle(check.pk, status, summary):
            settled += 1
    return settled


def _ask_again(check: RegistryCheck) -> tuple[str, str]:
    dossier = check.dossier
    purpose = check.consent.purpose if check.consent else "Giải quyết thủ tục hành chính"
    if check.source == Source.POPULATION:
        answer = population.provider.verify(id_number=dossier.owner_id_number, full_name=dossier.owner_name,
                                            birth_date=dossier.owner_birth_date, purpose=purpose,
                                            subject=f"consent:{check.consent_id}")
        status, message = actions.population_outcome(answer)
        return status, message
    status, message, _data = actions._ask_paper(check.source, check.reference, purpose,
                                                subject=f"consent:{check.consent_id}")
    return status, f"{actions.reference_text(check.source, check.reference)}: {message}"


@transaction.atomic
def _settle(check_id: int, status: str, summary: str) -> bool:
    check = RegistryCheck.objects.select_for_update(of=("self",)).select_related("consent", "dossier").filter(
        pk=check_id, status=CheckStatus.PENDING).first()
    if check is None:
        return False  # another worker settled it
    check.status, check.summary, check.checked_at = status, summary[:500], timezone.now()
    check.next_attempt_at, check.last_error = None, ""
    check.save(update_fields=["status", "summary", "checked_at", "next_attempt_at", "last_error"])
    line = "Kiểm tra lại sau khi tiếp nhận — " + _line(check)
    note_event(check.dossier, actor=None, lines=[line], data={"sources": [_source_data(check)], "retried": True})
    return True


def consent_for(check_ids) -> Consent | None:
    row = RegistryCheck.objects.filter(pk__in=[int(i) for i in check_ids if str(i).isdecimal()],
                                       consent__isnull=False).select_related("consent").order_by("-id").first()
    return row.consent if row else None


__all__ = ["Channel", "check_for_reception", "receive_with_checks", "submit_with_checks", "retry_pending"]
