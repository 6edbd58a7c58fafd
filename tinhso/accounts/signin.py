"""Staff sign-in protections: the dated two-factor rules per role, and the
limit on failed sign-ins.

Failed password or code attempts are counted per account name (locked after
TINHSO_SIGNIN_MAX_FAILURES within TINHSO_SIGNIN_WINDOW_MINUTES, for
TINHSO_SIGNIN_LOCK_MINUTES) and per client address with a much higher limit
(TINHSO_SIGNIN_ADDRESS_MAX_FAILURES), so that one office behind one address is
not locked out by one person's typing while a password-guessing run from one
address still stops. Any name can be locked, existing or not, so the lock
message tells nothing about which accounts exist."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from tinhso.accounts.models import SignInThrottle, TwoFactorRule, User
from tinhso.audit.actions import record
from tinhso.core import security

log = logging.getLogger("tinhso.signin")
Scope = SignInThrottle.Scope


def roles_requiring_two_factor(day: datetime.date | None = None) -> set[str]:
    """The roles whose holders must use a second factor on `day` (today)."""
    day = day or timezone.localdate()
    latest: dict[str, bool] = {}
    for role, required in (TwoFactorRule.objects.filter(effective_from__lte=day)
                           .order_by("role", "-effective_from").values_list("role", "required")):
        latest.setdefault(role, required)
    return {role for role, required in latest.items() if required}


def normalise(username: str) -> str:
    return (username or "").strip().lower()[:200]


def client_address(request) -> str:
    """REMOTE_ADDR: behind a reverse proxy, let the proxy set it (docs/operations.md)."""
    return (request.META.get("REMOTE_ADDR") or "unknown")[:200]


def locked_until(username: str, address: str, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """When sign-in for this name from this address opens again, or None."""
    if not settings.TINHSO_SIGNIN_MAX_FAILURES:
        return None
    now = now or timezone.now()
    until = (SignInThrottle.objects
             .filter(locked_until__gt=now)
             .filter(scope=Scope.ACCOUNT, key=normalise(username))
             .values_list("locked_until", flat=True).first())
    by_address = (SignInThrottle.objects.filter(locked_until__gt=now, scope=Scope.ADDRESS, key=address)
                  .values_list("locked_until", flat=True).first())
    candidates = [t for t in (until, by_address) if t]
    return max(candidates) if candidates else None


def _row(scope: str, key: str, now) -> SignInThrottle:
    try:
        with transaction.atomic():
            SignInThrottle.objects.get_or_create(scope=scope, key=key, defaults={"window_started_at": now})
    except IntegrityError:  # created by a concurrent request
        pass
    return SignInThrottle.objects.select_for_update().get(scope=scope, key=key)


@transaction.atomic
def record_failure(username: str, address: str, *, stage: str = "password") -> datetime.datetime | None:
    """Count one failed attempt; returns the lock's end when this attempt locked."""
    security.emit("otp_failed" if stage == "otp" else "signin_failed", username=normalise(username), address=address,
                  detail={"stage": stage})
    limit = settings.TINHSO_SIGNIN_MAX_FAILURES
    if not limit:
        return None
    now = timezone.now()
    window = datetime.timedelta(minutes=settings.TINHSO_SIGNIN_WINDOW_MINUTES)
    lock = datetime.timedelta(minutes=settings.TINHSO_SIGNIN_LOCK_MINUTES)
    locked = None
    for scope, key, max_failures in ((Scope.ACCOUNT, normalise(username), limit),
                                     (Scope.ADDRESS, address, settings.TINHSO_SIGNIN_ADDRESS_MAX_FAILURES)):
        if not key or not max_failures:
            continue
        row = _row(scope, key, now)
        if row.window_started_at <= now - window or (row.locked_until and row.locked_until <= now):
            row.failures, row.window_started_at, row.locked_until = 0, now, None
        row.failures += 1
        if row.failures >= max_failures and not (row.locked_until and row.locked_until > now):
            row.locked_until = now + lock
            locked = max(locked or row.locked_until, row.locked_until)
            user = User.objects.filter(username__iexact=key).first() if scope == Scope.ACCOUNT else None
            record(actor=None, action="accounts.signin.locked", obj=user,
                   changes={"scope": scope, "key": key, "failures": row.failures, "stage": stage,
                            "address": address, "until": row.locked_until.isoformat()})
            log.warning("sign-in locked: %s %s after %d failures (%s) from %s until %s",
                        scope, key, row.failures, stage, address, row.locked_until.isoformat())
        row.save()
    return locked


def record_success(username: str) -> None:
    """A full sign-in clears the account's count (not the address's)."""
    SignInThrottle.objects.filter(scope=Scope.ACCOUNT, key=normalise(username)).delete()
