import datetime

import pytest

from tinhso.accounts.models import Role
from tinhso.audit.models import AuditEvent
from tinhso.core.errors import Conflict, InvalidInput, PermissionDenied
from tinhso.testing import make_staff
from tinhso.workcalendar import actions, engine
from tinhso.workcalendar.models import CalendarDay, CalendarRevision, WorkSchedule

pytestmark = pytest.mark.django_db
D = datetime.date
CULTURE_DAY = D(2026, 11, 24)  # Tuesday


@pytest.fixture
def clerk(agency):
    return make_staff("clerk", roles=[(Role.CLERK, agency)])


def test_admin_adds_and_removes_culture_day_engine_follows(admin_user):
    cal = engine.get_calendar()
    assert cal.is_working_day(CULTURE_DAY)
    before = CalendarRevision.current_token()
    day = actions.add_day(acting_user=admin_user, date=CULTURE_DAY, kind="holiday", name="Ngày Văn hóa Việt Nam",
                          source="chưa xác minh")
    assert CalendarRevision.current_token() != before
    assert AuditEvent.objects.filter(action="workcalendar.day.added", object_id=str(day.pk)).exists()
    assert not engine.get_calendar().is_working_day(CULTURE_DAY)
    assert engine.get_calendar().add(datetime.datetime(2026, 11, 23, 9), 1, "working_days").date() == D(2026, 11, 25)
    actions.remove_day(acting_user=admin_user, day=day)
    assert AuditEvent.objects.filter(action="workcalendar.day.removed").exists()
    assert engine.get_calendar().is_working_day(CULTURE_DAY)


def test_non_admin_is_refused(clerk, admin_user):
    with pytest.raises(PermissionDenied):
        actions.add_day(acting_user=clerk, date=CULTURE_DAY, kind="holiday", name="x")
    day = CalendarDay.objects.get(date=D(2026, 1, 1))
    for call in (lambda: actions.remove_day(acting_user=clerk, day=day),
                 lambda: actions.update_day(acting_user=clerk, day=day, name="y"),
                 lambda: actions.confirm_day(acting_user=clerk, day=day),
                 lambda: actions.confirm_year(acting_user=clerk, year=2027),
                 lambda: actions.propose_holidays(acting_user=clerk, year=2027),
                 lambda: actions.add_schedule(acting_user=clerk, valid_from=D(2027, 1, 1),
                                              morning_start=datetime.time(7), morning_end=datetime.time(11),
                                              afternoon_start=datetime.time(13), afternoon_end=datetime.time(17))):
        with pytest.raises(PermissionDenied):
            call()
    assert not AuditEvent.objects.filter(action__startswith="workcalendar.").exists()


def test_validation_messages(admin_user):
    with pytest.raises(Conflict):
        actions.add_day(acting_user=admin_user, date=D(2026, 1, 1), kind="holiday", name="x")
    with pytest.raises(InvalidInput):
        actions.add_day(acting_user=admin_user, date=D(2026, 11, 24), kind="makeup_workday", name="x")
    with pytest.raises(InvalidInput):
        actions.add_day(acting_user=admin_user, date=D(2026, 11, 24), kind="holiday", name="  ")
    with pytest.raises(InvalidInput) as exc:
        actions.add_schedule(acting_user=admin_user, valid_from=D(2027, 1, 1), morning_start=datetime.time(12),
                             morning_end=datetime.time(11), afternoon_start=datetime.time(13),
                             afternoon_end=datetime.time(17))
    assert "thứ tự" in exc.value.message


def test_update_day_and_schedule(admin_user):
    day = CalendarDay.objects.get(date=D(2026, 9, 1))
    actions.update_day(acting_user=admin_user, day=day, name="Quốc khánh (liền kề)")
    assert AuditEvent.objects.get(action="workcalendar.day.updated").changes["name"][1] == "Quốc khánh (liền kề)"
    s = actions.add_schedule(acting_user=admin_user, valid_from=D(2027, 1, 1), morning_start=datetime.time(7, 30),
                             morning_end=datetime.time(11, 30), afternoon_start=datetime.time(13),
                             afternoon_end=datetime.time(17), weekdays="54321")
    assert s.weekdays == "12345"
    cal = engine.get_calendar()
    assert cal.start_of_counting(datetime.datetime(2027, 1, 4, 7)).time() == datetime.time(7, 30)
    actions.update_schedule(acting_user=admin_user, schedule=s, morning_start=datetime.time(8))
    assert engine.get_calendar().start_of_counting(datetime.datetime(2027, 1, 4, 7)).time() == datetime.time(8)
    assert AuditEvent.objects.filter(action="workcalendar.schedule.updated").exists()
    actions.remove_schedule(acting_user=admin_user, schedule=s)
    with pytest.raises(InvalidInput):
        actions.remove_schedule(acting_user=admin_user, schedule=WorkSchedule.objects.get())


