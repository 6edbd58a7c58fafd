"""State changes a citizen makes: their account's notification channels, and
their drafts of online dossiers (hồ sơ nháp).

Drafts are the citizen's own working copy, saved every few seconds by the
form's autosave: saving one is owner-checked and atomic but not audited (an
audit row per keystroke pause would bury the log, and a draft changes no
dossier); claiming an anonymous draft after sign-in and turning a draft into
a submitted dossier are audited."""

from django.db import transaction

from tinhso.audit.actions import record
from tinhso.core.errors import InvalidInput, PermissionDenied
from tinhso.portal.models import Draft

FORM_NOISE = ("csrfmiddlewaretoken", "op", "draft")


def form_data(post) -> dict:
    """What a draft keeps of a posted form: every field but the form's own plumbing."""
    return {k: v for k, v in post.items() if k not in FORM_NOISE}


def _require_owner(acting_user, draft: Draft) -> None:
    if draft.owner_id is None or acting_user is None or draft.owner_id != acting_user.pk:
        raise PermissionDenied("Bản nháp này không phải của bạn.")


@transaction.atomic
def open_draft(*, acting_user, case, token: str | None = None) -> Draft:
    """The citizen's open draft for `case`; an anonymous draft with `token`
    (saved when a session had expired) is claimed by the citizen who brings
    its token back after signing in."""
    from tinhso.dossiers.models import StagedUpload

    if not getattr(acting_user, "is_citizen", False):
        raise PermissionDenied("Chỉ tài khoản công dân.")
    if token:
        orphan = (Draft.objects.select_for_update()
                  .filter(token=token, owner__isnull=True, case=case, dossier__isnull=True).first())
        if orphan is not None:
            Draft.objects.filter(owner=acting_user, case=case, dossier__isnull=True).exclude(pk=orphan.pk).delete()
            orphan.owner = acting_user
            orphan.save(update_fields=["owner"])
            StagedUpload.objects.filter(token=orphan.token, user__isnull=True).update(user=acting_user)
            record(actor=acting_user, action="portal.draft.claimed", obj=orphan, changes={"case": case.pk})
            return orphan
    draft = Draft.objects.filter(owner=acting_user, case=case, dossier__isnull=True).order_by("-updated_at").first()
    return draft or Draft.objects.create(owner=acting_user, case=case)


@transaction.atomic
def save_draft(*, acting_user, draft: Draft, data: dict) -> Draft:
    _require_owner(acting_user, draft)
    if draft.dossier_id is not None:
        raise PermissionDenied("Bản nháp đã được nộp thành hồ sơ.")
    draft.data = data
    draft.save(update_fields=["data", "updated_at"])
    return draft


@transaction.atomic
def save_anonymous_draft(*, case, token: str, data: dict) -> Draft:
    """Keep what was typed when the session expired, under the draft's token
    (no owner until the citizen signs in and `open_draft` claims it)."""
    draft = Draft.objects.filter(token=token, case=case, dossier__isnull=True).first() if token else None
    if draft is None or draft.owner_id is not None:
        draft = Draft(owner=None, case=case)
    draft.data = data
    draft.save()
    return draft


@transaction.atomic
def mark_submitted(*, acting_user, draft: Draft, dossier) -> Draft:
    _require_owner(acting_user, draft)
    draft.dossier = dossier
    draft.save(update_fields=["dossier"])
    record(actor=acting_user, action="portal.draft.submitted", obj=draft, changes={"dossier": dossier.code})
    return draft


def submit_draft(*, acting_user, draft: Draft, applicant: dict, area, answers: dict, reuse: dict,
                 national: dict | None = None):
    """Nộp hồ sơ từ bản nháp: the staged uploads of `draft` (and the data-store
    items chosen in `reuse`, component id -> DataStoreItem) become the
    dossier's components; `applicant`, `area` and `answers` come from the
    checked form (the portal page or the API). The draft's token is the
    idempotency key, so a retried submission returns the first dossier. The
    staged files are removed only once the dossier is committed: a failed
    submission loses no upload. `national` (component id -> ComponentInput)
    holds the papers verified with a national database
    (tinhso.registries.reception.submit_with_checks), filed without upload."""
    from tinhso.datastore import actions as store
    from tinhso.dossiers import actions
    from tinhso.dossiers.staging import as_uploads, discard, staged
    from tinhso.portal.services import receiving_agency_for

    _require_owner(acting_user, draft)
    if draft.dossier_id is not None:
        return draft.dossier
    case = draft.case
    kept = staged(draft.token, acting_user)
    components = []
    for c in case.components.all():
        files = as_uploads(kept.get(f"component_{c.pk}", []))
        reused = reuse.get(c.pk) if c.reusable_from_data_store else None
        if reused is not None:
            if reused.owner_id != acting_user.pk:
                raise PermissionDenied("Giấy tờ trong kho không phải của bạn.")
            files.append(store.as_upload(reused))
        if files:
            components.append(actions.ComponentInput(required_component_id=c.pk, originals=0, copies=0, files=files,
                                                     received=True, reused_from_data_store=reused is not None))
        elif (national or {}).get(c.pk) is not None:
            components.append(national[c.pk])
        elif c.required:
            raise InvalidInput("Còn thiếu giấy tờ bắt buộc: %s." % c.name, code="missing_component",
                               errors=[{"field": f"component_{c.pk}",
                                        "message": "Cần tải lên tệp cho giấy tờ bắt buộc này."}])
    with transaction.atomic():
        dossier = actions.submit_online(acting_user=acting_user, receiving_agency=receiving_agency_for(case, area),
                                        case=case, applicant=applicant, components=components, area=area,
                                        form_data=answers, idempotency_key=draft.token)
        mark_submitted(acting_user=acting_user, draft=draft, dossier=dossier)
        token = draft.token
        transaction.on_commit(lambda: discard(token, acting_user))
    return dossier


@transaction.atomic
def set_notification_channels(*, acting_user, email: bool, sms: bool) -> None:
    if not getattr(acting_user, "is_citizen", False):
        raise PermissionDenied("Chỉ tài khoản công dân.")
    before = {"notify_email": acting_user.notify_email, "notify_sms": acting_user.notify_sms}
    acting_user.notify_email, acting_user.notify_sms = email, sms
    acting_user.save(update_fields=["notify_email", "notify_sms"])
    record(actor=acting_user, action="portal.notification_channels", obj=acting_user,
           changes={k: [before[k], getattr(acting_user, k)] for k in before})
