"""Số hóa: components marked scanned, born digital or paper only at reception (the counter page makes the scan the
default), results issued electronic or paper, and a paper result digitised later with history."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.audit.models import AuditEvent
from tinhso.core.errors import InvalidInput, PermissionDenied
from tinhso.dossiers import actions
from tinhso.dossiers.actions import ComponentInput
from tinhso.dossiers.models import Dossier, DossierComponent, DossierEvent, Status
from tinhso.dossiers.tests.conftest import APPLICANT, PDF, pdf, receive, vn


def _form(w, **extra):
    comp = w.case.components.get(order=1)
    data = {"case": w.case.pk, "token": "tok-d", "agency": w.centre.pk, "owner_name": "Nguyễn Văn An",
            "owner_id_type": "cccd", "owner_id_number": "092095001234", "owner_phone": "0912345678",
            "owner_address": "Khu vực 3", f"received_{comp.pk}": "on", f"originals_{comp.pk}": "1",
            f"copies_{comp.pk}": "0"}
    data.update(extra)
    return data, comp


def test_counter_page_preselects_the_scan_and_refuses_a_received_paper_without_it(client, world):
    client.force_login(world.clerk)
    comp = world.case.components.get(order=1)
    html = client.get(f"/dossiers/receive/?case={world.case.pk}").content.decode()
    assert f'name="digitise_{comp.pk}" value="scan" checked' in html and "Chỉ bản giấy" in html
    data, comp = _form(world, **{f"digitise_{comp.pk}": "scan"})
    html = client.post("/dossiers/receive/", data).content.decode()
    assert "Chưa có bản scan của" in html and not Dossier.objects.exists()
    data[f"component_{comp.pk}"] = SimpleUploadedFile("to-khai.pdf", PDF)
    assert client.post("/dossiers/receive/", data).status_code == 302
    assert DossierComponent.objects.get().digitisation == "scanned"


def test_paper_only_is_an_explicit_choice(client, world):
    client.force_login(world.clerk)
    comp = world.case.components.get(order=1)
    data, comp = _form(world, **{f"digitise_{comp.pk}": "paper"})
    assert client.post("/dossiers/receive/", data).status_code == 302
    component = DossierComponent.objects.get()
    assert component.digitisation == "paper" and not component.is_digitised


def test_online_files_are_born_digital_and_national_papers_count_as_reused(world):
    comp = world.case.components.get(order=1)
    online = actions.submit_online(acting_user=None, receiving_agency=world.centre, case=world.case,
                                   applicant=dict(APPLICANT), area=world.commune,
                                   components=[ComponentInput(required_component_id=comp.pk, files=[pdf()])])
    assert online.components.get().digitisation == "born_digital"
    reused = actions.receive_at_counter(
        acting_user=world.clerk, receiving_agency=world.centre, case=world.case, applicant=dict(APPLICANT),
        area=world.commune, components=[ComponentInput(required_component_id=comp.pk, received=True,
                                                       national_source="population", national_reference="x")])
    component = reused.components.get()
    assert component.digitisation == "" and component.is_digitised


def _at_leader(w):
    d = receive(w, at=vn(2026, 3, 2, 8))
    d = actions.forward(acting_user=w.clerk, dossier=d, receiver=w.specialist)
    d = actions.forward(acting_user=w.specialist, dossier=d, receiver=w.head)
    return actions.forward(acting_user=w.head, dossier=d, receiver=w.leader)


def test_result_form_defaults_to_electronic_with_a_signed_file(world):
    d = actions.finish(acting_user=world.leader, dossier=_at_leader(world), result_summary="Cấp giấy",
                       result_files=[pdf()])
    assert Dossier.objects.get(pk=d.pk).result_form == "electronic"
    with pytest.raises(InvalidInput) as bad:
        actions.finish(acting_user=world.leader, dossier=_at_leader(world), result_summary="x",
                       result_files=[pdf()], result_form="fax")
    assert bad.value.code == "invalid_result_form"


def test_digitising_a_paper_result_stores_the_scan_and_writes_history(world):
    d = actions.finish(acting_user=world.leader, dossier=_at_leader(world), result_summary="Cấp giấy",
                       result_files=[pdf()], result_form="paper")
    assert d.result_form == "paper" and d.result_digitised_at is None
    with pytest.raises(PermissionDenied):
        actions.digitise_result(acting_user=world.outsider, dossier=d, files=[pdf("scan.pdf")])
    with pytest.raises(InvalidInput) as no_file:
        actions.digitise_result(acting_user=world.clerk, dossier=d)
    assert no_file.value.code == "scan_required"
    version = Dossier.objects.get(pk=d.pk).version
    done = actions.digitise_result(acting_user=world.clerk, dossier=d, files=[pdf("scan.pdf")], version=version)
    done = Dossier.objects.get(pk=done.pk)
    assert done.result_digitised_at is not None and done.status == Status.FINISHED and done.version == version + 1
    event = DossierEvent.objects.filter(dossier=done).latest("id")
    assert event.action == "digitise_result" and event.attachments.get().original_name == "scan.pdf"
    assert AuditEvent.objects.filter(action="dossiers.digitise_result").count() == 1
    with pytest.raises(InvalidInput) as again:
        actions.digitise_result(acting_user=world.clerk, dossier=done, files=[pdf("scan2.pdf")])
    assert again.value.code == "already_digitised"
