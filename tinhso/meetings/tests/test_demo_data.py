import pytest

from tinhso.meetings.demo import seed_meetings
from tinhso.meetings.models import Meeting, MeetingRoom, Participant
from tinhso.meetings.queries import connected_share


@pytest.mark.django_db
def test_demo_meetings_show_five_of_six_communes_connected_and_seed_once(real_units):
    from tinhso.demo.seed import seed_agencies

    seed_agencies()
    seed_meetings()
    counts = (Meeting.objects.count(), MeetingRoom.objects.count(), Participant.objects.count())
    assert counts[0] == 5 and counts[1] == 7
    assert connected_share()[:2] == (5, 6)
    seed_meetings()
    assert (Meeting.objects.count(), MeetingRoom.objects.count(), Participant.objects.count()) == counts
