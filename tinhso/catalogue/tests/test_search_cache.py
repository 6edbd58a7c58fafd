"""The public search's page cache: a repeated search costs no query, and any
change to the catalogue (through the actions) shows at once."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tinhso.agencies.models import Agency
from tinhso.catalogue import actions
from tinhso.catalogue.models import Field, Procedure

pytestmark = pytest.mark.django_db
URL = "/api/v1/procedures"


@pytest.fixture(autouse=True)
def search_cache(settings):
    settings.TINHSO_CATALOGUE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def codes(client, **params):
    return [p["code"] for p in client.get(URL, params).json()["items"]]


def queries_for(client, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, params).status_code == 200
    return len(captured)


def test_a_repeated_search_is_served_from_the_cache(client, catalogue):
    assert queries_for(client, q="khai sinh") == 1  # a short first page needs no COUNT
    assert queries_for(client, q="khai sinh") == 0
    assert queries_for(client, q="dang ky khai sinh") == 1  # another query, another page
    assert queries_for(client, q="khai sinh", limit=5) == 1


def test_off_when_the_setting_is_zero(client, catalogue, settings):
    settings.TINHSO_CATALOGUE_CACHE_SECONDS = 0
    client.get(URL, {"q": "khai sinh"})
    assert queries_for(client, q="khai sinh") == 1


def test_count_is_right_without_the_count_query(client, catalogue):
    full = client.get(URL).json()
    assert full["count"] == 2 and len(full["items"]) == 2
    assert client.get(URL, {"limit": 1}).json()["count"] == 2  # a full page: counted
    assert client.get(URL, {"limit": 1, "offset": 1}).json()["count"] == 2  # a short later page
    assert client.get(URL, {"offset": 5}).json() == {"count": 2, "limit": 20, "offset": 5, "items": []}


def test_a_deactivated_procedure_leaves_the_cached_search_at_once(client, catalogue, manager):
    assert codes(client, q="giay phep") == ["1.009794"]
    actions.set_procedure_active(acting_user=manager, procedure=Procedure.objects.get(code="1.009794"),
                                 active=False)
    assert codes(client, q="giay phep") == []


def test_a_renamed_procedure_and_field_show_at_once(client, catalogue, manager):
    client.get(URL, {"q": "khai sinh"})
    procedure = Procedure.objects.get(code="1.001193")
    actions.update_procedure(acting_user=manager, procedure=procedure,
                             values={"name": "Thủ tục đăng ký khai sinh (mới)"})
    assert client.get(URL, {"q": "khai sinh"}).json()["items"][0]["name"] == "Thủ tục đăng ký khai sinh (mới)"
    field = Field.objects.get(pk=procedure.field_id)
    field.name = "Hộ tịch (mới)"
    field.save()
    assert client.get(URL, {"q": "khai sinh"}).json()["items"][0]["field"]["name"] == "Hộ tịch (mới)"


def test_an_agency_code_change_reaches_the_agency_filter(client, catalogue):
    assert codes(client, agency="000.31.21.H13") == ["1.001193", "1.009794"]
    agency = Agency.objects.get(code="000.31.21.H13")
    agency.code = "000.31.99.H13"
    agency.save()
    assert codes(client, agency="000.31.21.H13") == []


def test_the_version_changes_again_when_the_transaction_commits(catalogue):
    from tinhso.catalogue.queries import bump_version, catalogue_version

    before = catalogue_version()
    Field.objects.create(code="ZZ", name="Lĩnh vực thử")
    during = catalogue_version()
    Field.objects.create(code="ZY", name="Lĩnh vực thử 2")
    pending = [func for _, func, _ in connection.run_on_commit if func is bump_version]
    assert before != during and len(pending) == 1  # one commit callback per transaction
    pending[0]()
    assert catalogue_version() not in (before, during)


def test_an_evicted_version_is_replaced_by_a_new_one(catalogue):
    from tinhso.catalogue.queries import VERSION_KEY, catalogue_version

    first = catalogue_version()
    assert catalogue_version() == first
    cache.delete(VERSION_KEY)
    assert catalogue_version() != first
