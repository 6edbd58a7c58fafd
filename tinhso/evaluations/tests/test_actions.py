import datetime

import pytest

from tinhso.audit.models import AuditEvent
from tinhso.core.errors import Conflict, InvalidInput, PermissionDenied
from tinhso.dossiers.models import Dossier
from tinhso.evaluations.actions import can_evaluate, submit_evaluation
from tinhso.evaluations.criteria import DEFAULT_CRITERIA
from tinhso.evaluations.models import Criterion, CriterionRating, Evaluation
from tinhso.evaluations.queries import criteria_summary, satisfaction_summary
from tinhso.evaluations.tests.conftest import make_citizen, open_dossier, returned_dossier

CODES = [code for code, _ in DEFAULT_CRITERIA]


def all_rated(value="satisfied", **overrides):
    return {code: overrides.get(code, value) for code in CODES}


def test_the_migration_seeds_the_twelve_criteria_as_data():
    criteria = list(Criterion.objects.effective())
    assert len(criteria) == 12
    assert [c.code for c in criteria] == CODES and criteria[0].order == 1
    assert all(c.label for c in criteria)


def test_the_owner_evaluates_a_returned_dossier_once_and_it_is_audited(world, citizen):
    d = returned_dossier(world, citizen)
    assert can_evaluate(citizen, d)
    ev = submit_evaluation(acting_user=citizen, dossier=d, overall="very_satisfied",
                           ratings=all_rated(overall="very_satisfied", staff_attitude="not_satisfied"),
                           comment="  Cán bộ hướng dẫn nhiệt tình.  ")
    assert (ev.dossier, ev.citizen, ev.overall, ev.comment) == (d, citizen, "very_satisfied",
                                                                "Cán bộ hướng dẫn nhiệt tình.")
    assert ev.ratings.count() == 12
    assert ev.ratings.get(criterion__code="staff_attitude").rating == "not_satisfied"
    event = AuditEvent.objects.get(action="evaluations.submit")
    assert event.actor == citizen and event.object_id == str(ev.pk)
    assert event.changes["dossier"] == d.code and event.changes["overall"] == "very_satisfied"
    assert not can_evaluate(citizen, d)
    with pytest.raises(Conflict) as info:
        submit_evaluation(acting_user=citizen, dossier=d, overall="satisfied", ratings=all_rated(), comment="")
    assert info.value.code == "already_evaluated"
    assert Evaluation.objects.count() == 1 and CriterionRating.objects.count() == 12


def test_the_overall_criterion_takes_the_overall_rating_when_left_out(world, citizen):
    d = returned_dossier(world, citizen)
    ratings = all_rated()
    del ratings["overall"]
    ev = submit_evaluation(acting_user=citizen, dossier=d, overall="not_satisfied", ratings=ratings, comment="")
    assert ev.ratings.get(criterion__code="overall").rating == "not_satisfied"


def test_only_the_dossiers_citizen(world, citizen):
    d = returned_dossier(world, citizen)
    someone_else = make_citizen("092095009999", "Trần Thị Bình")
    for user in (someone_else, world.clerk):
        with pytest.raises(PermissionDenied):
            submit_evaluation(acting_user=user, dossier=d, overall="satisfied", ratings=all_rated(), comment="")
    anonymous_dossier = returned_dossier(world, None, day=3)  # received at the counter, no account
    with pytest.raises(PermissionDenied):
        submit_evaluation(acting_user=citizen, dossier=anonymous_dossier, overall="satisfied", ratings=all_rated())
    assert not Evaluation.objects.exists() and not AuditEvent.objects.filter(action="evaluations.submit").exists()


def test_only_after_the_result_was_returned(world, citizen):
    d = open_dossier(world, citizen)
    assert not can_evaluate(citizen, d)
    with pytest.raises(InvalidInput) as info:
        submit_evaluation(acting_user=citizen, dossier=d, overall="satisfied", ratings=all_rated(), comment="")
    assert info.value.code == "not_returned"
    Dossier.objects.filter(pk=d.pk).update(status=9)
    with pytest.raises(InvalidInput):
        submit_evaluation(acting_user=citizen, dossier=d, overall="satisfied", ratings=all_rated(), comment="")
    assert not Evaluation.objects.exists()


