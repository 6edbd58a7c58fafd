"""Demo security events for Cần Thơ over the past fortnight: typing mistakes
at sign-in, one password-guessing run that locked an account and fired the
rule, a two-factor mistake, refusals, a client system over its rate limit,
personal-data look-ups. Idempotent: skipped when the demo events exist."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from tinhso.secwatch.defaults import DEFAULT_RULES
from tinhso.secwatch.models import Alert, AlertRule, SecurityEvent

USERS = ["motcua.tinh", "chuyenvien.sxd", "vanthu.sxd", "lanhdao.stp", "motcua.ninhkieu", "chuyenvien.vithanh"]
OFFICE_ADDRESSES = ["10.92.1.15", "10.92.1.27", "10.92.4.8", "10.92.31.5", "113.161.52.14"]


@transaction.atomic
def seed_events() -> None:
    for name, kind, threshold, window, group, severity in DEFAULT_RULES:
        AlertRule.objects.get_or_create(name=name, defaults={
            "kind": kind, "threshold": threshold, "window_minutes": window, "group_by": group,
            "severity": severity, "recipients": "attt@cantho.gov.vn"})
    if SecurityEvent.objects.filter(source="demo").exists():
        return
    rng = random.Random(16)
    now = timezone.now().replace(second=0, microsecond=0)
    rows = []

    def add(at, kind, severity, username="", address="", **detail):
        rows.append(SecurityEvent(at=at, kind=kind, severity=severity, username=username, address=address,
                                  detail=detail, source="demo", source_id=-(len(rows) + 1)))

    for day in range(14, -1, -1):
        base = now - datetime.timedelta(days=day)
        for _ in range(rng.randint(2, 7)):
            at = base - datetime.timedelta(minutes=rng.randint(0, 600))
            add(at, "signin_failed", "warning", rng.choice(USERS), rng.choice(OFFICE_ADDRESSES), stage="password")
        for _ in range(rng.randint(0, 3)):
            at = base - datetime.timedelta(minutes=rng.randint(0, 600))
            add(at, "permission_denied", "warning", rng.choice(USERS), rng.choice(OFFICE_ADDRESSES),
                path="/policies/", method="GET")
        for _ in range(rng.randint(1, 4)):
            at = base - datetime.timedelta(minutes=rng.randint(0, 600))
            add(at, "personal_data", "info", rng.choice(USERS[:3]), "", action="dossiers.applicant_viewed")
        if day % 5 == 2:
            add(base - datetime.timedelta(hours=3), "api_limited", "warning", "he-thong-mot-cua-cu", "203.162.4.190",
                service="dossiers", status=429)
    attack = now - datetime.timedelta(days=3, hours=2)
    for i in range(22):
        add(attack + datetime.timedelta(seconds=20 * i), "signin_failed", "warning", "lanhdao.sxd", "45.131.66.20",
            stage="password")
    add(attack + datetime.timedelta(minutes=2), "signin_locked", "high", "lanhdao.sxd", "45.131.66.20")
    add(attack + datetime.timedelta(minutes=7), "alert", "high", "lanhdao.sxd", "45.131.66.20",
        rule=DEFAULT_RULES[0][0], group="lanhdao.sxd", count=20, window_minutes=10)
    add(now - datetime.timedelta(days=1, hours=5), "otp_failed", "warning", "admin", "10.92.1.2", stage="otp")
    add(now - datetime.timedelta(hours=6), "signature_invalid", "warning", "", "14.232.8.77",
        message="Văn bản đã bị sửa đổi sau khi ký.")
    SecurityEvent.objects.bulk_create(rows)
    rule = AlertRule.objects.filter(name=DEFAULT_RULES[0][0]).first()
    if rule is not None and not Alert.objects.filter(rule=rule).exists():
        fired = attack + datetime.timedelta(minutes=7)
        Alert.objects.create(rule=rule, group_value="lanhdao.sxd", count=20, fired_at=fired,
                             window_ends_at=fired + datetime.timedelta(minutes=10))
