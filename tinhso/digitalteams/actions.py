"""Every change to digital teams, members, trainings and activities.

Who may do what (docs/digital-teams.md): a commune's own staff (any role in
the commune's people's committee or an agency below it, `works_in`) manage
its teams and log activities on behalf of members; a member whose row is
linked to a user account logs their own team's activities; the system
administrator may import for every commune. Nobody above the commune edits
its teams (the province reads the counts).

A team disbanded is deactivated (`deactivate_team`, undone by `reactivate_team`)
and a member who left is marked so (`member_leaves`, undone by `member_returns`):
nothing is deleted, so trainings and activities stay as history, but neither
counts any more in the figures the province reports (teams, communes with
teams, members: `queries`), the activity form or new members."""

from __future__ import annotations

import datetime
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import has_role, works_in
from tinhso.agencies.models import Agency, AgencyKind
from tinhso.audit.actions import record
from tinhso.core.errors import Conflict, NotFound, PermissionDenied, field_error
from tinhso.digitalteams.models import Activity, ActivityKind, Member, MemberRole, Team, Training

PHONE = re.compile(r"^\+?[0-9 .]{8,20}$")
MAX_PEOPLE = 1000


def _text(value, field: str, label: str, limit: int, required: bool = True) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise field_error(field, _("Nhập %(label)s.") % {"label": label}, f"{field}_required")
    if len(text) > limit:
        raise field_error(field, _("%(label)s dài quá %(limit)s ký tự.") % {"label": label.capitalize(), "limit": limit},
                   f"{field}_too_long")
    return text


def can_manage(user, agency: Agency) -> bool:
    return works_in(user, agency) or has_role(user, Role.SYSTEM_ADMIN)


def _require_manage(user, agency: Agency) -> None:
    if not can_manage(user, agency):
        raise PermissionDenied(_("Chỉ cán bộ của %(unit)s quản lý tổ công nghệ số của xã, phường mình.")
                               % {"unit": agency.name}, code="not_commune_staff")


def _commune(agency: Agency) -> Agency:
    if agency is None or agency.kind != AgencyKind.COMMUNE_COMMITTEE or not agency.is_active:
        raise field_error("agency", _("Tổ công nghệ số thuộc một UBND xã, phường đang hoạt động."), "not_commune")
    return agency


def _phone(value) -> str:
    phone = _text(value, "phone", _("điện thoại"), 20, required=False)
    if phone and not PHONE.match(phone):
        raise field_error("phone", _("Số điện thoại “%(phone)s” không hợp lệ.") % {"phone": phone}, "phone_invalid")
    return phone


def _email(value) -> str:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    email = _text(value, "email", _("thư điện tử"), 254, required=False)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise field_error("email", _("Địa chỉ thư điện tử “%(email)s” không hợp lệ.") % {"email": email},
                       "email_invalid") from None
    return email


@transaction.atomic
def create_team(*, acting_user, agency: Agency, name: str, hamlet: str = "",
                established_on: datetime.date | None = None) -> Team:
    _commune(agency)
    _require_manage(acting_user, agency)
    name = _text(name, "name", _("tên tổ"), 200)
    hamlet = _text(hamlet, "hamlet", _("ấp, khu vực, tổ dân phố"), 200, required=False)
    same = Team.objects.filter(agency=agency, name=name).first()
    if same is not None and not same.is_active:
        raise field_error("name", _("%(unit)s đã có tổ “%(name)s”, đã ngừng hoạt động; mở tổ đó và cho hoạt động lại.")
                          % {"unit": agency.name, "name": name}, "team_exists")
    if same is not None:
        raise field_error("name", _("%(unit)s đã có tổ “%(name)s”.") % {"unit": agency.name, "name": name}, "team_exists")
    team = Team.objects.create(agency=agency, name=name, hamlet=hamlet, established_on=established_on)
    record(actor=acting_user, action="digitalteams.team.created", obj=team, changes={"hamlet": hamlet})
    return team


def _team_for_change(acting_user, team_id, *, lock: bool = False) -> Team:
    rows = Team.objects.select_for_update(of=("self",)) if lock else Team.objects
    team = rows.select_related("agency").filter(pk=team_id).first() \
        if str(team_id).isdigit() and len(str(team_id)) <= 12 else None
    if team is None:
        raise NotFound(_("Không tìm thấy tổ công nghệ số."))
    _require_manage(acting_user, team.agency)
    return team


def _require_active(team: Team) -> None:
    if not team.is_active:
        raise Conflict(_("Tổ “%(name)s” đã ngừng hoạt động; cho tổ hoạt động lại trước.") % {"name": team.name},
                       code="team_inactive")


