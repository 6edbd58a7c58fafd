"""Events are kept for the retention in force (a dated rule, 2 years by
default) and pruned by the nightly job; every pruning is audited."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tinhso.audit.models import AuditEvent
from tinhso.policies.models import Policy
from tinhso.policies.registry import BadValue
from tinhso.secwatch import actions, tasks
from tinhso.secwatch.models import SecurityEvent
from tinhso.secwatch.policies import RETENTION_DAYS

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _event(age_days: int, kind="signin_failed") -> SecurityEvent:
    return SecurityEvent.objects.create(at=timezone.now() - age_days * DAY, kind=kind, severity="warning",
                                        username=f"tuoi-{age_days}")


def test_events_older_than_two_years_go_recent_ones_stay_and_the_pruning_is_audited(settings):
    settings.TINHSO_SIEM_SYSLOG = ""
    old = [_event(800), _event(731)]
    kept = [_event(729), _event(1)]
    result = tasks.prune_events.call_local()
    assert result == {"removed": 2, "days": 730}
    assert set(SecurityEvent.objects.values_list("pk", flat=True)) == {e.pk for e in kept}
    audit = AuditEvent.objects.get(action="secwatch.events.pruned")
    assert audit.changes["rows"] == 2 and audit.changes["days"] == 730 and audit.changes["last_id"] == old[-1].pk
    assert actions.prune_events() == {"removed": 0, "days": 730}  # nothing more, no empty audit row
    assert AuditEvent.objects.filter(action="secwatch.events.pruned").count() == 1


def test_the_retention_is_a_dated_rule_and_0_keeps_everything(settings):
    settings.TINHSO_SIEM_SYSLOG = ""
    _event(400), _event(100)
    Policy.objects.create(key=RETENTION_DAYS.key, value=365, effective_from=timezone.now() - DAY)
    assert actions.prune_events(batch=1)["removed"] == 1  # in batches, each audited
    Policy.objects.create(key=RETENTION_DAYS.key, value=0, effective_from=timezone.now() - DAY / 2)
    _event(5000)
    assert actions.prune_events() == {"removed": 0, "days": 0} and SecurityEvent.objects.count() == 2
    with pytest.raises(BadValue):
        RETENTION_DAYS.check(30)  # below a year is refused with a Vietnamese message


def test_events_not_yet_sent_to_the_siem_are_kept(settings):
    settings.TINHSO_SIEM_SYSLOG = "udp://127.0.0.1:5514"
    unsent, sent = _event(900), _event(900)  # the unsent one has the lower id: sent-ness is per row
    SecurityEvent.objects.filter(pk=sent.pk).update(forwarded_at=timezone.now())
    assert actions.prune_events()["removed"] == 1
    assert list(SecurityEvent.objects.values_list("pk", flat=True)) == [unsent.pk]
