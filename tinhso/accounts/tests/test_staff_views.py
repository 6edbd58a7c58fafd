import pytest

from tinhso.accounts.models import Role, RoleAssignment, User
from tinhso.audit.models import AuditEvent


@pytest.mark.django_db
def test_admin_creates_staff_and_assigns_a_role_through_the_pages(client, admin_user, agency):
    client.force_login(admin_user)
    response = client.post("/accounts/staff/", {"username": "chuyenvien1", "full_name": "Lê Văn A",
                                                "email": "", "password": "Mot-mat-khau-dai"})
    user = User.objects.get(username="chuyenvien1")
    assert response["Location"] == f"/accounts/staff/{user.pk}/"
    client.post(f"/accounts/staff/{user.pk}/", {"agency": agency.pk, "role": Role.SPECIALIST})
    assert RoleAssignment.objects.filter(user=user, agency=agency, role=Role.SPECIALIST).exists()
    assert AuditEvent.objects.filter(action="accounts.user.created", actor=admin_user).exists()


@pytest.mark.django_db
def test_duplicate_username_is_refused_with_a_message(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/accounts/staff/", {"username": "admin", "full_name": "X", "password": "Mot-mat-khau-dai"})
    assert "đã được dùng" in response.content.decode()
    assert User.objects.filter(username="admin").count() == 1
