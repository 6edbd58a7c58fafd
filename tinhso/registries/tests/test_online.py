"""The online form: a citizen signed in with the e-ID gets their data from the
sandbox population database after consenting; fields are marked; a paper
verified with the civil-status database needs no upload."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.accounts.models import User
from tinhso.catalogue.models import RequiredComponent
from tinhso.dossiers.models import Dossier
from tinhso.dossiers.tests.conftest import PDF
from tinhso.portal.models import Draft
from tinhso.portal.tests.conftest import eform  # noqa: F401 - reused fixture
from tinhso.registries.models import CheckStatus, Consent, RegistryCheck
from tinhso.registries.tests.conftest import AN, BIRTH_REF

pytestmark = pytest.mark.django_db


@pytest.fixture
def an(db):
    """The e-ID sandbox citizen Nguyễn Văn An, as the e-ID sign-in creates him."""
    return User.objects.create_user(username="cd-092085001234", full_name=AN["full_name"], is_citizen=True,
                                    id_number=AN["id_number"], birth_date=datetime.date(1985, 3, 12),
                                    phone="0901234567")


@pytest.fixture
def online(eform):  # noqa: F811
    eform.birth_paper = RequiredComponent.objects.create(case=eform.case, order=3, name="Bản sao Giấy khai sinh",
                                                         required=True, national_source="civil-status:birth")
    return eform


def _url(w):
    return f"/dvc/nop-ho-so/{w.case.pk}/"


def _form(w, draft, **extra):
    data = {"draft": draft.token, "owner_name": "", "owner_id_type": "cccd", "owner_id_number": "",
            "owner_phone": "0901234567", "area": "", "f_ho_ten_nam": "Nguyễn Văn An", "f_cccd_nam": AN["id_number"],
            "f_ho_ten_nu": "Võ Thị Hạnh"}
    data.update(extra)
    return data


def test_citizen_form_is_prefilled_from_the_population_database_after_consent(sandbox, online, an, client):
    w = online
    client.force_login(an)
    first = client.get(_url(w)).content.decode()
    assert "Lấy thông tin từ CSDL quốc gia về dân cư" in first and 'name="national_consent"' in first
    draft = Draft.objects.get(owner=an)

    refused = client.post(_url(w), _form(w, draft, op="prefill")).content.decode()
    assert "Cần đánh dấu" in refused and sandbox.calls == [] and not Consent.objects.exists()

    refs = {f"natref_{w.birth_paper.pk}_{k}": v for k, v in BIRTH_REF.items()}
    html = client.post(_url(w), _form(w, draft, op="prefill", national_consent="on", **refs)).content.decode()
    assert "Đã xác minh với CSDL quốc gia về dân cư" in html
    assert 'value="Nguyễn Văn An"' in html and "Số 12 đường Trần Hưng Đạo, Phường Ninh Kiều" in html
    assert html.count("Lấy từ CSDL quốc gia về dân cư") >= 3  # name, number, birth date, address marked
    assert "Lấy từ CSDL quốc gia</span>" in html or "✓ Lấy từ CSDL quốc gia" in html
    consent = Consent.objects.get()
    assert consent.channel == "online" and consent.given_by == an and consent.id_last4 == "1234"
    ids = re.search(r'name="registry_checks" value="([0-9,]+)"', html).group(1)

    # the draft keeps it: the page shows the prefilled values again on the next visit
    again = client.get(_url(w)).content.decode()
    assert 'value="Nguyễn Văn An"' in again and "Lấy từ CSDL quốc gia về dân cư" in again

    data = _form(w, Draft.objects.get(pk=draft.pk), op="submit", registry_checks=ids, owner_name=AN["full_name"],
                 owner_id_number=AN["id_number"], owner_birth_date=AN["birth_date"], area=str(w.commune.pk),
                 national_fields="owner_name,owner_id_number,owner_birth_date,owner_address", **refs)
    data[f"component_{w.case.components.get(order=1).pk}"] = SimpleUploadedFile("to-khai.pdf", PDF)
    response = client.post(_url(w), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    dossier = Dossier.objects.get()
    paper = dossier.components.get(required_component=w.birth_paper)
    assert paper.national_source == "civil-status:birth" and not paper.files.exists()
    assert RegistryCheck.objects.filter(dossier=dossier, status=CheckStatus.VALID).count() == 1
    mine = client.get(f"/dvc/ho-so/{dossier.code}/").content.decode()
    assert "Dữ liệu lấy từ cơ sở dữ liệu quốc gia" in mine and "CSDL hộ tịch điện tử (khai sinh)" in mine


def test_without_the_check_the_national_paper_is_still_asked_for(sandbox, online, an, client):
    w = online
    client.force_login(an)
    client.get(_url(w))
    draft = Draft.objects.get(owner=an)
    data = _form(w, draft, op="submit", owner_name=AN["full_name"], owner_id_number=AN["id_number"],
                 area=str(w.commune.pk))
    data[f"component_{w.case.components.get(order=1).pk}"] = SimpleUploadedFile("to-khai.pdf", PDF)
    html = client.post(_url(w), data).content.decode()
    assert "Cần tải lên tệp cho giấy tờ bắt buộc này." in html and not Dossier.objects.exists()