def test_every_criterion_and_a_valid_rating_are_required(world, citizen):
    d = returned_dossier(world, citizen)
    ratings = all_rated()
    del ratings["timeliness"]
    ratings["publicity"] = "so-so"
    ratings["unknown"] = "satisfied"
    with pytest.raises(InvalidInput) as info:
        submit_evaluation(acting_user=citizen, dossier=d, overall="", ratings=ratings, comment="")
    fields = {e["field"] for e in info.value.errors}
    assert fields == {"overall", "ratings.timeliness", "ratings.publicity", "ratings.unknown"}
    with pytest.raises(InvalidInput) as info:  # the overall question is asked once: both answers must agree
        submit_evaluation(acting_user=citizen, dossier=d, overall="satisfied",
                          ratings=all_rated(overall="not_satisfied"), comment="")
    assert [e["field"] for e in info.value.errors] == ["ratings.overall"]
    with pytest.raises(InvalidInput) as info:
        submit_evaluation(acting_user=citizen, dossier=d, overall="satisfied", ratings=all_rated(), comment="x" * 2001)
    assert [e["field"] for e in info.value.errors] == ["comment"]
    assert not Evaluation.objects.exists()


def test_criteria_follow_their_effective_dates(world, citizen):
    Criterion.objects.filter(code="online_quality").update(valid_to=datetime.date(2020, 12, 31))
    Criterion.objects.create(code="digital_result", label="Nhận kết quả điện tử", order=13)
    d = returned_dossier(world, citizen)
    ratings = all_rated()
    with pytest.raises(InvalidInput) as info:
        submit_evaluation(acting_user=citizen, dossier=d, overall="satisfied", ratings=ratings)
    assert {e["field"] for e in info.value.errors} == {"ratings.online_quality", "ratings.digital_result"}
    del ratings["online_quality"]
    ratings["digital_result"] = "very_satisfied"
    ev = submit_evaluation(acting_user=citizen, dossier=d, overall="satisfied", ratings=ratings)
    assert sorted(ev.ratings.values_list("criterion__code", flat=True)) == sorted(set(CODES) - {"online_quality"}
                                                                                  | {"digital_result"})


def test_satisfaction_summary_counts_ratings_and_the_satisfied_share(world, citizen):
    other = make_citizen("092095009999", "Trần Thị Bình")
    d1 = returned_dossier(world, citizen, day=2)
    d2 = returned_dossier(world, citizen, day=3)
    d3 = returned_dossier(world, other, day=4)
    returned_dossier(world, other, day=5)  # not evaluated
    open_dossier(world, citizen)
    submit_evaluation(acting_user=citizen, dossier=d1, overall="very_satisfied",
                      ratings=all_rated(overall="very_satisfied"))
    submit_evaluation(acting_user=citizen, dossier=d2, overall="satisfied",
                      ratings=all_rated(timeliness="not_satisfied"))
    submit_evaluation(acting_user=other, dossier=d3, overall="not_satisfied",
                      ratings=all_rated("not_satisfied", convenience="very_satisfied"))
    summary = satisfaction_summary(Dossier.objects.all())
    assert summary == {"dossiers": 5, "evaluated": 3, "very_satisfied": 1, "satisfied": 1, "not_satisfied": 1,
                       "satisfied_share": 0.6667, "evaluated_share": 0.6}
    mine = satisfaction_summary(Dossier.objects.filter(citizen=citizen, status=10))
    assert (mine["evaluated"], mine["satisfied_share"]) == (2, 1.0)
    empty = satisfaction_summary(Dossier.objects.none())
    assert empty["evaluated"] == 0 and empty["satisfied_share"] is None
    by_criterion = {row["code"]: row for row in criteria_summary(Dossier.objects.all())}
    assert len(by_criterion) == 12
    assert by_criterion["timeliness"]["not_satisfied"] == 2 and by_criterion["timeliness"]["satisfied_share"] == 0.3333
    assert by_criterion["convenience"]["very_satisfied"] == 1 and by_criterion["convenience"]["satisfied"] == 2
