"""The weather client against the sandbox (the same Open-Meteo shape), through
outbound.call with the message log; the cache; a provider that is down or
answers garbage; production without a provider says so and fakes nothing."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from tinhso.citizenapp import actions
from tinhso.citizenapp.weather import WeatherUnavailable, forecast, place_for
from tinhso.integration import outbound
from tinhso.integration.models import MessageLog
from tinhso.testing import DjangoTestClientAdapter, make_staff


@pytest.fixture
def sandbox(settings, db):
    settings.TINHSO_WEATHER_URL = ""
    settings.TINHSO_WEATHER_SANDBOX = True
    settings.TINHSO_BASE_URL = "http://testserver"
    adapter = DjangoTestClientAdapter()
    outbound.TRANSPORT_MOUNTS["http://testserver/"] = adapter
    outbound.BACKOFF = 0
    cache.clear()
    yield adapter
    outbound.TRANSPORT_MOUNTS.pop("http://testserver/", None)
    cache.clear()


def test_forecast_from_the_sandbox_is_parsed_and_cached(sandbox, settings):
    first = forecast(10.0341, 105.788)
    assert first["current"]["temperature"] > 20 and first["current"]["text"]
    assert len(first["daily"]) == 4 and first["daily"][0]["date"] == timezone.localdate().isoformat()
    assert all(d["min"] <= d["max"] for d in first["daily"])
    assert forecast(10.0341, 105.788) == first  # from the cache
    assert [c for c in sandbox.calls if c[1] == "/sandbox/weather/v1/forecast"] == [
        ("GET", "/sandbox/weather/v1/forecast", 200)]
    log = MessageLog.objects.filter(service="weather").get()
    assert log.direction == "out" and log.status == 200


def test_the_request_has_the_open_meteo_shape(sandbox):
    forecast(9.78, 105.47)
    from tinhso.integration.models import MessageLog

    operation = MessageLog.objects.filter(service="weather").get().operation
    assert operation == "GET http://testserver/sandbox/weather/v1/forecast"
    client = Client()
    answer = client.get("/sandbox/weather/v1/forecast", {"latitude": "9.78", "longitude": "105.47",
                                                         "timezone": "Asia/Ho_Chi_Minh", "forecast_days": 3}).json()
    assert set(answer) >= {"latitude", "longitude", "current", "daily", "timezone"}
    assert len(answer["daily"]["time"]) == 3
    assert client.get("/sandbox/weather/v1/forecast", {"latitude": "abc"}).status_code == 400


def test_provider_down_or_garbage_is_a_clear_message(sandbox, settings):
    sandbox.down.add("/sandbox/weather/")
    with pytest.raises(WeatherUnavailable, match="Chưa lấy được dữ liệu thời tiết"):
        forecast(10.0, 105.0)
    sandbox.down.clear()
    settings.TINHSO_WEATHER_URL = "http://testserver/api/v1/health"  # answers JSON of another shape
    with pytest.raises(WeatherUnavailable, match="không đúng định dạng"):
        forecast(10.0, 105.0)


def test_production_without_a_provider_fakes_nothing(settings, db):
    settings.TINHSO_WEATHER_URL = ""
    settings.TINHSO_WEATHER_SANDBOX = False
    cache.clear()
    with pytest.raises(WeatherUnavailable, match="Chưa cấu hình"):
        forecast(10.0, 105.0)
    assert Client().get("/sandbox/weather/v1/forecast", {"latitude": 10, "longitude": 105}).status_code == 404
    answer = Client().get("/api/v1/app/weather").json()
    assert answer["available"] is False and answer["message"] == "Chưa cấu hình nguồn dữ liệu thời tiết."


def test_the_app_api_gives_the_communes_weather_and_warnings(sandbox, world_units):
    commune, other, centre = world_units
    actions.publish_warning(acting_user=centre, title="Nắng nóng", text="Trên 37 °C từ 11 đến 15 giờ.",
                            severity="warning", commune_ids=[commune.pk],
                            valid_until=timezone.now() + datetime.timedelta(days=1))
    client = Client()
    answer = client.get("/api/v1/app/weather", {"commune_id": commune.pk}).json()
    assert answer["available"] is True and answer["commune"] == commune.name
    assert (answer["latitude"], answer["longitude"]) == place_for(commune)
    assert [w["title"] for w in answer["warnings"]] == ["Nắng nóng"]
    assert client.get("/api/v1/app/weather", {"commune_id": other.pk}).json()["warnings"] == []
    assert client.get("/api/v1/app/weather", {"commune_id": 999999999}).status_code == 404
    assert client.get("/api/v1/app/weather", {"commune_id": "abc"}).status_code == 422


@pytest.fixture
def world_units(db):
    from tinhso.testing import make_agency, make_unit

    province = make_unit("92", "Thành phố Cần Thơ", level="province")
    commune = make_unit("31321", "Phường Vị Thanh", level="commune", parent=province)
    other = make_unit("31135", "Phường Ninh Kiều", level="commune", parent=province)
    agency = make_agency("000.00.99.H13", "Trung tâm Giám sát, điều hành", unit=province)
    return commune, other, make_staff("dieuhanh.w", roles=[("operations_centre", agency)])


def test_a_communes_weather_is_read_where_its_digital_addresses_are(world_units, settings):
    """The commune's point: the province's setting, else the middle of its registered addresses with a point
    (retired ones and ones without a point left out), else the built-in point, else the province centre."""
    from tinhso.addresses import actions as address_actions
    from tinhso.addresses.models import Address, AddressStatus
    from tinhso.citizenapp.weather import PLACES, PROVINCE_CENTRE

    commune, other, _ = world_units
    settings.TINHSO_WEATHER_PLACES = {}
    assert place_for(commune) == PLACES["31321"]
    assert place_for(None) == PROVINCE_CENTRE
    for number, lat, lng in (("1", 9.70, 105.40), ("2", 9.80, 105.50)):
        address_actions.register_address(acting_user=None, house_number=number, street="Trần Hưng Đạo",
                                         unit_id=commune.pk, lat=lat, lng=lng)
    address_actions.register_address(acting_user=None, house_number="3", street="Trần Hưng Đạo", unit_id=commune.pk)
    retired = address_actions.register_address(acting_user=None, house_number="4", street="Trần Hưng Đạo",
                                               unit_id=commune.pk, lat=10.5, lng=106.5)
    Address.objects.filter(pk=retired.pk).update(status=AddressStatus.RETIRED)
    lat, lng = place_for(commune)
    assert (round(lat, 6), round(lng, 6)) == (9.75, 105.45)
    assert place_for(other) == PLACES["31135"]  # no addresses there
    settings.TINHSO_WEATHER_PLACES = {"31321": (9.9, 105.6)}
    assert place_for(commune) == (9.9, 105.6)
