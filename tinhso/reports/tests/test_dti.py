"""DTI self-assessment: the seeded 2022 structure, the index computed as
Decision 922 says (checked against a hand calculation), computed indicators
from rows built here, validation, permissions, and the year-on-year page."""

from decimal import Decimal

import pytest

from tinhso.audit.models import AuditEvent
from tinhso.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tinhso.dashboard.live import MEASURES
from tinhso.reports import actions, dti
from tinhso.reports.models import DtiAssessment, DtiIndex, DtiIndicator, DtiMethodology, DtiScore

pytestmark = pytest.mark.django_db


def test_the_2022_structure_is_seeded_and_marked_incomplete():
    m = DtiMethodology.objects.get(year=2022)
    assert not m.complete and "chưa đầy đủ" in m.note and "922/QĐ-BTTTT" in m.decision
    indices = {i.code: i for i in m.indices.all()}
    assert [indices[c].max_points for c in "12345"] == [100] * 5
    assert indices["6"].name == "Đô thị thông minh" and indices["6"].max_points is None
    assert (indices["7"].max_points, indices["8"].max_points, indices["9"].max_points) == (200, 150, 150)
    assert sum(i.max_points or 0 for i in indices.values()) == m.total_points == 1000
    for index in indices.values():  # the examples never exceed their index
        assert sum(x.max_points for x in index.indicators.all()) <= (index.max_points or 0)
    computed = DtiIndicator.objects.filter(index__methodology=m, source="computed")
    assert computed.count() >= 3 and all(i.measure in MEASURES for i in computed)


@pytest.fixture
def constructed(data):
    """A made-up methodology for 2025: A (100: a1 60, a2 40), B (200: b1 100 computed from the online share,
    b2 100), C (150: c1 150), D not scored; total 450 points."""
    m = DtiMethodology.objects.create(year=2025, name="Bộ chỉ số thử", total_points=450)
    a = DtiIndex.objects.create(methodology=m, code="A", name="Nền tảng", pillar="foundation", max_points=100, order=1)
    b = DtiIndex.objects.create(methodology=m, code="B", name="Chính quyền số", pillar="activity", max_points=200,
                                order=2)
    c = DtiIndex.objects.create(methodology=m, code="C", name="Kinh tế số", pillar="activity", max_points=150, order=3)
    DtiIndex.objects.create(methodology=m, code="D", name="Đô thị thông minh", pillar="foundation", order=4)
    data.m = m
    data.a1 = DtiIndicator.objects.create(index=a, code="a1", name="a1", max_points=60)
    data.a2 = DtiIndicator.objects.create(index=a, code="a2", name="a2", max_points=40)
    data.b1 = DtiIndicator.objects.create(index=b, code="b1", name="b1", max_points=100, source="computed",
                                          measure="online_share")
    data.b2 = DtiIndicator.objects.create(index=b, code="b2", name="b2", max_points=100)
    data.c1 = DtiIndicator.objects.create(index=c, code="c1", name="c1", max_points=150)
    return data


def test_the_index_is_computed_as_the_methodology_says(constructed):
    d = constructed
    centre = d.operations
    assessment = actions.create_assessment(acting_user=centre, year=2025)
    actions.enter_score(acting_user=centre, assessment=assessment, indicator=d.a1, points="45", note="Biên bản")
    actions.enter_score(acting_user=centre, assessment=assessment, indicator=d.a2, points="30")
    actions.enter_score(acting_user=centre, assessment=assessment, indicator=d.b2, points="50")
    assert actions.compute_scores(acting_user=centre, assessment=assessment) == 1
    b1 = DtiScore.objects.get(indicator=d.b1)
    # the 2025 online share of the hand-computed province-year is 6 of 10 received = 60 % -> 60 of 100 points
    assert (b1.measured, b1.points, b1.source) == (Decimal("60.00"), Decimal("60.00"), "computed")
    r = dti.result(assessment)
    values = {ir.index.code: ir.value for ir in r.indices}
    # by hand: A = (45 + 30) / 100 = 0.75; B = (60 + 50) / 200 = 0.55; C = 0 / 150 (c1 missing); D not scored
    assert values == {"A": Decimal("0.7500"), "B": Decimal("0.5500"), "C": Decimal("0.0000"), "D": None}
    # DTI = (0.75 x 100 + 0.55 x 200 + 0 x 150) / 450 = 185 / 450
    assert r.dti == Decimal("0.4111") and r.missing == 1 and r.points == Decimal("185.00")
    # changing a score changes the index: a2 40 -> A = 0.85, DTI = 195 / 450
    actions.enter_score(acting_user=centre, assessment=assessment, indicator=d.a2, points="40")
    assert dti.result(assessment).dti == Decimal("0.4333")
    assert DtiScore.objects.get(indicator=d.a2).entered_by == centre
    assert AuditEvent.objects.filter(action="reports.dti.score_entered").count() == 4
    assert AuditEvent.objects.filter(action="reports.dti.scores_computed").count() == 1


def test_a_published_dti_recomputes_from_its_indices():
    """The formula on published-style figures: index values × maximum points / 1000 (1,000-point methodology)."""
    values = {"1": (Decimal("0.8"), 100), "2": (Decimal("0.7"), 100), "7": (Decimal("0.9"), 200)}
    total = sum(v * p for v, p in values.values()) / 1000
    assert total == Decimal("0.33")
    assert dti.index_value(80, 100) == Decimal("0.8000")
    assert dti.computed_points(Decimal(20), Decimal("120")) == Decimal(20)  # capped at the maximum
    assert dti.computed_points(Decimal(20), None) == Decimal(0)


