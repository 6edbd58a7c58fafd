import datetime

import pytest
import vobject
from icalendar import Calendar

from tinhso.audit.models import AuditEvent
from tinhso.core.errors import InvalidInput, PermissionDenied
from tinhso.schedules import actions, queries
from tinhso.schedules.models import ScheduleEntry, WeekPublication

from .conftest import at

pytestmark = pytest.mark.django_db


def test_the_office_clerk_and_the_leader_edit_an_outsider_is_refused(entry, leader, outsider, sxd):
    assert AuditEvent.objects.filter(action="schedules.entry.created").count() == 1
    actions.save_entry(acting_user=leader, agency_id=sxd.pk, start=at(1, 14), content="Kiểm tra công trình",
                       leaders="Đ/c Võ Quốc Dũng")
    with pytest.raises(PermissionDenied):
        actions.save_entry(acting_user=outsider, agency_id=sxd.pk, start=at(1, 14), content="x", leaders="y")
    with pytest.raises(PermissionDenied):
        actions.cancel_entry(acting_user=outsider, entry_id=entry.pk)
    with pytest.raises(PermissionDenied):
        actions.publish_week(acting_user=outsider, agency_id=sxd.pk, week="")
    assert ScheduleEntry.objects.count() == 2 and not WeekPublication.objects.exists()


@pytest.mark.parametrize("changes, field", [
    ({"content": ""}, "content"), ({"leaders": " "}, "leaders"), ({"start": "ngày mai"}, "start"),
    ({"end": "2020-01-01T08:00"}, "end"), ({"place": "x" * 301}, "place"), ({"agency_id": "abc"}, "agency"),
])
def test_bad_input_is_refused_in_vietnamese_and_nothing_is_saved(clerk_office, sxd, changes, field):
    values = {"agency_id": sxd.pk, "start": at(0, 8), "end": at(0, 9), "content": "Họp", "leaders": "Đ/c A"}
    values.update(changes)
    with pytest.raises(InvalidInput) as exc:
        actions.save_entry(acting_user=clerk_office, **values)
    assert exc.value.errors[0]["field"] == field and exc.value.message
    assert not ScheduleEntry.objects.exists() and not AuditEvent.objects.filter(action__startswith="schedules").exists()


def test_an_unpublished_week_is_not_public_and_an_empty_week_cannot_be_published(entry, clerk_office, sxd):
    assert queries.public_agency(sxd.code) is None
    assert not queries.today_entries().exists()
    with pytest.raises(InvalidInput):
        actions.publish_week(acting_user=clerk_office, agency_id=sxd.pk, week="2020-W01")
    with pytest.raises(InvalidInput):
        actions.publish_week(acting_user=clerk_office, agency_id=sxd.pk, week="tuần sau")


def test_edits_after_publication_are_marked_changed_and_cancelled_entries_stay(published, clerk_office, sxd):
    assert published.changed_at is None and published.sequence == 0
    changed = actions.save_entry(acting_user=clerk_office, agency_id=sxd.pk, entry_id=published.pk,
                                 start=at(0, 9), end=at(0, 11), content=published.content, leaders=published.leaders,
                                 place="Hội trường UBND thành phố", participants=published.participants,
                                 host_unit=published.host_unit)
    assert changed.sequence == 1 and changed.changed_at is not None
    assert "thời gian bắt đầu" in changed.change_note and "địa điểm" in changed.change_note
    extra = actions.save_entry(acting_user=clerk_office, agency_id=sxd.pk, start=at(0, 15), content="Tiếp dân",
                               leaders="Đ/c Võ Quốc Dũng")
    assert extra.change_note == "Bổ sung sau khi công bố lịch"
    actions.cancel_entry(acting_user=clerk_office, entry_id=extra.pk, reason="Lãnh đạo đi công tác")
    assert ScheduleEntry.objects.count() == 2
    with pytest.raises(InvalidInput):
        actions.save_entry(acting_user=clerk_office, agency_id=sxd.pk, entry_id=extra.pk, start=at(0, 16),
                           content="x", leaders="y")
    assert [e.uid for e in queries.today_entries()] == [changed.uid, extra.uid]


def test_the_ics_feed_has_uid_dtstart_sequence_and_cancelled_status(published, clerk_office, sxd, client):
    actions.save_entry(acting_user=clerk_office, agency_id=sxd.pk, entry_id=published.pk, start=at(0, 9),
                       end=at(0, 11), content=published.content, leaders=published.leaders)
    cancelled = actions.save_entry(acting_user=clerk_office, agency_id=sxd.pk, start=at(0, 15), end=at(0, 16),
                                   content="Tiếp công dân định kỳ", leaders="Đ/c Võ Quốc Dũng")
    actions.cancel_entry(acting_user=clerk_office, entry_id=cancelled.pk, reason="Hoãn")
    response = client.get(f"/lich-cong-tac/{sxd.code}/lich.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = {str(e["UID"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}
    first, second = events[published.uid], events[cancelled.uid]
    assert first.decoded("DTSTART") == at(0, 9) and int(first["SEQUENCE"]) == 1
    assert str(first["STATUS"]) == "CONFIRMED" and "Họp giao ban Sở" in str(first["SUMMARY"])
    assert str(second["STATUS"]) == "CANCELLED" and int(second["SEQUENCE"]) == 1
    assert client.get("/lich-cong-tac/000.99.99.H13/lich.ics").status_code == 404
    # The same feed through vobject, an iCalendar parser other than the library that wrote it.
    feed = vobject.readOne(response.content.decode())
    assert [tz.tzid.value for tz in feed.vtimezone_list] == ["Asia/Ho_Chi_Minh"]  # RFC 5545: each TZID defined
    vevents = {e.uid.value: e for e in feed.vevent_list}
    assert set(vevents) == {published.uid, cancelled.uid}
    first, second = vevents[published.uid], vevents[cancelled.uid]
    assert first.dtstart.value.utcoffset() == datetime.timedelta(hours=7)
    assert first.dtstart.value == at(0, 9) and first.dtend.value == at(0, 11)
    assert int(first.sequence.value) == 1 and first.status.value == "CONFIRMED"
    assert first.summary.value == "Họp giao ban Sở" and "Lãnh đạo: Đ/c Võ Quốc Dũng" in first.description.value
    assert second.status.value == "CANCELLED" and second.summary.value == "Tiếp công dân định kỳ"