@transaction.atomic
def deactivate_team(*, acting_user, team_id, reason: str) -> Team:
    """Ngừng hoạt động: the team was disbanded (or merged into another). It
    leaves the reported counts and the activity form; its members, trainings
    and activities are kept."""
    team = _team_for_change(acting_user, team_id, lock=True)
    reason = _text(reason, "reason", _("lý do ngừng hoạt động"), 300)
    if not team.is_active:
        raise Conflict(_("Tổ “%(name)s” đã ngừng hoạt động.") % {"name": team.name}, code="team_inactive")
    team.is_active = False
    team.save(update_fields=["is_active"])
    record(actor=acting_user, action="digitalteams.team.deactivated", obj=team, note=reason,
           changes={"is_active": [True, False]})
    return team


@transaction.atomic
def reactivate_team(*, acting_user, team_id, reason: str = "") -> Team:
    """Hoạt động lại: a team deactivated by mistake, or formed again."""
    team = _team_for_change(acting_user, team_id, lock=True)
    reason = _text(reason, "reason", _("lý do"), 300, required=False)
    if team.is_active:
        raise Conflict(_("Tổ “%(name)s” đang hoạt động.") % {"name": team.name}, code="team_active")
    team.is_active = True
    team.save(update_fields=["is_active"])
    record(actor=acting_user, action="digitalteams.team.reactivated", obj=team, note=reason,
           changes={"is_active": [False, True]})
    return team


def _member_for_change(acting_user, member_id) -> Member:
    member = Member.objects.select_for_update(of=("self",)).select_related("team__agency").filter(
        pk=member_id).first() if str(member_id).isdigit() and len(str(member_id)) <= 12 else None
    if member is None:
        raise NotFound(_("Không tìm thấy thành viên tổ."))
    _require_manage(acting_user, member.team.agency)
    return member


@transaction.atomic
def member_leaves(*, acting_user, member_id, reason: str = "") -> Member:
    """Rời tổ: the member no longer takes part. They leave the member counts
    and can no longer log activities with a linked account; the activities
    they logged stay."""
    member = _member_for_change(acting_user, member_id)
    reason = _text(reason, "reason", _("lý do"), 300, required=False)
    if not member.is_active:
        raise Conflict(_("%(name)s đã rời tổ.") % {"name": member.full_name}, code="member_inactive")
    member.is_active = False
    member.save(update_fields=["is_active"])
    record(actor=acting_user, action="digitalteams.member.left", obj=member.team, note=reason,
           changes={"member": member.full_name, "member_id": member.pk, "is_active": [True, False]},
           personal_data=True)
    return member


@transaction.atomic
def member_returns(*, acting_user, member_id) -> Member:
    """Trở lại tổ: a member marked as left by mistake, or back again (in an active team)."""
    member = _member_for_change(acting_user, member_id)
    _require_active(member.team)
    if member.is_active:
        raise Conflict(_("%(name)s đang là thành viên của tổ.") % {"name": member.full_name}, code="member_active")
    member.is_active = True
    member.save(update_fields=["is_active"])
    record(actor=acting_user, action="digitalteams.member.returned", obj=member.team,
           changes={"member": member.full_name, "member_id": member.pk, "is_active": [False, True]},
           personal_data=True)
    return member


@transaction.atomic
def add_member(*, acting_user, team_id, full_name: str, role: str = MemberRole.MEMBER, phone: str = "",
               email: str = "", user=None) -> Member:
    team = _team_for_change(acting_user, team_id)
    _require_active(team)
    full_name = _text(full_name, "full_name", _("họ và tên"), 200)
    if role not in MemberRole.values:
        raise field_error("role", _("Vai trò trong tổ là tổ trưởng, tổ phó hoặc thành viên."), "role_invalid")
    phone, email = _phone(phone), _email(email)
    same = Member.objects.filter(team=team, full_name=full_name, phone=phone).first()
    if same is not None and not same.is_active:
        raise field_error("full_name", _("%(name)s đã rời tổ; dùng nút “Trở lại tổ” trong danh sách thành viên đã "
                                         "rời tổ.") % {"name": full_name}, "member_left")
    if same is not None:
        raise field_error("full_name", _("Tổ đã có thành viên %(name)s.") % {"name": full_name}, "member_exists")
    member = Member.objects.create(team=team, full_name=full_name, role=role, phone=phone, email=email, user=user)
    record(actor=acting_user, action="digitalteams.member.added", obj=team,
           changes={"member": full_name, "role": role, "account": user.get_username() if user else ""},
           personal_data=True)
    return member


