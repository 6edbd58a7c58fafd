import pytest
from django.core.management import call_command

from tinhso.accounts.models import Role, RoleAssignment, User
from tinhso.agencies.models import Agency
from tinhso.catalogue.models import Procedure
from tinhso.dossiers.models import Dossier, Status


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
    # The e-ID sandbox's first citizen signs in (portal, app) to a dossier of his own that waits for a supplement.
    from tinhso.identity.demo import sandbox_people

    first = User.objects.get(id_number=sandbox_people()[0]["id_number"])
    assert first.dossiers.filter(status=Status.SUPPLEMENT).exists()
    call_command("seed_demo")
    assert (User.objects.count(), Agency.objects.count(), RoleAssignment.objects.count(),
            Procedure.objects.count(), Dossier.objects.count()) == counts


@pytest.mark.django_db
def test_demo_staff_can_sign_in_with_the_printed_password(client):
    call_command("seed_demo")
    assert client.login(username="motcua.tinh", password="TinhSo@2026")


@pytest.mark.django_db
def test_the_demo_generates_a_year_of_dossiers_once_so_the_dashboard_shows_a_picture(capsys, settings):
    from django.utils import timezone

    from tinhso.dashboard import queries

    settings.TINHSO_TSA_URL = "off"
    call_command("seed_demo", dossiers=300)
    assert "Đã sinh 300 hồ sơ mô phỏng" in capsys.readouterr().out
    total = Dossier.objects.count()
    call_command("seed_demo", dossiers=300)  # again: nothing more
    assert Dossier.objects.count() == total and "Đã sinh" not in capsys.readouterr().out
    today = timezone.localdate()
    period = queries.Period.between(today.replace(day=1) - __import__("datetime").timedelta(days=330), today)
    months = queries.by_month(None, period)
    assert sum(m["received"] for m in months) >= 250
    assert sum(1 for m in months if m["received"]) >= 10  # spread over the year
