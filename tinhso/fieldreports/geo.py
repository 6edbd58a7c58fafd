"""Places: inside the service area, distances, the box around a point that
the nearby search reads on the indexed (lat, lng) columns."""

from __future__ import annotations

import math

EARTH_METRES = 6_371_008.8


def inside(lat: float, lng: float, outline: list[list[float]]) -> bool:
    """Ray casting over the outline's (lat, lng) points."""
    hit = False
    n = len(outline)
    for i in range(n):
        a_lat, a_lng = outline[i]
        b_lat, b_lng = outline[(i + 1) % n]
        if (a_lng > lng) != (b_lng > lng):
            cross = a_lat + (lng - a_lng) * (b_lat - a_lat) / (b_lng - a_lng)
            if lat < cross:
                hit = not hit
    return hit


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_METRES * math.asin(min(1.0, math.sqrt(h)))


def box(lat: float, lng: float, metres: float) -> tuple[float, float, float, float]:
    """(lat_min, lat_max, lng_min, lng_max) around a point, a little larger than the circle."""
    dlat = math.degrees(metres / EARTH_METRES) * 1.001
    dlng = dlat / max(math.cos(math.radians(lat)), 0.01)
    return lat - dlat, lat + dlat, lng - dlng, lng + dlng


def rounded(lat: float | None, lng: float | None) -> tuple[float | None, float | None]:
    """A point shown to the public when the reporter hid the exact place: about 100 m."""
    if lat is None or lng is None:
        return None, None
    return round(lat, 3), round(lng, 3)
