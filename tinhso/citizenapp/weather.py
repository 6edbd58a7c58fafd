"""Weather for a commune: a client of any provider speaking Open-Meteo's
forecast API (`GET ?latitude=&longitude=&current=...&daily=...&timezone=`),
called through `tinhso.integration.outbound.call` (service `weather`), its
answer cached (TINHSO_WEATHER_CACHE_SECONDS). The sandbox at
/sandbox/weather/v1/forecast speaks the same shape. Production never fakes a
forecast: no provider configured means "no weather", said so."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from tinhso.integration import outbound

CURRENT = "temperature_2m,relative_humidity_2m,precipitation,weather_code,wind_speed_10m"
DAILY = "weather_code,temperature_2m_max,temperature_2m_min,precipitation_sum,precipitation_probability_max"
TIMEZONE = "Asia/Ho_Chi_Minh"
DAYS = 4

# Commune code -> (lat, lng) for a few demo communes; the units table has no coordinates. See `place_for`
# for the order (a setting, the commune's digital addresses, these, the province centre).
PLACES = {
    "31135": (10.0341, 105.7880),  # Phường Ninh Kiều
    "31321": (9.7842, 105.4701),   # Phường Vị Thanh
    "31150": (10.0461, 105.7659),  # Phường Cái Khế
}
PROVINCE_CENTRE = (10.0452, 105.7469)  # Thành phố Cần Thơ

# WMO weather interpretation codes (Open-Meteo's `weather_code`), in Vietnamese.
WMO = {0: "Trời quang", 1: "Ít mây", 2: "Có mây", 3: "Nhiều mây", 45: "Sương mù", 48: "Sương mù",
       51: "Mưa phùn nhẹ", 53: "Mưa phùn", 55: "Mưa phùn dày", 61: "Mưa nhỏ", 63: "Mưa vừa", 65: "Mưa to",
       80: "Mưa rào nhẹ", 81: "Mưa rào", 82: "Mưa rào rất to", 95: "Dông", 96: "Dông kèm mưa đá",
       99: "Dông mạnh kèm mưa đá"}


class WeatherUnavailable(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def provider_url() -> str:
    if settings.TINHSO_WEATHER_URL:
        return settings.TINHSO_WEATHER_URL
    if settings.TINHSO_WEATHER_SANDBOX:
        return f"{settings.TINHSO_BASE_URL.rstrip('/')}/sandbox/weather/v1/forecast"
    return ""


def place_for(commune) -> tuple[float, float]:
    """Where the commune's weather is read: the province's own setting
    (TINHSO_WEATHER_PLACES) first, then the middle of the commune's registered
    digital addresses that have a point (data the communes keep, so every
    commune with addresses gets its own weather), then the built-in points,
    then the province centre."""
    if commune is None:
        return PROVINCE_CENTRE
    configured = getattr(settings, "TINHSO_WEATHER_PLACES", {})
    if commune.code in configured:
        return tuple(configured[commune.code])
    from django.db.models import Avg

    from tinhso.addresses.models import Address, AddressStatus

    middle = Address.objects.filter(unit=commune, status=AddressStatus.ACTIVE, lat__isnull=False,
                                    lng__isnull=False).aggregate(lat=Avg("lat"), lng=Avg("lng"))
    if middle["lat"] is not None:
        return middle["lat"], middle["lng"]
    return tuple(PLACES.get(commune.code, PROVINCE_CENTRE))


def forecast(lat: float, lng: float) -> dict:
    """{"current": {...}, "daily": [{date, min, max, rain, rain_chance, text}], "fetched_at"} for the point,
    from the cache when fresh. Raises WeatherUnavailable with a Vietnamese message."""
    lat, lng = round(lat, 2), round(lng, 2)  # ~1 km: neighbours share a cache entry
    key = f"citizenapp:weather:{lat}:{lng}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    url = provider_url()
    if not url:
        raise WeatherUnavailable("Chưa cấu hình nguồn dữ liệu thời tiết.")
    params = {"latitude": lat, "longitude": lng, "current": CURRENT, "daily": DAILY, "timezone": TIMEZONE,
              "forecast_days": DAYS}
    def check(response):
        try:
            result = _parse(response.json()) if response.status_code == 200 else None
        except (ValueError, KeyError, TypeError, IndexError):
            result = None
        if result is None:
            raise outbound.BadAnswer("weather", "Nguồn dữ liệu thời tiết trả lời không đúng định dạng.",
                                     f"HTTP {response.status_code}: unusable forecast")
        return result

    try:
        result = outbound.call("weather", "GET", url, params=params, purpose="thời tiết cho ứng dụng công dân",
                               check=check)
    except outbound.BadAnswer as exc:
        raise WeatherUnavailable(exc.message) from exc
    except outbound.ExternalError as exc:
        raise WeatherUnavailable("Chưa lấy được dữ liệu thời tiết; thử lại sau.") from exc
    cache.set(key, result, settings.TINHSO_WEATHER_CACHE_SECONDS)
    return result


def _parse(data: dict) -> dict:
    current, daily = data["current"], data["daily"]
    days = []
    for i, day in enumerate(daily["time"]):
        code = int(daily["weather_code"][i])
        days.append({"date": day, "min": float(daily["temperature_2m_min"][i]),
                     "max": float(daily["temperature_2m_max"][i]),
                     "rain": float(daily["precipitation_sum"][i] or 0),
                     "rain_chance": daily.get("precipitation_probability_max", [None] * len(daily["time"]))[i],
                     "code": code, "text": WMO.get(code, "—")})
    code = int(current["weather_code"])
    return {"current": {"time": current["time"], "temperature": float(current["temperature_2m"]),
                        "humidity": current.get("relative_humidity_2m"), "rain": current.get("precipitation"),
                        "wind": current.get("wind_speed_10m"), "code": code, "text": WMO.get(code, "—")},
            "daily": days}
