from django.conf import settings
from django.http import HttpRequest
from ninja import Query, Router, Schema

from backend.kernel.paging import Page, PageQuery, page

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


class LayerPageOut(Page):
    items: list[LayerOut]


@router.get("/config", auth=None, response=ConfigOut, summary="Map and town settings for the PWA")
def config(request: HttpRequest):
    return {"tiles": tile_config(settings.MAP_TILES), "town": selectors.town_summary()}


@router.get("/basemap", auth=None, response=LayerPageOut, summary="Town boundary and roads as GeoJSON")
def basemap(request: HttpRequest, params: Query[PageQuery]):
    return page(selectors.base_layers(), limit=params.limit, offset=params.offset)
