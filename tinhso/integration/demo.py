"""Demo client systems: a sector system reading the dossiers of the
Department of Construction, and the district reporting app on Open311, with
a few days of message-log traffic so the auditor's charts are not empty.
Idempotent: a second seeding adds nothing."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from tinhso.accounts.models import User
from tinhso.integration import actions, log
from tinhso.integration.models import ClientSystem, MessageLog

SYSTEMS = [
    ("Hệ thống thông tin quản lý cấp phép xây dựng", "so-xay-dung-cpxd", "Sở Xây dựng", ["dossiers"], "chuyenvien.sxd"),
    ("Ứng dụng phản ánh của phường Ninh Kiều", "ninh-kieu-phan-anh", "UBND phường Ninh Kiều", ["open311"], ""),
]


def seed_clients(days: int = 14) -> None:
    if ClientSystem.objects.filter(code=SYSTEMS[0][1]).exists():
        return
    for name, code, owner, services, username in SYSTEMS:
        client = actions.register_client(acting_user=None, name=name, code=code, owner=owner)
        actions.grant_services(acting_user=None, client=client, codes=services)
        user = User.objects.filter(username=username).first() if username else None
        if user is not None:
            actions.update_client(acting_user=None, client=client, service_user=user)
        actions.issue_key(acting_user=None, client=client, scopes=services, kind="oauth")
    if MessageLog.objects.exists():
        return
    rng = random.Random(13)
    clients = {c.code: c for c in ClientSystem.objects.all()}
    now = timezone.now()
    rows = []
    for back in range(days, 0, -1):
        day = now - datetime.timedelta(days=back)
        for _ in range(rng.randint(20, 60)):
            kind = rng.random()
            if kind < 0.45:
                rows.append(dict(direction="in", client=clients["so-xay-dung-cpxd"], service="dossiers",
                                 operation="GET /api/v1/dossiers", status=200, outcome="ok"))
            elif kind < 0.7:
                rows.append(dict(direction="in", client=clients["ninh-kieu-phan-anh"], service="open311",
                                 operation="GET /open311/v2/requests.json", status=200, outcome="ok"))
            else:
                bad = rng.random() < 0.06
                rows.append(dict(direction="out", service=rng.choice(["population", "national-portal"]),
                                 operation="POST (sandbox)", purpose="dữ liệu mẫu",
                                 status=0 if bad else 200, outcome="timeout" if bad else "ok"))
            rows[-1]["latency_ms"] = rng.randint(8, 400)
            rows[-1]["_at"] = day.replace(hour=rng.randint(7, 17), minute=rng.randint(0, 59))
    rows.sort(key=lambda r: r["_at"])
    for row in rows:
        at = row.pop("_at")
        entry = log.append(**row)
        # The demo's history is back-dated and re-sealed as if written then (demo data only).
        entry.at = at
        prev = MessageLog.objects.filter(seq=entry.seq - 1).values_list("hash", flat=True).first() or log.ZERO
        entry.prev_hash = prev
        entry.hash = log.row_hash(entry, prev)
        entry.save(update_fields=["at", "prev_hash", "hash"])
    last = MessageLog.objects.order_by("-seq").first()
    if last:
        from tinhso.integration.models import LogHead

        head = LogHead.objects.get(pk=1)
        LogHead.objects.filter(pk=1).update(seq=last.seq, hash=last.hash,
                                            mac=log.head_mac(last.seq, last.hash, head.anchor_seq, head.anchor_hash))
