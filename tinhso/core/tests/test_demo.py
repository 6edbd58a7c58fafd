import pytest
from django.core.management import call_command

from tinhso.accounts.models import Role, RoleAssignment, User
from tinhso.agencies.models import Agency
from tinhso.catalogue.models import Procedure
from tinhso.dossiers.models import Dossier


@pytest.mark.django_db
def test_demo_data_covers_every_role_and_loads_twice_without_change(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "TinhSo@2026" in out and "motcua.tinh" in out
    counts = (User.objects.count(), Agency.objects.count(), RoleAssignment.objects.count(), Procedure.objects.count(),
              Dossier.objects.count())
    assert set(Dossier.objects.values_list("status", flat=True)) >= {4, 5, 10}
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)
    assert Procedure.objects.count() >= 30
    assert Agency.objects.filter(kind="commune_committee", unit__parent__code="92").count() >= 5
    assert Agency.objects.get(code="000.00.00.H13").unit.name == "Thành phố Cần Thơ"
    call_command("seed_demo")
    assert (User.objects.count(), Agency.objects.count(), RoleAssignment.objects.count(),
            Procedure.objects.count(), Dossier.objects.count()) == counts


@pytest.mark.django_db
def test_demo_staff_can_sign_in_with_the_printed_password(client):
    call_command("seed_demo")
    assert client.login(username="motcua.tinh", password="TinhSo@2026")
