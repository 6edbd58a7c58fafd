"""The one way to store a security event, and the alert rules evaluated on
each event as it arrives."""

from __future__ import annotations

import datetime
import logging

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from tinhso.secwatch.models import Alert, AlertRule, Kind, SecurityEvent, Severity

log = logging.getLogger("tinhso.secwatch")


def record_event(kind: str, severity: str = Severity.WARNING, *, username: str = "", address: str = "",
                 detail: dict | None = None, obj=None, at: datetime.datetime | None = None, source: str = "hook",
                 source_id: int | None = None, evaluate: bool = True) -> SecurityEvent | None:
    """Store one event and evaluate the alert rules of its kind, each in its
    own savepoint: a failure of either is logged and never breaks the
    caller's work (the event stays stored when only the rules failed)."""
    if kind not in Kind.values:
        kind = Kind.ADMIN_CHANGE if kind.startswith("admin") else Kind.PERMISSION_DENIED
    if severity not in Severity.values:
        severity = Severity.WARNING
    try:
        with transaction.atomic():
            event = SecurityEvent.objects.create(
                at=at or timezone.now(), kind=kind, severity=severity, username=(username or "")[:200],
                address=(address or "")[:64], detail=detail or {}, source=source, source_id=source_id,
                object_type=obj._meta.label_lower if obj is not None else "",
                object_id=str(obj.pk) if obj is not None else "", object_repr=str(obj)[:300] if obj is not None else "")
    except Exception:  # noqa: BLE001 - watching must never break what is watched
        log.exception("could not store security event %s", kind)
        return None
    if evaluate:
        evaluate_safely(event)
    return event


def evaluate_safely(event: SecurityEvent, rules=None) -> list[Alert]:
    """`evaluate_rules` in a savepoint; an error (a broken rule row, the
    database refusing) is logged and what the caller does goes on."""
    try:
        with transaction.atomic():
            return evaluate_rules(event, rules)
    except Exception:  # noqa: BLE001 - watching must never break what is watched
        log.exception("could not evaluate the alert rules for security event %s (%s)", event.pk, event.kind)
        return []


def _group_value(rule: AlertRule, event: SecurityEvent) -> str:
    return getattr(event, rule.group_by) if rule.group_by else ""


def evaluate_rules(event: SecurityEvent, rules=None) -> list[Alert]:
    """Fire each active rule of the event's kind whose threshold is reached
    within its window for the event's group, unless it already fired for that
    group in the window (no alert storm)."""
    fired = []
    rules = rules if rules is not None else AlertRule.objects.filter(kind=event.kind, active=True)
    for rule in rules:
        if rule.kind != event.kind or not rule.active:
            continue
        group = _group_value(rule, event)
        if rule.group_by and not group:
            continue
        with transaction.atomic():
            rule = AlertRule.objects.select_for_update().get(pk=rule.pk)  # one evaluation per rule at a time
            since = event.at - datetime.timedelta(minutes=rule.window_minutes)
            if Alert.objects.filter(rule=rule, group_value=group, window_ends_at__gt=event.at).exists():
                continue
            matching = SecurityEvent.objects.filter(kind=rule.kind, at__gt=since, at__lte=event.at)
            if rule.group_by:
                matching = matching.filter(**{rule.group_by: group})
            count = matching.count()
            if count < rule.threshold:
                continue
            alert = Alert.objects.create(rule=rule, group_value=group, count=count, fired_at=event.at,
                                         window_ends_at=event.at + datetime.timedelta(minutes=rule.window_minutes))
            SecurityEvent.objects.create(
                at=event.at, kind=Kind.ALERT, severity=rule.severity, username=event.username, address=event.address,
                detail={"rule": rule.name, "rule_id": rule.pk, "group": group, "count": count,
                        "window_minutes": rule.window_minutes})
            recipients = rule.recipient_list() or alert_recipients()
            if not recipients:
                log.warning("alert rule %r fired with no one to mail: no address on the rule and no security "
                            "officer (auditor role) with an e-mail address", rule.name)
            if recipients:
                subject = f"[Tỉnh Số] Cảnh báo an toàn thông tin: {rule.name}"
                body = (f"Quy tắc “{rule.name}”: {count} sự kiện “{Kind(rule.kind).label}” trong "
                        f"{rule.window_minutes} phút" + (f" ({rule.get_group_by_display().lower()}: {group})" if group else "")
                        + f", lúc {timezone.localtime(event.at):%d/%m/%Y %H:%M}.\n"
                        "Xem chi tiết tại trang Giám sát an toàn thông tin (/an-ninh/).")
                transaction.on_commit(lambda s=subject, b=body, r=recipients: _mail(s, b, r))
            fired.append(alert)
    return fired


def alert_recipients() -> list[str]:
    """Who a rule with no address of its own mails: the security officers,
    i.e. the staff holding the auditor role (“Kiểm tra, giám sát”, the role
    of the security screen besides the system administrator) today, whose
    account has an e-mail address."""
    from tinhso.accounts.models import Role, RoleAssignment, User

    holders = RoleAssignment.objects.active().filter(role=Role.AUDITOR).values("user_id")
    return sorted(set(User.objects.filter(pk__in=holders, is_active=True).exclude(email="")
                      .values_list("email", flat=True)))


def _mail(subject, body, recipients):
    try:
        send_mail(subject, body, None, recipients)
    except Exception:  # noqa: BLE001 - a mail server down must not lose the event
        log.exception("could not e-mail security alert %s", subject)
