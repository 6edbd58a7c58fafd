"""The sandbox weather provider at /sandbox/weather/v1/forecast: Open-Meteo's
forecast API shape, made-up but plausible Mekong-delta figures that depend
only on the place and the day (so tests can assert them). On only with
TINHSO_WEATHER_SANDBOX (off in production)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import Http404, JsonResponse
from django.urls import path
from django.utils import timezone


def _number(request, name, low, high):
    try:
        value = float(request.GET.get(name, ""))
    except ValueError:
        return None
    return value if low <= value <= high else None


def forecast(request):
    if not settings.TINHSO_WEATHER_SANDBOX:
        raise Http404()
    lat, lng = _number(request, "latitude", -90, 90), _number(request, "longitude", -180, 180)
    if lat is None or lng is None:
        return JsonResponse({"error": True, "reason": "Invalid latitude or longitude"}, status=400)
    days = max(1, min(16, int(request.GET.get("forecast_days", "7") or 7)))
    today = timezone.localdate()
    seed = int(abs(lat * 100) + abs(lng * 100))
    codes = [1, 3, 61, 80, 95, 2, 63]
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    daily = {"time": [], "weather_code": [], "temperature_2m_max": [], "temperature_2m_min": [],
             "precipitation_sum": [], "precipitation_probability_max": []}
    for i in range(days):
        day = today + datetime.timedelta(days=i)
        k = (seed + day.toordinal()) % 7
        daily["time"].append(day.isoformat())
        daily["weather_code"].append(codes[k])
        daily["temperature_2m_max"].append(31.0 + k % 4)
        daily["temperature_2m_min"].append(24.0 + k % 3)
        daily["precipitation_sum"].append(float(k * 3))
        daily["precipitation_probability_max"].append(k * 14)
    k = (seed + today.toordinal()) % 7
    return JsonResponse({
        "latitude": lat, "longitude": lng, "timezone": "Asia/Ho_Chi_Minh", "timezone_abbreviation": "GMT+7",
        "current_units": {"temperature_2m": "°C", "relative_humidity_2m": "%", "precipitation": "mm",
                          "wind_speed_10m": "km/h"},
        "current": {"time": now.strftime("%Y-%m-%dT%H:%M"), "interval": 900, "temperature_2m": 29.5 + k % 3,
                    "relative_humidity_2m": 70 + k, "precipitation": float(k % 2), "weather_code": codes[k],
                    "wind_speed_10m": 8.0 + k},
        "daily_units": {"temperature_2m_max": "°C", "precipitation_sum": "mm"},
        "daily": daily,
    })


app_name = "sandbox_weather"
urlpatterns = [path("v1/forecast", forecast, name="forecast")]
