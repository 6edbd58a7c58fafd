import pytest
from django.utils import timezone

from tinhso.dashboard.models import ProgrammeValue
from tinhso.reports import dti
from tinhso.reports.demo import seed_scorecard
from tinhso.reports.models import DtiAssessment, DtiScore

pytestmark = pytest.mark.django_db


def test_the_demo_scorecard_loads_twice_without_change(data):
    seed_scorecard()
    counts = (ProgrammeValue.objects.count(), DtiAssessment.objects.count(), DtiScore.objects.count())
    assert counts[0] == 5 and counts[1] == 2 and counts[2] > 10
    year = timezone.localdate().year
    results = {a.methodology.year: dti.result(a).dti for a in DtiAssessment.objects.all()}
    assert set(results) == {year - 1, year} and results[year] > results[year - 1] > 0
    seed_scorecard()
    assert (ProgrammeValue.objects.count(), DtiAssessment.objects.count(), DtiScore.objects.count()) == counts
