"""Reading the directory and the certificate register."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from tinhso.agencies.models import Agency
from tinhso.core.text import tokens
from tinhso.directory.models import DirectoryEntry, Mailbox, MailboxState
from tinhso.signatures.models import CredentialPurpose, SigningCredential

CERTIFICATE_PURPOSES = (CredentialPurpose.PERSONAL, CredentialPurpose.SEAL)


def entries(query: str = "", agencies=None, listed_only: bool = True):
    qs = DirectoryEntry.objects.select_related("user", "agency").filter(user__is_active=True).prefetch_related(
        Prefetch("user__mailboxes", queryset=Mailbox.objects.filter(state=MailboxState.ACTIVE), to_attr="active_boxes"))
    if listed_only:
        qs = qs.filter(listed=True)
    if agencies is not None:
        qs = qs.filter(agency__in=agencies)
    for word in tokens(query):
        qs = qs.filter(Q(search_text__startswith=word) | Q(search_text__contains=" " + word))
    return qs


def official_email(entry) -> str:
    boxes = getattr(entry.user, "active_boxes", None)
    if boxes is None:
        boxes = list(entry.user.mailboxes.filter(state=MailboxState.ACTIVE))
    return boxes[0].address if boxes else ""


def public_agencies(at=None):
    """The agencies whose directory the policy `directory.public` opens to the
    public (with their subtrees); none when empty."""
    from tinhso.directory.policies import public_codes

    codes = public_codes(at)
    if not codes:
        return Agency.objects.none()
    if "*" in codes:
        return Agency.objects.all()
    paths = list(Agency.objects.filter(code__in=codes).values_list("path", flat=True))
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return Agency.objects.filter(condition)


def valid_certificates(now=None):
    now = now or timezone.now()
    return SigningCredential.objects.filter(purpose__in=CERTIFICATE_PURPOSES, is_active=True, not_after__gt=now)


def certificate_register(agencies=None):
    """The signatures app's personal and seal credentials themselves (one
    register, nothing copied), with why an inactive one stopped."""
    qs = (SigningCredential.objects.filter(purpose__in=CERTIFICATE_PURPOSES)
          .select_related("user", "agency", "directory_status").defer("pkcs12", "appearance_png")
          .order_by("not_after"))
    if agencies is not None:
        qs = qs.filter(agency__in=agencies)
    return qs


def certificate_state(cred, now=None) -> tuple[str, str]:
    now = now or timezone.now()
    try:
        status = cred.directory_status
    except Exception:  # noqa: BLE001 - no status row
        status = None
    if status is not None:
        return status.state, status.get_state_display()
    if not cred.is_active:
        return "inactive", "Không dùng"
    if cred.not_after <= now:
        return "expired", "Hết hạn"
    return "valid", "Còn hiệu lực"


def counts_by_agency():
    """Active mailboxes and valid certificates per agency (dashboard, directory page)."""
    boxes = dict(Mailbox.objects.filter(state=MailboxState.ACTIVE).values("agency").annotate(n=Count("id"))
                 .values_list("agency", "n"))
    certs = dict(valid_certificates().filter(agency__isnull=False).values("agency").annotate(n=Count("id"))
                 .values_list("agency", "n"))
    ids = set(boxes) | set(certs)
    return [{"agency": a, "email_accounts": boxes.get(a.pk, 0), "certificates": certs.get(a.pk, 0)}
            for a in Agency.objects.filter(pk__in=ids).order_by("path")]


def programme_figures():
    from tinhso.dashboard.programme import Figure

    return [
        Figure("email_accounts", "Hộp thư công vụ đang hoạt động",
               Mailbox.objects.filter(state=MailboxState.ACTIVE).count(), "tài khoản", url=reverse("directory:mailboxes")),
        Figure("certificates", "Chứng thư số còn hiệu lực", valid_certificates().count(), "chứng thư",
               url=reverse("directory:certificates")),
    ]
