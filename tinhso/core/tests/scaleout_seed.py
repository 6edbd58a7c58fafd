"""Seed for the multi-process test (test_scale_out.py), run in a separate
process against the test's own PostgreSQL database:

    python -c "from tinhso.core.tests.scaleout_seed import main; main()"

Migrates, then creates the minimum the traffic needs: a commune with its
one-stop centre and committee, the marriage-registration procedure with a
five-step internal process (tinhso/dossiers/tests/conftest.py), staff with
e-mail addresses (so notifications produce e-mail tasks) and one dossier
received long ago, overdue now (so the deadline job has work)."""

from __future__ import annotations

import datetime
import json
import sys

PASSWORD = "Matkhau-2026!"


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    print(json.dumps(seed()))
    sys.stdout.flush()


def seed() -> dict:
    from django.utils import timezone

    from tinhso.catalogue.actions import import_catalogue
    from tinhso.catalogue.models import ProcedureCase
    from tinhso.testing import make_agency, make_staff, make_unit
    from tinhso.dossiers import actions
    from tinhso.dossiers.actions import ComponentInput
    from tinhso.dossiers.tests.conftest import APPLICANT, catalogue_data

    province = make_unit("92", "Thành phố Cần Thơ", level="province")
    commune = make_unit("31321", "Phường Vị Thanh", level="commune", parent=province)
    committee = make_agency("000.31321.H13", "UBND Phường Vị Thanh", unit=commune, kind="commune_committee")
    centre = make_agency("001.31321.H13", "Trung tâm PVHCC Phường Vị Thanh", unit=commune, parent=committee,
                         kind="commune_service_centre")
    import_catalogue(catalogue_data(), acting_user=None, system=True)
    case = ProcedureCase.objects.get(procedure__code="1.000894", code="1")
    staff = {}
    for username, role, agency in [("motcua", "clerk", centre), ("chuyenvien", "specialist", committee),
                                   ("truongphong", "head_of_division", committee),
                                   ("lanhdao", "leader", committee)]:
        user = make_staff(username, roles=[(role, agency)], password=PASSWORD)
        user.email = f"{username}@cantho.example.vn"
        user.save(update_fields=["email"])
        staff[username] = user
    # Received 30 days ago: overdue now, for the deadline job.
    long_ago = timezone.now() - datetime.timedelta(days=30)
    overdue = actions.receive_at_counter(
        acting_user=staff["motcua"], receiving_agency=centre, case=case, applicant=dict(APPLICANT),
        components=[ComponentInput(required_component_id=case.components.get(order=1).pk, originals=1)],
        area=commune, at=long_ago)
    return {"centre": centre.code, "commune": commune.code, "component": case.components.get(order=1).pk,
            "overdue": overdue.code}


if __name__ == "__main__":  # pragma: no cover
    main()
