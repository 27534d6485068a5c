from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from backend.kernel.paging import Page, PageQuery, page
from geo.flags import SHORT_VISIT_S

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


class VisitRulesOut(Schema):
    short_visit_s: int = Field(description="签退距签到不足这么多秒，标记“走访时间过短”")


class ConfigOut(Schema):
    tiles: TileOut | None
    town: TownOut | None
    visits: VisitRulesOut


class LayerOut(Schema):
    slug: str
    name: str
    kind: str
    geojson: dict


class LayerPageOut(Page):
    items: list[LayerOut]


@router.get("/config", auth=None, response=ConfigOut, summary="Map and town settings for the PWA")
def config(request: HttpRequest):
    # The phone warns before a check-out the server would flag: one rule, stated here.
    return {"tiles": tile_config(settings.MAP_TILES), "town": selectors.town_summary(), "visits": {"short_visit_s": SHORT_VISIT_S}}


@router.get("/basemap", auth=None, response=LayerPageOut, summary="Town boundary and roads as GeoJSON")
def basemap(request: HttpRequest, params: Query[PageQuery]):
    return page(selectors.base_layers(), limit=params.limit, offset=params.offset)
