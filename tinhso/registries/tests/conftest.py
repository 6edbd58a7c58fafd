"""The registries' tests reach the sandbox servers through the very client
code of production: outbound.call -> requests -> DjangoTestClientAdapter ->
/sandbox/national/... of this process (no live server)."""

import pytest
from django.core.cache import cache

from tinhso.catalogue.models import RequiredComponent
from tinhso.dossiers.tests.conftest import world  # noqa: F401 - reused fixture
from tinhso.integration import outbound
from tinhso.testing import DjangoTestClientAdapter

AN = {"id_number": "092085001234", "full_name": "Nguyễn Văn An", "birth_date": "1985-03-12"}  # e-ID sandbox citizen
BIRTH_REF = {"number": "125/2015", "book": "01/2015", "place": "UBND Phường Cái Khế", "registered_on": "2015-04-25",
             "person": "Đỗ Gia Bảo"}


@pytest.fixture
def sandbox(db, settings, monkeypatch):
    settings.TINHSO_BASE_URL = "http://testserver"
    for name in ("POPULATION", "BUSINESS_REGISTRY", "CIVIL_STATUS"):
        settings.__setattr__(f"TINHSO_{name}_SANDBOX", True)
        settings.__setattr__(f"TINHSO_{name}_URL", "")
        settings.__setattr__(f"TINHSO_{name}_KEY", "sandbox-national-key")
    settings.TINHSO_NATIONAL_SANDBOX_KEY = "sandbox-national-key"
    monkeypatch.setattr(outbound, "BACKOFF", 0)
    adapter = DjangoTestClientAdapter()
    monkeypatch.setitem(outbound.TRANSPORT_MOUNTS, "http://testserver/", adapter)
    cache.clear()
    yield adapter
    cache.clear()


@pytest.fixture
def birth_world(world):
    """The marriage case of the dossier tests with a required paper the civil-status database supplies."""
    world.birth_paper = RequiredComponent.objects.create(case=world.case, order=3, name="Bản sao Giấy khai sinh",
                                                         required=True, reusable_from_national_db=True,
                                                         national_source="civil-status:birth")
    return world