def test_bad_scores_and_refusals(constructed):
    d = constructed
    assessment = actions.create_assessment(acting_user=d.operations, year=2025)
    with pytest.raises(Conflict):
        actions.create_assessment(acting_user=d.operations, year=2025)
    with pytest.raises(NotFound):
        actions.create_assessment(acting_user=d.operations, year=2031)
    with pytest.raises(InvalidInput):
        actions.create_assessment(acting_user=d.operations, year="năm nay")
    for points in ("61", "-1", "abc", "NaN"):
        with pytest.raises(InvalidInput) as exc:
            actions.enter_score(acting_user=d.operations, assessment=assessment, indicator=d.a1, points=points)
        assert exc.value.message
    with pytest.raises(Conflict):  # computed by the platform
        actions.enter_score(acting_user=d.operations, assessment=assessment, indicator=d.b1, points="10")
    other = DtiIndicator.objects.filter(index__methodology__year=2022).first()
    with pytest.raises(InvalidInput):  # not this year's methodology
        actions.enter_score(acting_user=d.operations, assessment=assessment, indicator=other, points="1")
    for user in (d.province_leader, d.w.clerk):
        with pytest.raises(PermissionDenied):
            actions.enter_score(acting_user=user, assessment=assessment, indicator=d.a1, points="1")
    with pytest.raises(PermissionDenied):  # the methodology is the administrator's
        actions.add_indicator(acting_user=d.operations, index=d.a1.index, code="a3", name="a3", max_points=1)
    with pytest.raises(InvalidInput) as exc:  # 60 + 40 already fill index A
        actions.add_indicator(acting_user=d.w.admin, index=d.a1.index, code="a3", name="a3", max_points=1)
    assert "vượt điểm tối đa" in exc.value.errors[0]["message"]
    for bad in ("1.5", "nan", "NaN", "-inf"):  # "nan" used to reach a comparison that raises (a 500)
        with pytest.raises(InvalidInput):
            actions.set_published(acting_user=d.operations, assessment=assessment, score=bad)
    assert DtiScore.objects.count() == 0


def test_a_new_version_and_year_on_year_comparison(constructed, client):
    d = constructed
    admin, centre = d.w.admin, d.operations
    v2026 = actions.copy_methodology(acting_user=admin, source=DtiMethodology.objects.get(year=2022), year=2026)
    assert v2026.indices.count() == 9 and DtiIndicator.objects.filter(index__methodology=v2026).count() == \
        DtiIndicator.objects.filter(index__methodology__year=2022).count()
    with pytest.raises(Conflict):
        actions.copy_methodology(acting_user=admin, source=v2026, year=2026)
    first = actions.create_assessment(acting_user=centre, year=2025)
    actions.enter_score(acting_user=centre, assessment=first, indicator=d.a1, points="45")
    actions.set_published(acting_user=centre, assessment=first, score="0,1", rank=40)
    second = actions.create_assessment(acting_user=centre, year=2026)
    eight = DtiIndicator.objects.get(index__methodology=v2026, code="8.1")
    actions.enter_score(acting_user=centre, assessment=second, indicator=eight, points="30")
    assert dti.result(second).dti == Decimal("0.0300") and dti.result(first).dti == Decimal("0.1000")

    client.force_login(d.province_leader)
    page = client.get("/bao-cao/dti/")
    html = page.content.decode()
    assert page.status_code == 200 and "DTI 2025" in html and "DTI 2026" in html and "<svg" in html
    assert "0,1000" in html or "0.1000" in html
    year = client.get("/bao-cao/dti/2026/").content.decode()
    assert "Kinh tế số" in year and "Dữ liệu mẫu chưa đầy đủ" in year
    refused = client.post("/bao-cao/dti/2026/", {"op": "score", "indicator": eight.pk, "points": "1"})
    assert refused.status_code == 422 and "cần vai trò" in refused.content.decode()
    client.force_login(centre)
    bad = client.post("/bao-cao/dti/2026/", {"op": "score", "indicator": eight.pk, "points": "31"})
    assert bad.status_code == 422 and "Điểm tối đa của chỉ số 8.1 là 30." in bad.content.decode()
    assert client.post("/bao-cao/dti/2026/", {"op": "score", "indicator": eight.pk, "points": "25,5"}).status_code \
        == 302
    assert DtiScore.objects.get(indicator=eight).points == Decimal("25.50")
    client.force_login(d.w.clerk)
    assert client.get("/bao-cao/dti/").status_code == 403
    assert DtiAssessment.objects.count() == 2


def test_the_administrator_corrects_an_indicator_in_the_back_office(constructed, client):
    d = constructed
    assessment = actions.create_assessment(acting_user=d.operations, year=2025)
    actions.enter_score(acting_user=d.operations, assessment=assessment, indicator=d.a1, points="45")
    with pytest.raises(InvalidInput):  # below the 45 points already given
        actions.update_indicator(acting_user=d.w.admin, indicator=d.a1, max_points="40")
    with pytest.raises(PermissionDenied):
        actions.update_indicator(acting_user=d.operations, indicator=d.a2, max_points="30")
    client.force_login(d.w.admin)
    response = client.post("/bao-cao/dti/2025/", {"op": "edit_indicator", "indicator": d.a2.pk, "name": "a2 mới",
                                                  "max_points": "30", "measure": "satisfaction"})
    assert response.status_code == 302
    d.a2.refresh_from_db()
    assert (d.a2.name, d.a2.max_points, d.a2.source, d.a2.measure) == ("a2 mới", 30, "computed", "satisfaction")
    assert AuditEvent.objects.filter(action="reports.dti.indicator_updated").count() == 1
    page = client.get("/bao-cao/dti/2025/")
    assert page.status_code == 200 and "a2 mới" in page.content.decode()
