from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema

from . import selectors
from .tiles import tile_config

router = Router(tags=["map"])


class TileOut(Schema):
    name: str
    url: str
    attribution: str
    crs: str
    max_zoom: int
    subdomains: str | None = None


class TownOut(Schema):
    name: str
    center: list[float]
    bbox: list[float]


class ConfigOut(Schema):
    tiles: TileOut | None
    town: TownOut | None


class LayerOut(Schema):
    slug: str
    name: str
    kind: str
    geojson: dict


@router.get("/config", auth=None, response=ConfigOut, summary="Map and town settings for the PWA")
def config(request: HttpRequest):
    return {"tiles": tile_config(settings.MAP_TILES), "town": selectors.town_summary()}


@router.get("/basemap", auth=None, response=list[LayerOut], summary="Town boundary and roads as GeoJSON")
def basemap(request: HttpRequest):
    return selectors.base_layers()
