"""Pages and API over the actions: Vietnamese messages for bad input, never
a 500, the import page lists bad rows, members' contacts only to staff."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tinhso.digitalteams import actions
from tinhso.digitalteams.models import Activity, Team
from tinhso.digitalteams.tests.conftest import xlsx

pytestmark = pytest.mark.django_db
PASSWORD = "Matkhau-2026!"


@pytest.fixture
def team(communes):
    team = actions.create_team(acting_user=communes.nk_staff, agency=communes.ninhkieu, name="Tổ khu vực 1",
                               hamlet="Khu vực 1")
    actions.add_member(acting_user=communes.nk_staff, team_id=team.pk, full_name="Nguyễn Văn An", role="leader",
                       phone="0912345678", email="an@gmail.com")
    return team


def test_log_form_saves_and_shows_a_message_for_bad_input(communes, team, client):
    client.login(username="motcua.ninhkieu", password=PASSWORD)
    page = client.get("/to-cong-nghe-so/ghi-hoat-dong/").content.decode()
    assert "Tổ khu vực 1" in page and "Kích hoạt định danh điện tử (VNeID)" in page
    bad = client.post("/to-cong-nghe-so/ghi-hoat-dong/", {"team": team.pk, "kind": "vneid", "people_helped": "-3",
                                                          "day": "hôm qua"})
    assert bad.status_code == 422 and "Số người được hỗ trợ" in bad.content.decode()
    ok = client.post("/to-cong-nghe-so/ghi-hoat-dong/", {"team": team.pk, "kind": "vneid", "people_helped": "4",
                                                         "day": timezone.localdate().isoformat(), "place": "Chợ"})
    assert ok.status_code == 302 and Activity.objects.get().people_helped == 4


def test_another_communes_staff_cannot_log_through_the_form(communes, team, client):
    client.login(username="vanhoa.vithanh1", password=PASSWORD)
    response = client.post("/to-cong-nghe-so/ghi-hoat-dong/", {"team": team.pk, "kind": "vneid", "people_helped": "4",
                                                               "day": timezone.localdate().isoformat()})
    assert response.status_code == 422 and not Activity.objects.exists()


def test_team_page_shows_contacts_to_staff_and_creates_members(communes, team, client):
    client.login(username="vanhoa.ninhkieu", password=PASSWORD)
    page = client.get(f"/to-cong-nghe-so/{team.pk}/").content.decode()
    assert "0912345678" in page and "an@gmail.com" in page
    bad = client.post(f"/to-cong-nghe-so/{team.pk}/", {"full_name": "", "role": "member"})
    assert bad.status_code == 422 and "Nhập họ và tên" in bad.content.decode()
    client.logout()
    assert client.get(f"/to-cong-nghe-so/{team.pk}/").status_code == 302  # to sign-in


def test_index_creates_a_team_for_ones_own_commune(communes, client):
    client.login(username="vanhoa.ninhkieu", password=PASSWORD)
    response = client.post("/to-cong-nghe-so/", {"agency": communes.ninhkieu.pk, "name": "Tổ khu vực 4",
                                                 "hamlet": "Khu vực 4"})
    assert response.status_code == 302 and Team.objects.get().hamlet == "Khu vực 4"
    refused = client.post("/to-cong-nghe-so/", {"agency": communes.vithanh.pk, "name": "Tổ lạ"})
    assert refused.status_code == 422 and Team.objects.count() == 1


def test_import_page_lists_bad_rows(communes, client):
    client.login(username="vanhoa.ninhkieu", password=PASSWORD)
    upload = xlsx([("Phường Ninh Kiều", "Tổ khu vực 2", "", "Nguyễn Văn Hai", "Tổ trưởng", "", ""),
                   ("Phường Ninh Kiều", "Tổ khu vực 2", "", "Trần Văn Ba", "Chủ nhiệm", "", "")])
    page = client.post("/to-cong-nghe-so/nhap-excel/", {"file": upload}).content.decode()
    assert "Đã tạo 1 tổ, thêm 1 thành viên" in page and "<td>3</td>" in page and "Chủ nhiệm" in page
    assert client.get("/to-cong-nghe-so/nhap-excel/?mau=1")["Content-Type"].startswith("application/vnd.openxml")
    assert client.post("/to-cong-nghe-so/nhap-excel/", {}).status_code == 422


def test_api_lists_teams_without_contacts_and_logs_with_the_same_rules(communes, team, client):
    client.login(username="vanhoa.ninhkieu", password=PASSWORD)
    listed = client.get("/api/v1/digital-teams")
    assert listed.status_code == 200 and listed.json()[0]["members"] == 1 and "0912345678" not in listed.content.decode()
    ok = client.post(f"/api/v1/digital-teams/{team.pk}/activities",
                     {"kind": "online_dossier", "people_helped": 2, "day": timezone.localdate().isoformat()},
                     content_type="application/json")
    assert ok.status_code == 201, ok.content
    bad = client.post(f"/api/v1/digital-teams/{team.pk}/activities",
                      {"kind": "xyz", "people_helped": 2, "day": timezone.localdate().isoformat()},
                      content_type="application/json")
    assert bad.status_code == 422 and bad.json()["code"] == "kind_invalid"
    client.login(username="vanhoa.vithanh1", password=PASSWORD)
    refused = client.post(f"/api/v1/digital-teams/{team.pk}/activities",
                          {"kind": "vneid", "people_helped": 2, "day": timezone.localdate().isoformat()},
                          content_type="application/json")
    assert refused.status_code == 403
    report = client.get("/api/v1/digital-teams/report?months=2").json()
    assert next(r for r in report if r["agency_code"] == communes.ninhkieu.code)["months"][-1]["people"] == 2


def test_trainings_page_records_a_training_and_reports_bad_input(communes, team, client):
    member = team.members.get()
    client.login(username="vanhoa.ninhkieu", password=PASSWORD)
    bad = client.post("/to-cong-nghe-so/tap-huan/", {"agency": communes.ninhkieu.pk, "held_on": "", "topic": "VNeID",
                                                    "organiser": "Sở KH&CN"})
    assert bad.status_code == 422 and "ngày tập huấn" in bad.content.decode()
    ok = client.post("/to-cong-nghe-so/tap-huan/", {"agency": communes.ninhkieu.pk, "held_on": "2026-10-05",
                                                   "topic": "Hướng dẫn VNeID", "organiser": "Sở Khoa học và Công nghệ",
                                                   "members": [member.pk]})
    assert ok.status_code == 302
    assert "Hướng dẫn VNeID" in client.get("/to-cong-nghe-so/tap-huan/").content.decode()


def test_a_linked_member_without_a_staff_role_uses_the_phone_form_only(communes, team, client):
    from tinhso.accounts.models import User

    account = User.objects.create_user(username="tcns.binh", password=PASSWORD, full_name="Lê Thị Bình")
    outsider = User.objects.create_user(username="nguoi.ngoai", password=PASSWORD, full_name="Người ngoài")
    actions.add_member(acting_user=communes.nk_staff, team_id=team.pk, full_name="Lê Thị Bình", user=account)
    client.login(username="nguoi.ngoai", password=PASSWORD)
    assert client.get("/to-cong-nghe-so/ghi-hoat-dong/").status_code == 403
    client.login(username="tcns.binh", password=PASSWORD)
    assert client.get("/to-cong-nghe-so/").status_code == 403  # the staff pages are not theirs
    response = client.post("/to-cong-nghe-so/ghi-hoat-dong/", {"team": team.pk, "kind": "citizen_app",
                                                               "people_helped": "3",
                                                               "day": timezone.localdate().isoformat()})
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.member.user == account and activity.logged_by == account
    assert outsider.digital_team_memberships.count() == 0


def test_the_commune_service_centres_clerk_opens_the_communes_teams_as_the_actions_allow(communes, team, client):
    """The clerk sits in the commune's service centre, below the committee that
    owns the teams: the actions let them manage (works_in), so the pages show
    the teams too; another commune's team stays hidden."""
    client.login(username="motcua.ninhkieu", password=PASSWORD)
    assert "Tổ khu vực 1" in client.get("/to-cong-nghe-so/").content.decode()
    page = client.get(f"/to-cong-nghe-so/{team.pk}/")
    assert page.status_code == 200 and "0912345678" in page.content.decode()
    other = actions.create_team(acting_user=communes.vt_staff,
                                agency=communes.vithanh, name="Tổ Vị Thanh", hamlet="Khu vực 2")
    assert client.get(f"/to-cong-nghe-so/{other.pk}/").status_code == 404
