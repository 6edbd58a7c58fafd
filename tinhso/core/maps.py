"""What a page needs to draw a map: whether the map library is installed
(node_modules from package.json), the tile server and the start view. A page
without the library, or whose tiles do not load, still works as a list.
Shared by the pages with maps (field reports, addresses, farm products): pass
`map_context()` to the template and include "includes/map_head.html"."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders


@lru_cache(maxsize=1)
def leaflet_installed() -> bool:
    return finders.find("vendor/leaflet/leaflet.js") is not None


def map_context() -> dict:
    return {"map_library": leaflet_installed(), "map_tiles": settings.TINHSO_MAP_TILE_URL,
            "map_attribution": settings.TINHSO_MAP_ATTRIBUTION,
            "map_center": f"{settings.TINHSO_MAP_CENTER[0]},{settings.TINHSO_MAP_CENTER[1]}"}
