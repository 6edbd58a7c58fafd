import pytest

from tinhso.digitalteams.demo import seed_teams
from tinhso.digitalteams.models import Activity, Member, Team, Training


@pytest.mark.django_db
def test_demo_teams_cover_every_demo_commune_and_seed_once(real_units):
    from tinhso.demo.seed import seed_agencies

    seed_agencies()
    seed_teams()
    counts = (Team.objects.count(), Member.objects.count(), Training.objects.count(), Activity.objects.count())
    assert counts[0] == 14 and Team.objects.values("agency").distinct().count() == 6 and counts[3] > 100
    seed_teams()
    assert (Team.objects.count(), Member.objects.count(), Training.objects.count(),
            Activity.objects.count()) == counts