@transaction.atomic
def record_training(*, acting_user, agency: Agency, held_on, topic: str, organiser: str,
                    member_ids=()) -> Training:
    _commune(agency)
    _require_manage(acting_user, agency)
    if not isinstance(held_on, datetime.date):
        raise field_error("held_on", _("Nhập ngày tập huấn hợp lệ."), "held_on_invalid")
    topic = _text(topic, "topic", _("chủ đề"), 300)
    organiser = _text(organiser, "organiser", _("đơn vị tổ chức"), 200)
    ids = {int(i) for i in member_ids if str(i).isdigit() and len(str(i)) <= 12}
    members = list(Member.objects.filter(pk__in=ids, team__agency=agency))
    if len(members) != len(ids) or len(ids) != len(list(member_ids)):
        raise field_error("members", _("Có thành viên không thuộc tổ của %(unit)s.") % {"unit": agency.name},
                   "unknown_member")
    training = Training.objects.create(agency=agency, held_on=held_on, topic=topic, organiser=organiser)
    training.attendees.set(members)
    record(actor=acting_user, action="digitalteams.training.recorded", obj=training,
           changes={"attendees": len(members)})
    return training


def loggable_teams(user):
    """Teams the user may log activities for: the communes they work in, and
    their own team as a linked member."""
    from django.db.models import Q

    from tinhso.accounts.permissions import own_paths, role_paths

    condition = Q(members__user=user, members__is_active=True)
    # `works_in`: a role in the commune's committee or an agency below it (its service centre), not above.
    paths = [p for _r, p in role_paths(user)]
    communes = [a.pk for a in Agency.objects.filter(kind=AgencyKind.COMMUNE_COMMITTEE).only("pk", "path")
                if own_paths(a, paths)] if paths else []
    condition |= Q(agency__in=communes)
    return Team.objects.filter(condition, is_active=True).select_related("agency").distinct()


@transaction.atomic
def log_activity(*, acting_user, team_id, kind: str, people_helped, day, place: str = "", note: str = "",
                 member_id=None) -> Activity:
    """Log one session of help. Commune staff log for any of the commune's
    teams (naming the member if they wish); a linked member logs for their
    own team, as themselves."""
    from tinhso.digitalteams.policies import backdate_days

    team = Team.objects.select_related("agency").filter(pk=team_id).first() \
        if str(team_id).isdigit() and len(str(team_id)) <= 12 else None
    if team is None or not team.is_active:
        raise NotFound(_("Không tìm thấy tổ công nghệ số đang hoạt động."))
    own = Member.objects.filter(team=team, user=acting_user, is_active=True).first() \
        if getattr(acting_user, "is_authenticated", False) else None
    if not works_in(acting_user, team.agency) and own is None:
        raise PermissionDenied(_("Chỉ cán bộ của %(unit)s hoặc thành viên của tổ được ghi hoạt động.")
                               % {"unit": team.agency.name}, code="not_team")
    if kind not in ActivityKind.values:
        raise field_error("kind", _("Chọn loại hỗ trợ."), "kind_invalid")
    try:
        people = int(str(people_helped).strip())
    except (TypeError, ValueError):
        people = 0
    if not 1 <= people <= MAX_PEOPLE:
        raise field_error("people_helped", _("Số người được hỗ trợ là số nguyên từ 1 đến %(max)s.") % {"max": MAX_PEOPLE},
                   "people_invalid")
    today = timezone.localdate()
    if not isinstance(day, datetime.date):
        raise field_error("day", _("Nhập ngày hỗ trợ hợp lệ."), "day_invalid")
    if day > today:
        raise field_error("day", _("Ngày hỗ trợ không được sau hôm nay."), "day_in_future")
    if day < today - datetime.timedelta(days=backdate_days()):
        raise field_error("day", _("Chỉ ghi hoạt động trong %(days)s ngày gần nhất.") % {"days": backdate_days()},
                   "day_too_old")
    member = None
    if member_id not in (None, ""):
        member = Member.objects.filter(pk=member_id, team=team, is_active=True).first() \
            if str(member_id).isdigit() and len(str(member_id)) <= 12 else None
        if member is None:
            raise field_error("member", _("Thành viên không thuộc tổ này."), "member_invalid")
    if own is not None and not works_in(acting_user, team.agency):
        member = own
    activity = Activity.objects.create(
        team=team, member=member, kind=kind, people_helped=people, day=day,
        place=_text(place, "place", _("địa điểm"), 200, required=False),
        note=_text(note, "note", _("ghi chú"), 500, required=False), logged_by=acting_user)
    record(actor=acting_user, action="digitalteams.activity.logged", obj=activity,
           changes={"team": team.pk, "kind": kind, "people_helped": people, "day": str(day)})
    return activity
