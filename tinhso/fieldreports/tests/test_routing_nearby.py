"""Routing by area and category, and the nearby search for duplicates."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tinhso.fieldreports import actions, geo, rules
from tinhso.fieldreports.models import CategoryRoute, Reason, Status
from tinhso.fieldreports.queries import nearby_open
from tinhso.fieldreports.tests.conftest import NK_POINT, VT_POINT

pytestmark = pytest.mark.django_db


def test_route_prefers_the_commune_then_the_province_then_the_centre(world):
    now = timezone.now()
    assert rules.route(world.pothole, world.vithanh, now) == world.vt
    assert rules.route(world.pothole, world.ninhkieu, now) == world.nk
    assert rules.route(world.signs, world.vithanh, now) == world.construction  # a province-wide row
    assert rules.route(world.other, world.vithanh, now) is None                # the centre's queue
    CategoryRoute.objects.create(category=world.signs, unit=world.vithanh, agency=world.vt)
    assert rules.route(world.signs, world.vithanh, now) == world.vt            # the commune's own row wins


def test_routes_are_dated(world):
    today = timezone.localdate()
    CategoryRoute.objects.filter(category=world.pothole, unit=world.vithanh).update(
        valid_to=today - datetime.timedelta(days=1))
    CategoryRoute.objects.create(category=world.pothole, unit=world.vithanh, agency=world.construction,
                                 valid_from=today)
    assert rules.route(world.pothole, world.vithanh, timezone.now()) == world.construction
    assert rules.route(world.pothole, world.vithanh, timezone.now() - datetime.timedelta(days=3)) == world.vt


def test_confirming_routes_by_area(world, submit):
    report = submit(unit_id=world.ninhkieu.pk, lat=NK_POINT[0], lng=NK_POINT[1])
    assert actions.confirm(acting_user=world.centre, code=report.code).agency == world.nk
    other = submit(category_code="KH01")
    assert actions.confirm(acting_user=world.centre, code=other.code).status == Status.CONFIRMED
    moved = submit()
    confirmed = actions.confirm(acting_user=world.centre, code=moved.code, category_code="GT03")
    assert confirmed.agency == world.construction and confirmed.category == world.signs


def test_distance_and_inside():
    assert 110_000 < geo.distance_m(10.0, 105.0, 11.0, 105.0) < 112_000
    square = [[0, 0], [0, 1], [1, 1], [1, 0]]
    assert geo.inside(0.5, 0.5, square) and not geo.inside(1.5, 0.5, square)


def _offset(point, metres_north):
    return point[0] + metres_north / 111_195, point[1]


def test_nearby_finds_open_reports_of_the_same_or_a_sibling_category_within_250_m(world, submit):
    near = submit(lat=_offset(VT_POINT, 100)[0])
    sibling = submit(category_code="GT03", lat=_offset(VT_POINT, 200)[0])
    far = submit(lat=_offset(VT_POINT, 400)[0])
    other_group = submit(category_code="MT01", lat=_offset(VT_POINT, 50)[0])
    for report in (near, sibling, far, other_group):
        actions.confirm(acting_user=world.centre, code=report.code)
    found = nearby_open(VT_POINT[0], VT_POINT[1], world.pothole)
    assert [r.code for r in found] == [near.code, sibling.code]
    assert 90 <= found[0].distance <= 110
    # a hidden report is not offered to the public, but staff see it
    actions.hide(acting_user=world.centre, code=near.code, reason_id=Reason.objects.filter(kind="hide").first().pk)
    assert [r.code for r in nearby_open(VT_POINT[0], VT_POINT[1], world.pothole)] == [sibling.code]
    staff = nearby_open(VT_POINT[0], VT_POINT[1], world.pothole, 1000, 10, public_only=False)
    assert {r.code for r in staff} == {near.code, sibling.code, far.code}


def test_new_unconfirmed_reports_are_not_offered_to_the_public(world, submit):
    submit()
    assert nearby_open(VT_POINT[0], VT_POINT[1], world.pothole) == []


def test_the_hand_written_nearby_query_matches_the_orm_filters(world, submit):
    import random

    from tinhso.fieldreports.models import FieldReport
    from tinhso.fieldreports.models.report import OPEN_STATUSES
    from tinhso.fieldreports.queries import public_reports

    rng = random.Random(3)
    for i in range(30):
        report = submit(category_code=rng.choice(["GT01", "GT03", "MT01"]), description=f"Phản ánh {i}",
                        lat=VT_POINT[0] + rng.uniform(-0.004, 0.004), lng=VT_POINT[1] + rng.uniform(-0.004, 0.004))
        if rng.random() < 0.8:
            actions.confirm(acting_user=world.centre, code=report.code)
    for _ in range(10):
        lat, lng = VT_POINT[0] + rng.uniform(-0.003, 0.003), VT_POINT[1] + rng.uniform(-0.003, 0.003)
        for public_only in (True, False):
            base = public_reports() if public_only else FieldReport.objects.all()
            expected = sorted(((geo.distance_m(lat, lng, r.lat, r.lng), -r.pk, r.code)
                               for r in base.filter(status__in=OPEN_STATUSES, category__group="Giao thông")),
                              key=lambda t: t[:2])
            expected = [code for d, _, code in expected if d <= 300][:5]
            got = [r.code for r in nearby_open(lat, lng, world.pothole, 300, public_only=public_only)]
            assert got == expected


def test_the_hand_written_public_list_matches_the_orm(world, submit):
    import random

    from tinhso.fieldreports.models import Reason
    from tinhso.fieldreports.models.report import OPEN_STATUSES
    from tinhso.fieldreports.queries import public_page, public_reports

    rng = random.Random(8)
    base = timezone.now() - datetime.timedelta(days=40)
    for i in range(40):
        report = submit(category_code=rng.choice(["GT01", "MT01", "KH01"]), description=f"Phản ánh {i}",
                        unit_id=rng.choice([world.vithanh.pk, world.ninhkieu.pk]),
                        at=base + datetime.timedelta(days=i, hours=rng.randint(0, 23)))
        fate = rng.random()
        if fate < 0.15:
            continue
        if fate < 0.25:
            actions.reject(acting_user=world.centre, code=report.code,
                           reason_id=Reason.objects.filter(kind="reject").first().pk)
            continue
        actions.confirm(acting_user=world.centre, code=report.code)
        if fate > 0.9:
            actions.hide(acting_user=world.centre, code=report.code,
                         reason_id=Reason.objects.filter(kind="hide").first().pk)
    world.garbage.is_public = False
    world.garbage.save()
    day = (base + datetime.timedelta(days=20)).date()
    cases = [({}, {}), ({"category": "GT01"}, {"category__code": "GT01"}),
             ({"unit": str(world.ninhkieu.pk)}, {"unit": world.ninhkieu}),
             ({"state": "open"}, {"status__in": OPEN_STATUSES}), ({"state": "assigned"}, {"status": "assigned"}),
             ({"from": day.isoformat()}, {"created_at__date__gte": day}),
             ({"to": day.isoformat(), "category": "KH01"}, {"created_at__date__lte": day, "category__code": "KH01"}),
             ({"from": "not-a-date", "unit": "x"}, {})]
    for params, orm in cases:
        expected = [r.code for r in public_reports().filter(**orm).order_by("-created_at", "-id")]
        rows, total, _ = public_page(params, 1, 100, count=True)
        assert [r.code for r in rows] == expected, params
        assert total == len(expected)
    first, _, _ = public_page({}, 1, 5)
    second, _, _ = public_page({}, 2, 5)
    assert [r.code for r in first + second] == [r.code for r in public_reports().order_by("-created_at", "-id")[:10]]


def test_a_hidden_place_is_not_given_away_by_the_distance(world, submit):
    hidden = submit(hide_location=True, lat=VT_POINT[0] + 0.0003, lng=VT_POINT[1] + 0.0002)
    actions.confirm(acting_user=world.centre, code=hidden.code)
    shown = {round(nearby_open(VT_POINT[0] + dy, VT_POINT[1] + dx, world.pothole)[0].distance)
             for dy, dx in ((0, 0), (0.0004, 0), (0, 0.0004), (-0.0003, 0.0001))}
    assert all(d % 50 == 0 for d in shown)
    exact = nearby_open(VT_POINT[0], VT_POINT[1], world.pothole, public_only=False)[0].distance
    assert exact == round(geo.distance_m(VT_POINT[0], VT_POINT[1], hidden.lat, hidden.lng))  # staff see the real one
