from django.urls import reverse

from tinhso.audit.models import AuditEvent
from tinhso.backoffice.navigation import items_for
from tinhso.dashboard.models import KpiTarget

URL = "/dashboard/"


def get(client, user, url=URL, **params):
    client.force_login(user)
    return client.get(url, params)


def test_commune_leader_sees_their_commune(client, data):
    KpiTarget.objects.create(indicator="online_share", target=60)
    response = get(client, data.w.leader, year=2025)
    assert response.status_code == 200
    html = response.content.decode()
    assert data.w.committee.name in html
    assert "62,5%" in html or "62.5%" in html  # online share of commune A in 2025
    assert "75,0%" in html or "75.0%" in html  # on-time rate
    assert "Đạt" in html
    assert data.w.other_committee.name not in html  # commune B is not in the table
    assert "Nguyễn Văn An" not in html  # aggregates only


def test_province_leader_sees_the_province_and_any_agency(client, data):
    html = get(client, data.province_leader, year=2025).content.decode()
    assert "Toàn tỉnh" in html and data.w.other_committee.name in html
    response = get(client, data.province_leader, year=2025, agency=data.w.other_committee.pk)
    assert response.status_code == 200 and response.context["figures"]["received"] == 2


def test_out_of_scope_and_non_leaders_get_403(client, data):
    assert get(client, data.w.leader, agency=data.w.other_committee.pk).status_code == 403
    assert get(client, data.w.clerk).status_code == 403
    assert get(client, data.w.specialist).status_code == 403
    assert get(client, data.w.leader, agency=987654).status_code == 404
    client.logout()
    assert client.get(URL).status_code == 302


def test_bad_filters_give_a_message_not_a_500(client, data):
    response = get(client, data.w.leader, year="abc")
    assert response.status_code == 200 and "chưa hợp lệ" in response.content.decode()
    response = get(client, data.w.leader, date_from="2025-03-01", date_to="2025-01-01")
    assert response.status_code == 200 and "Đến ngày" in response.content.decode()
    response = get(client, data.w.leader, date_from="2025-01-01", date_to="2025-01-31")
    assert response.status_code == 200 and response.context["figures"]["finished"] == 2  # A1, A4
    assert get(client, data.w.leader, agency="x").status_code == 200


def test_navigation_entry_for_leaders_only(data):
    assert any(i["url"] == URL for i in items_for(data.w.leader))
    assert any(i["url"] == URL for i in items_for(data.operations))
    assert not any(i["url"] == URL for i in items_for(data.w.clerk))


def test_targets_pages_for_administrators(client, data):
    assert get(client, data.w.leader, reverse("dashboard:targets")).status_code == 403
    client.force_login(data.w.admin)
    assert client.get(reverse("dashboard:targets")).status_code == 200
    response = client.post(reverse("dashboard:targets"), {"indicator": "on_time_rate", "target": "97.5",
                                                          "agency": str(data.w.committee.pk),
                                                          "valid_from": "2026-01-01", "basis": "KH 01"})
    assert response.status_code == 302
    target = KpiTarget.objects.get(indicator="on_time_rate", agency=data.w.committee)
    assert str(target.target) == "97.50"
    assert AuditEvent.objects.filter(action="dashboard.target.created", actor=data.w.admin).exists()
    # overlapping -> form error, not a 500
    response = client.post(reverse("dashboard:targets"), {"indicator": "on_time_rate", "target": "90",
                                                          "agency": str(data.w.committee.pk)})
    assert response.status_code == 422 and "Đã có chỉ tiêu" in response.content.decode()
    response = client.post(reverse("dashboard:targets"), {"indicator": "on_time_rate", "target": "150"})
    assert response.status_code == 422
    edit = reverse("dashboard:target_edit", args=[target.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"indicator": "on_time_rate", "target": "98", "agency": str(data.w.committee.pk),
                                  "valid_from": "2026-01-01", "basis": "KH 01", "verified": "on"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert str(target.target) == "98.00" and target.verified
    assert client.post(edit, {"delete": "1"}).status_code == 302
    assert not KpiTarget.objects.filter(pk=target.pk).exists()


def test_admin_site_lists_targets_read_only(client, data):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tinhso.accounts.models import User

    KpiTarget.objects.create(indicator="online_share", target=50, basis="Mặc định")
    root = User.objects.create_superuser("root", password="Matkhau-2026!", email="")
    TOTPDevice.objects.create(user=root, name="app", confirmed=True)  # required of administrators
    client.force_login(root)
    assert client.get("/django-admin/dashboard/kpitarget/").status_code == 200
    assert client.get("/django-admin/dashboard/kpitarget/add/").status_code == 403
