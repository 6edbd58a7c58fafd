"""Teams, members, trainings and activities: the commune's own staff manage
and log, a linked member logs for their own team, others are refused; bad
input refused with nothing saved; the Excel import keeps good rows and
lists bad ones; counts by commune and month, page and Excel."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tinhso.audit.models import AuditEvent
from tinhso.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tinhso.digitalteams import actions, importer, queries
from tinhso.digitalteams.models import Activity, Member, Team
from tinhso.digitalteams.tests.conftest import xlsx

pytestmark = pytest.mark.django_db
PASSWORD = "Matkhau-2026!"


@pytest.fixture
def team(communes):
    return actions.create_team(acting_user=communes.nk_staff, agency=communes.ninhkieu,
                               name="Tổ công nghệ số khu vực 1", hamlet="Khu vực 1")


def _log(user, team, **kw):
    values = {"kind": "vneid", "people_helped": 5, "day": timezone.localdate(), "place": "Nhà văn hóa khu vực 1"}
    values.update(kw)
    return actions.log_activity(acting_user=user, team_id=team.pk, **values)


def test_commune_staff_log_for_their_teams_and_others_are_refused(communes, team):
    activity = _log(communes.nk_clerk, team)  # the commune's service centre is the commune's own staff
    assert activity.people_helped == 5 and activity.logged_by == communes.nk_clerk
    assert AuditEvent.objects.filter(action="digitalteams.activity.logged", object_id=str(activity.pk)).exists()
    for outsider in (communes.vt_staff, communes.city_leader):  # another commune; the city above it
        with pytest.raises(PermissionDenied):
            _log(outsider, team)
    assert Activity.objects.count() == 1


def test_a_member_with_an_account_logs_for_their_own_team_as_themselves(communes, team):
    from tinhso.accounts.models import User

    account = User.objects.create_user(username="tcns.an", password=PASSWORD, full_name="Nguyễn Văn An")
    member = actions.add_member(acting_user=communes.nk_staff, team_id=team.pk, full_name="Nguyễn Văn An",
                                role="leader", phone="0912 345 678", user=account)
    other_team = actions.create_team(acting_user=communes.vt_staff, agency=communes.vithanh, name="Tổ ấp 1")
    activity = _log(account, team, kind="citizen_app")
    assert activity.member == member
    with pytest.raises(PermissionDenied):
        _log(account, other_team)
    member.is_active = False
    member.save()
    with pytest.raises(PermissionDenied):
        _log(account, team)


def test_only_the_communes_staff_manage_its_teams(communes, team):
    with pytest.raises(PermissionDenied):
        actions.create_team(acting_user=communes.vt_staff, agency=communes.ninhkieu, name="Tổ lạ")
    with pytest.raises(PermissionDenied):
        actions.add_member(acting_user=communes.city_leader, team_id=team.pk, full_name="Người ngoài")
    with pytest.raises(InvalidInput):  # teams belong to a commune committee
        actions.create_team(acting_user=communes.admin, agency=communes.top, name="Tổ tỉnh")
    with pytest.raises(InvalidInput):
        actions.create_team(acting_user=communes.nk_staff, agency=communes.ninhkieu, name="Tổ công nghệ số khu vực 1")
    assert Team.objects.count() == 1


@pytest.mark.parametrize("change, code", [
    ({"kind": "nau_an"}, "kind_invalid"),
    ({"people_helped": 0}, "people_invalid"),
    ({"people_helped": "năm"}, "people_invalid"),
    ({"people_helped": 5000}, "people_invalid"),
    ({"day": None}, "day_invalid"),
    ({"day": timezone.localdate() + datetime.timedelta(days=1)}, "day_in_future"),
    ({"day": timezone.localdate() - datetime.timedelta(days=400)}, "day_too_old"),
    ({"member_id": 999999}, "member_invalid"),
    ({"place": "x" * 300}, "place_too_long"),
])
def test_bad_activity_input_is_refused_and_nothing_saved(communes, team, change, code):
    with pytest.raises(InvalidInput) as err:
        _log(communes.nk_staff, team, **change)
    assert err.value.code == code and err.value.message
    assert not Activity.objects.exists()


def test_unknown_team_and_bad_member_contacts(communes, team):
    with pytest.raises(NotFound):
        actions.log_activity(acting_user=communes.nk_staff, team_id="abc", kind="vneid", people_helped=1,
                             day=timezone.localdate())
    with pytest.raises(InvalidInput, match="điện thoại"):
        actions.add_member(acting_user=communes.nk_staff, team_id=team.pk, full_name="A", phone="gọi tôi")
    with pytest.raises(InvalidInput, match="thư điện tử"):
        actions.add_member(acting_user=communes.nk_staff, team_id=team.pk, full_name="A", email="khong-phai-email")
    assert not Member.objects.exists()


def test_training_records_the_members_present(communes, team):
    member = actions.add_member(acting_user=communes.nk_staff, team_id=team.pk, full_name="Trần Thị Bé")
    other = actions.add_member(acting_user=communes.vt_staff, team_id=actions.create_team(
        acting_user=communes.vt_staff, agency=communes.vithanh, name="Tổ ấp 3").pk, full_name="Lâm Văn Tư")
    training = actions.record_training(acting_user=communes.nk_staff, agency=communes.ninhkieu,
                                       held_on=datetime.date(2026, 10, 5), topic="Hướng dẫn VNeID mức 2",
                                       organiser="Sở Khoa học và Công nghệ", member_ids=[member.pk])
    assert list(training.attendees.all()) == [member]
    with pytest.raises(InvalidInput):  # a member of another commune
        actions.record_training(acting_user=communes.nk_staff, agency=communes.ninhkieu,
                                held_on=datetime.date(2026, 10, 6), topic="X", organiser="Y", member_ids=[other.pk])


def test_import_keeps_good_rows_and_lists_bad_ones_with_row_numbers(communes):
    upload = xlsx([
        ("Phường Ninh Kiều", "Tổ khu vực 2", "Khu vực 2", "Nguyễn Văn Hai", "Tổ trưởng", "0901234567", ""),
        ("Phường Ninh Kiều", "Tổ khu vực 2", "Khu vực 2", "Trần Thị Ba", "Thành viên", "0907654321", "ba@gmail.com"),
        ("Phường Không Có", "Tổ X", "", "Lê Văn Bốn", "Thành viên", "", ""),
        ("Phường Ninh Kiều", "Tổ khu vực 2", "", "Võ Văn Năm", "Trưởng nhóm", "", ""),
        ("Phường Ninh Kiều", "Tổ khu vực 2", "", "Phạm Văn Sáu", "Tổ phó", "điện thoại", ""),
        (None, None, None, None, None, None, None),
        ("Xã Vị Thanh 1", "Tổ ấp 1", "Ấp 1", "Thạch Văn Bảy", "Tổ trưởng", "", ""),  # not their commune
        ("Phường Ninh Kiều", "", "", "Huỳnh Văn Tám", "", "", ""),
    ])
    result = importer.import_members(acting_user=communes.nk_staff, upload=upload)
    assert (result.teams_created, result.members_added, result.unchanged) == (1, 2, 0)
    assert [e["row"] for e in result.errors] == [4, 5, 6, 8, 9]
    reasons = {e["row"]: e["message"] for e in result.errors}
    assert "Phường Không Có" in reasons[4] and "Trưởng nhóm" in reasons[5] and "điện thoại" in reasons[6]
    assert "Chỉ cán bộ của Ủy ban nhân dân Xã Vị Thanh 1" in reasons[8] and "tên tổ" in reasons[9]
    assert set(Member.objects.values_list("full_name", flat=True)) == {"Nguyễn Văn Hai", "Trần Thị Ba"}
    again = importer.import_members(acting_user=communes.nk_staff, upload=xlsx([
        ("Phường Ninh Kiều", "Tổ khu vực 2", "Khu vực 2", "Nguyễn Văn Hai", "Tổ trưởng", "0901234567", "")]))
    assert (again.members_added, again.unchanged) == (0, 1)


def test_import_counts_a_new_team_only_when_its_row_is_saved(communes):
    """A row whose team is new and whose member is then refused rolls the team back with it: the team is not
    reported as created (the report matched the database: 1 reported, 0 saved)."""
    result = importer.import_members(acting_user=communes.nk_staff, upload=xlsx([
        ("Phường Ninh Kiều", "Tổ khu vực 4", "Khu vực 4", "Lê Văn Một", "Thành viên", "", "khong-phai-email"),
        ("Phường Ninh Kiều", "Tổ khu vực 5", "Khu vực 5", "Lê Văn Hai", "Thành viên", "gọi tôi", ""),
        ("Phường Ninh Kiều", "Tổ khu vực 6", "Khu vực 6", "Lê Văn Ba", "Tổ trưởng", "0901111222", ""),
        ("Phường Ninh Kiều", "Tổ khu vực 4", "Khu vực 4", "Lê Văn Bốn", "Thành viên", "", ""),
    ]))
    assert [e["row"] for e in result.errors] == [2, 3]
    assert "thư điện tử" in result.errors[0]["message"] and "điện thoại" in result.errors[1]["message"]
    assert (result.teams_created, result.members_added) == (2, 2)
    assert sorted(Team.objects.values_list("name", flat=True)) == ["Tổ khu vực 4", "Tổ khu vực 6"]
    assert result.teams_created == Team.objects.count() and result.members_added == Member.objects.count()
    event = AuditEvent.objects.get(action="digitalteams.imported")
    assert event.changes["teams_created"] == 2 and event.changes["bad_rows"] == 2


def test_import_refuses_a_file_that_is_not_the_template(communes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(InvalidInput, match="XLSX"):
        importer.import_members(acting_user=communes.nk_staff,
                                upload=SimpleUploadedFile("a.xlsx", b"not excel", content_type="text/plain"))
    with pytest.raises(InvalidInput, match="Dòng tiêu đề"):
        importer.import_members(acting_user=communes.nk_staff, upload=xlsx([("a", "b")], header=("Cột A", "Cột B")))
    assert not Team.objects.exists()


def test_counts_by_commune_and_month_with_chart_and_excel(communes, team, client):
    today = timezone.localdate()
    _log(communes.nk_staff, team, people_helped=7)
    _log(communes.nk_staff, team, kind="bank_account", people_helped=3)
    actions.add_member(acting_user=communes.nk_staff, team_id=team.pk, full_name="Nguyễn Thị Mười",
                       phone="0911222333", email="muoi@gmail.com")
    data = queries.report(3, today)
    row = next(r for r in data["rows"] if r["agency"] == communes.ninhkieu)
    assert row["teams"] == 1 and row["members"] == 1 and row["months"][-1] == {"activities": 2, "people": 10}
    chart = queries.chart(data)
    assert any("7 người" in m["title"] for m in chart["marks"])
    client.login(username="vanhoa.vithanh1", password=PASSWORD)
    page = client.get("/to-cong-nghe-so/bao-cao/").content.decode()
    assert "Phường Ninh Kiều" in page and "<svg" in page and "2 / 10" in page
    assert "0911222333" not in page and "muoi@gmail.com" not in page
    book = load_workbook(io.BytesIO(client.get("/to-cong-nghe-so/bao-cao/?thang=3&format=xlsx").content))
    sheet = {r[0]: r for r in book["Theo xa phuong"].iter_rows(min_row=2, values_only=True)}
    assert sheet["Phường Ninh Kiều"][1:3] == (1, 1) and sheet["Phường Ninh Kiều"][-2:] == (2, 10)


def test_programme_figures_count_active_teams_and_the_communes_that_have_one(communes, team):
    from tinhso.dashboard import programme

    actions.create_team(acting_user=communes.nk_staff, agency=communes.ninhkieu, name="Tổ khu vực 2")
    actions.create_team(acting_user=communes.vt_staff, agency=communes.vithanh, name="Tổ ấp 3")
    assert queries.programme_figures in programme._PROVIDERS  # registered by the app
    figures = {f.key: (f.value, f.unit) for f in queries.programme_figures()}
    assert figures == {"community_teams": (3, "tổ"), "communes_with_teams": (2, "xã, phường")}
    Team.objects.filter(name="Tổ ấp 3").update(is_active=False)  # Vị Thanh 1's only team
    figures = {f.key: f.value for f in queries.programme_figures()}
    assert figures == {"community_teams": 2, "communes_with_teams": 1}
    assert queries.report()["communes_with_teams"] == 1 and queries.report()["teams"] == 2
    # with their targets (seeded: 1,340 teams in 235 communes)
    got = {f.key: f.target for f in programme.figures()}
    assert (got["community_teams"], got["communes_with_teams"]) == (1340, 235)


def test_a_disbanded_team_and_a_member_who_left_leave_the_counts_not_the_history(communes, team):
    stays = actions.add_member(acting_user=communes.nk_staff, team_id=team.pk, full_name="Trần Thị Bé")
    leaves = actions.add_member(acting_user=communes.nk_staff, team_id=team.pk, full_name="Lê Văn Đi",
                                phone="0912000111")
    _log(communes.nk_staff, team, people_helped=4, member_id=leaves.pk)
    other = actions.create_team(acting_user=communes.vt_staff, agency=communes.vithanh, name="Tổ ấp 3")
    actions.add_member(acting_user=communes.vt_staff, team_id=other.pk, full_name="Thạch Văn Bảy")
    _log(communes.vt_staff, other, people_helped=6)

    actions.member_leaves(acting_user=communes.nk_staff, member_id=leaves.pk, reason="Chuyển công tác")
    event = AuditEvent.objects.get(action="digitalteams.member.left")
    assert event.actor == communes.nk_staff and event.note == "Chuyển công tác" and event.personal_data
    assert event.changes["member"] == "Lê Văn Đi"
    actions.deactivate_team(acting_user=communes.vt_staff, team_id=other.pk, reason="Sáp nhập vào tổ ấp 1")
    event = AuditEvent.objects.get(action="digitalteams.team.deactivated")
    assert event.object_id == str(other.pk) and event.note == "Sáp nhập vào tổ ấp 1"

    data = queries.report(1)
    rows = {r["agency"].pk: r for r in data["rows"]}
    assert (rows[communes.ninhkieu.pk]["teams"], rows[communes.ninhkieu.pk]["members"]) == (1, 1)
    assert (rows[communes.vithanh.pk]["teams"], rows[communes.vithanh.pk]["members"]) == (0, 0)
    assert (data["teams"], data["members"], data["communes_with_teams"]) == (1, 1, 1)
    # their activities stay, in the month they were logged
    assert rows[communes.ninhkieu.pk]["people"] == 4 and rows[communes.vithanh.pk]["people"] == 6
    assert {f.key: f.value for f in queries.programme_figures()} == {"community_teams": 1, "communes_with_teams": 1}
    assert Member.objects.filter(pk=leaves.pk).exists() and Activity.objects.filter(team=other).count() == 1
    assert Activity.objects.get(team=team).member == leaves and stays.is_active

    # gone from the activity form and from new members
    with pytest.raises(NotFound):
        _log(communes.vt_staff, other)
    with pytest.raises(InvalidInput):
        _log(communes.nk_staff, team, member_id=leaves.pk)
    with pytest.raises(Conflict):
        actions.add_member(acting_user=communes.vt_staff, team_id=other.pk, full_name="Người mới")
    with pytest.raises(InvalidInput, match="đã rời tổ"):
        actions.add_member(acting_user=communes.nk_staff, team_id=team.pk, full_name="Lê Văn Đi", phone="0912000111")
    with pytest.raises(InvalidInput, match="ngừng hoạt động"):
        actions.create_team(acting_user=communes.vt_staff, agency=communes.vithanh, name="Tổ ấp 3")

    # undone: back in the counts
    actions.reactivate_team(acting_user=communes.vt_staff, team_id=other.pk)
    actions.member_returns(acting_user=communes.nk_staff, member_id=leaves.pk)
    assert {f.key: f.value for f in queries.programme_figures()} == {"community_teams": 2, "communes_with_teams": 2}
    assert queries.report(1)["members"] == 3
    assert {e.action for e in AuditEvent.objects.filter(action__in=[
        "digitalteams.team.reactivated", "digitalteams.member.returned"])} == {
        "digitalteams.team.reactivated", "digitalteams.member.returned"}


def test_deactivating_and_leaving_are_refused_to_others_and_twice(communes, team):
    member = actions.add_member(acting_user=communes.nk_staff, team_id=team.pk, full_name="Trần Thị Bé")
    for outsider in (communes.vt_staff, communes.city_leader):  # another commune; the city above it
        with pytest.raises(PermissionDenied):
            actions.deactivate_team(acting_user=outsider, team_id=team.pk, reason="Giải thể")
        with pytest.raises(PermissionDenied):
            actions.member_leaves(acting_user=outsider, member_id=member.pk)
    with pytest.raises(InvalidInput) as err:  # a reason is required
        actions.deactivate_team(acting_user=communes.nk_staff, team_id=team.pk, reason="  ")
    assert err.value.code == "reason_required"
    with pytest.raises(NotFound):
        actions.deactivate_team(acting_user=communes.nk_staff, team_id="x1", reason="Giải thể")
    with pytest.raises(NotFound):
        actions.member_leaves(acting_user=communes.nk_staff, member_id=999999)
    with pytest.raises(Conflict):  # active already
        actions.reactivate_team(acting_user=communes.nk_staff, team_id=team.pk)
    with pytest.raises(Conflict):
        actions.member_returns(acting_user=communes.nk_staff, member_id=member.pk)
    assert Team.objects.get().is_active and Member.objects.get().is_active
    assert not AuditEvent.objects.filter(action__in=["digitalteams.team.deactivated", "digitalteams.member.left"])

    actions.member_leaves(acting_user=communes.nk_clerk, member_id=member.pk)  # the commune's service centre may
    actions.deactivate_team(acting_user=communes.admin, team_id=team.pk, reason="Giải thể")  # the administrator too
    with pytest.raises(Conflict):
        actions.deactivate_team(acting_user=communes.nk_staff, team_id=team.pk, reason="Giải thể")
    with pytest.raises(Conflict):
        actions.member_leaves(acting_user=communes.nk_staff, member_id=member.pk)
    with pytest.raises(Conflict):  # not back into a disbanded team
        actions.member_returns(acting_user=communes.nk_staff, member_id=member.pk)
    with pytest.raises(PermissionDenied):
        actions.reactivate_team(acting_user=communes.vt_staff, team_id=team.pk)
    assert not Team.objects.get().is_active and not Member.objects.get().is_active


def test_the_team_page_buttons(communes, team, client):
    member = actions.add_member(acting_user=communes.nk_staff, team_id=team.pk, full_name="Trần Thị Bé",
                                phone="0912000111")
    url = f"/to-cong-nghe-so/{team.pk}/"
    client.login(username="vanhoa.ninhkieu", password=PASSWORD)
    page = client.get(url).content.decode()
    assert f'action="{url}thanh-vien/{member.pk}/roi-to/"' in page and f'action="{url}ngung-hoat-dong/"' in page
    response = client.post(f"{url}thanh-vien/{member.pk}/roi-to/", follow=True)
    page = response.content.decode()
    assert "Đã ghi thành viên rời tổ." in page and 'id="former-members"' in page and "Trở lại tổ" in page
    response = client.post(f"{url}ngung-hoat-dong/", {"reason": ""}, follow=True)
    assert "Nhập lý do ngừng hoạt động." in response.content.decode() and Team.objects.get().is_active
    response = client.post(f"{url}ngung-hoat-dong/", {"reason": "Giải thể"}, follow=True)
    page = response.content.decode()
    assert "tổ không còn được tính" in page and 'id="team-state"' in page and "Cho tổ hoạt động lại" in page
    assert "Thêm thành viên" not in page and "Ghi hoạt động hỗ trợ" not in page
    assert not Team.objects.get().is_active and not Member.objects.get().is_active
    response = client.post(f"{url}hoat-dong-lai/", follow=True)
    assert "Tổ đã hoạt động lại." in response.content.decode() and Team.objects.get().is_active
    assert client.get(f"{url}ngung-hoat-dong/").status_code == 405

    # another commune's staff: no buttons, and a crafted post is refused with the reason, nothing changed
    client.logout()
    client.login(username="lanhdao.tp", password=PASSWORD)  # the city sees the team but does not manage it
    page = client.get(url).content.decode()
    assert "ngung-hoat-dong" not in page and "Rời tổ" not in page
    response = client.post(f"{url}ngung-hoat-dong/", {"reason": "Giải thể"}, follow=True)
    assert "Chỉ cán bộ của Ủy ban nhân dân Phường Ninh Kiều" in response.content.decode()
    assert Team.objects.get().is_active
    client.logout()
    client.login(username="vanhoa.vithanh1", password=PASSWORD)  # cannot even see it
    assert client.post(f"{url}ngung-hoat-dong/", {"reason": "Giải thể"}).status_code == 404
    assert client.post(f"{url}thanh-vien/{member.pk}/tro-lai/").status_code == 404
    assert Team.objects.get().is_active and not Member.objects.get().is_active
