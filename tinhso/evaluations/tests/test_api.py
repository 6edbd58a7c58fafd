"""Evaluation over the API: criteria public; only the owner, only after the
result was returned, only once; another's dossier is not revealed."""

import json

from tinhso.evaluations.models import Evaluation
from tinhso.evaluations.tests.conftest import make_citizen, open_dossier, returned_dossier


def _post(client, code, data):
    return client.post(f"/api/v1/evaluations/{code}", json.dumps(data), content_type="application/json")


def _all(client, value="satisfied"):
    return {c["code"]: value for c in client.get("/api/v1/evaluations/criteria").json()}


def test_the_owner_evaluates_once_through_the_api(client, world, citizen):
    d = returned_dossier(world, citizen)
    ratings = _all(client, "very_satisfied")
    assert len(ratings) == 12
    assert _post(client, d.code, {"overall": "satisfied", "ratings": ratings}).status_code == 401
    client.force_login(citizen)
    made = _post(client, d.code, {"overall": "very_satisfied", "ratings": ratings, "comment": "Nhanh"})
    assert made.status_code == 201 and made.json()["overall"] == "very_satisfied"
    assert _post(client, d.code, {"overall": "very_satisfied", "ratings": ratings}).status_code == 409
    assert Evaluation.objects.filter(dossier=d).count() == 1


def test_others_and_bad_input(client, world, citizen):
    d = returned_dossier(world, citizen)
    other = make_citizen("092095009999", "Người khác")
    client.force_login(other)
    assert _post(client, d.code, {"overall": "satisfied", "ratings": _all(client)}).status_code == 404
    client.force_login(citizen)
    bad = _post(client, d.code, {"overall": "tuyet_voi", "ratings": {}})
    assert bad.status_code == 422 and bad.json()["message"]
    partial = _post(client, d.code, {"overall": "satisfied", "ratings": {"khong_co": "satisfied"}})
    assert partial.status_code == 422
    still_open = open_dossier(world, citizen)
    assert _post(client, still_open.code, {"overall": "satisfied", "ratings": _all(client)}).status_code == 422
