"""Demo data for Cần Thơ: directory cards for the demo staff, official
mailboxes (@cantho.gov.vn), requests at each step, the directory public for
the Department of Construction. Idempotent and fast: the certificates are the
signatures app's (created when the demo signs), never issued here."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from tinhso.accounts.models import User
from tinhso.agencies.models import Agency
from tinhso.directory import actions
from tinhso.directory.models import AccountRequest, DirectoryEvent, Mailbox, RequestKind, RequestState
from tinhso.policies.actions import schedule
from tinhso.policies.models import Policy

DOMAIN = "cantho.gov.vn"
PHONES = {"000.00.11.H13": "0292 3820 555", "000.00.10.H13": "0292 3812 345", "000.31135.H13": "0292 3821 009",
          "000.31321.H13": "0293 3870 100"}
AGENCY_BOXES = [("000.00.11.H13", "sxd"), ("000.00.10.H13", "stp"), ("000.00.01.H13", "vpubnd"),
                ("000.31135.H13", "ubnd.ninhkieu"), ("000.31321.H13", "ubnd.vithanh")]
# (username, kind, state)
REQUESTS = [("chuyenvien.stp", RequestKind.MAILBOX, RequestState.REQUESTED),
            ("chuyenvien.snnmt", RequestKind.MAILBOX, RequestState.APPROVED),
            ("chuyenvien.vithanh", RequestKind.PERSONAL_CERTIFICATE, RequestState.REQUESTED)]


def _address(user) -> str:
    return f"{user.username.replace('.', '')}@{DOMAIN}"


@transaction.atomic
def seed_directory() -> None:
    actions.sync_entries()
    if Mailbox.objects.filter(address__endswith="@" + DOMAIN).exists():
        return
    agencies = {a.code: a for a in Agency.objects.filter(code__in=[c for c, _ in AGENCY_BOXES] + list(PHONES))}
    from tinhso.directory.models import DirectoryEntry

    for entry in DirectoryEntry.objects.select_related("agency"):
        phone = next((p for code, p in PHONES.items() if code in agencies and
                      entry.agency.path.startswith(agencies[code].path)), "")
        if phone and not entry.office_phone:
            entry.office_phone = phone
            entry.save(update_fields=["office_phone"])
    skip = {u for u, _, _ in REQUESTS}
    boxes = []
    for entry in DirectoryEntry.objects.select_related("user", "agency").exclude(user__username__in=skip):
        boxes.append(Mailbox(address=_address(entry.user), agency=entry.agency, user=entry.user,
                             display_name=entry.user.get_full_name(), imported=True))
    for code, local in AGENCY_BOXES:
        if code in agencies:
            boxes.append(Mailbox(address=f"{local}@{DOMAIN}", agency=agencies[code], display_name=agencies[code].name,
                                 imported=True))
    Mailbox.objects.bulk_create(boxes)
    DirectoryEvent.objects.bulk_create([DirectoryEvent(mailbox=b, action="imported", note="demo")
                                        for b in Mailbox.objects.filter(address__endswith="@" + DOMAIN)])
    for username, kind, state in REQUESTS:
        user = User.objects.filter(username=username).first()
        agency = actions.primary_agency(user) if user else None
        if agency is None:
            continue
        req = AccountRequest.objects.create(kind=kind, agency=agency, person=user, requested_by=user, state=state,
                                            wanted_address=_address(user) if kind == RequestKind.MAILBOX else "",
                                            reason="Cán bộ mới nhận công tác")
        DirectoryEvent.objects.create(request=req, action="requested", actor=user)
        if state == RequestState.APPROVED:
            DirectoryEvent.objects.create(request=req, action="approved")
    sxd = agencies.get("000.00.11.H13")
    if sxd is not None and not Policy.objects.filter(key="directory.public").exists():
        start = timezone.now() - datetime.timedelta(days=30)
        schedule(acting_user=None, key="directory.public", value=[sxd.code, "000.31135.H13"], effective_from=start,
                 note="Quyết định công khai danh bạ (dữ liệu mẫu)")
