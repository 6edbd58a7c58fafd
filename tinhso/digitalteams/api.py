"""/api/v1/digital-teams: the teams of the communes in one's scope, logging a
support activity (same rules as the phone form) and the counts by commune
and month. Members' contacts are not in the API."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from ninja import Field, Query, Router, Schema
from ninja.security import django_auth

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import agencies_in_scope
from tinhso.core.api import ErrorOut
from tinhso.digitalteams import actions, queries
from tinhso.digitalteams.models import Team

router = Router(tags=["Tổ công nghệ số cộng đồng"], auth=django_auth)
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class TeamOut(Schema):
    id: int
    agency_code: str
    commune: str
    name: str
    hamlet: str
    is_active: bool
    members: int


class ActivityIn(Schema):
    kind: str = Field(..., max_length=30, description="citizen_app, online_dossier, bank_account, vneid, other")
    people_helped: int = Field(..., ge=1, le=actions.MAX_PEOPLE)
    day: datetime.date
    place: str = Field("", max_length=200)
    note: str = Field("", max_length=500)
    member_id: int | None = None


class ActivityOut(Schema):
    id: int
    team_id: int
    kind: str
    people_helped: int
    day: datetime.date


class MonthOut(Schema):
    month: datetime.date
    activities: int
    people: int


class CommuneOut(Schema):
    agency_code: str
    commune: str
    teams: int
    members: int
    months: list[MonthOut]


class TeamQuery(Schema):
    offset: int = Field(0, ge=0, le=1_000_000)
    limit: int = Field(100, ge=1, le=500)


class ReportQuery(Schema):
    months: int = Field(6, ge=1, le=24)


@router.get("", response={200: list[TeamOut], **ERRORS}, summary="Các tổ công nghệ số")
def list_teams(request, filters: Query[TeamQuery]):
    qs = (Team.objects.filter(agency__in=agencies_in_scope(request.user, Role.values)).select_related("agency__unit")
          .annotate(n=Count("members", filter=Q(members__is_active=True))).order_by("agency__path", "name"))
    return [{"id": t.pk, "agency_code": t.agency.code, "commune": t.agency.unit.name, "name": t.name,
             "hamlet": t.hamlet, "is_active": t.is_active, "members": t.n}
            for t in qs[filters.offset:filters.offset + filters.limit]]


@router.post("/{team_id}/activities", response={201: ActivityOut, **ERRORS}, summary="Ghi hoạt động hỗ trợ")
def log_activity(request, team_id: int, payload: ActivityIn):
    a = actions.log_activity(acting_user=request.user, team_id=team_id, kind=payload.kind,
                             people_helped=payload.people_helped, day=payload.day, place=payload.place,
                             note=payload.note, member_id=payload.member_id)
    return 201, {"id": a.pk, "team_id": a.team_id, "kind": a.kind, "people_helped": a.people_helped, "day": a.day}


@router.get("/report", response={200: list[CommuneOut], **ERRORS}, summary="Số liệu theo xã, phường và tháng")
def report(request, filters: Query[ReportQuery]):
    data = queries.report(filters.months)
    return [{"agency_code": r["agency"].code, "commune": r["agency"].unit.name, "teams": r["teams"],
             "members": r["members"],
             "months": [{"month": m, **c} for m, c in zip(data["months"], r["months"])]} for r in data["rows"]]