def test_propose_holidays_2027_and_confirm(admin_user):
    result = actions.propose_holidays(acting_user=admin_user, year=2027)
    rows = {d.date: d for d in CalendarDay.objects.in_year(2027)}
    assert all(not d.confirmed for d in rows.values())
    # Tết 2027 = 6 Feb (Sat): eve 5 Feb, 6-9 Feb; Sat 6 and Sun 7 give compensatory Wed 10 and Thu 11
    assert {D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 9)} <= set(rows)
    assert rows[D(2027, 2, 10)].kind == "compensatory" and rows[D(2027, 2, 11)].kind == "compensatory"
    assert D(2027, 1, 1) in rows and D(2027, 9, 1) in rows and D(2027, 9, 2) in rows
    assert D(2027, 4, 16) in rows  # Hùng Kings day 10/3 lunar 2027
    # unconfirmed rows do not affect the engine
    assert engine.get_calendar().is_working_day(D(2027, 2, 10))
    assert AuditEvent.objects.filter(action="workcalendar.holidays.proposed").exists()
    assert len(result.created) == len(rows)
    # re-running is idempotent
    again = actions.propose_holidays(acting_user=admin_user, year=2027)
    assert again.created == [] and again.updated == []
    one = rows[D(2027, 1, 1)]
    actions.confirm_day(acting_user=admin_user, day=one)
    assert not engine.get_calendar().is_working_day(D(2027, 1, 1))
    assert actions.confirm_year(acting_user=admin_user, year=2027) == len(rows) - 1
    assert not engine.get_calendar().is_working_day(D(2027, 2, 10))
    assert AuditEvent.objects.filter(action="workcalendar.year.confirmed").exists()


def test_propose_never_overwrites_confirmed(admin_user):
    before = {d.date: (d.kind, d.name, d.confirmed) for d in CalendarDay.objects.in_year(2026)}
    result = actions.propose_holidays(acting_user=admin_user, year=2026)
    after = {d.date: (d.kind, d.name, d.confirmed) for d in CalendarDay.objects.in_year(2026) if d.date in before}
    assert after == before
    assert D(2026, 1, 1) in result.kept_confirmed and D(2026, 2, 17) in result.kept_confirmed
    assert actions.discard_proposals(acting_user=admin_user, year=2026) == len(result.created)
    assert CalendarDay.objects.in_year(2026).count() == len(before)


def test_propose_command(capsys):
    from django.core.management import call_command

    call_command("propose_holidays", "2028")
    assert CalendarDay.objects.proposals().in_year(2028).count() >= 10
    assert "2028" in capsys.readouterr().out


def test_cache_sees_change_made_by_another_process(settings):
    """Another app server adds a day and bumps the token; this process notices
    at the next re-check, not before."""
    settings.TINHSO_CALENDAR_RECHECK_SECONDS = 3600
    cal = engine.get_calendar()
    assert cal.is_working_day(CULTURE_DAY)
    # simulate the other process: write the row and the token, without touching this process's cache state
    CalendarDay.objects.create(date=CULTURE_DAY, kind="holiday", name="Ngày Văn hóa Việt Nam", confirmed=True)
    CalendarRevision.bump()
    assert engine.get_calendar() is cal  # within the re-check interval: cached
    settings.TINHSO_CALENDAR_RECHECK_SECONDS = 0
    fresh = engine.get_calendar()
    assert fresh is not cal and not fresh.is_working_day(CULTURE_DAY)
    assert engine.get_calendar() is fresh  # token unchanged: no rebuild
