"""The tile providers a town can choose with MAP_TILES."""

from backend.errors import ServiceError

# Tianditu serves WGS-84-compatible (CGCS2000) tiles; AMap's are in GCJ-02,
# so our WGS-84 data must be shifted before it is drawn on them (see geo.chinacoords).
PROVIDERS = {
    "none": None,
    "osm": {
        "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "attribution": "© OpenStreetMap contributors",
        "crs": "wgs84",
        "max_zoom": 19,
    },
    "tianditu": {
        "url": "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
        "&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}",
        "subdomains": "01234567",
        "attribution": "© 天地图",
        "crs": "wgs84",
        "max_zoom": 18,
    },
    "amap": {
        "url": "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
        "subdomains": "1234",
        "attribution": "© 高德地图",
        "crs": "gcj02",
        "max_zoom": 18,
    },
}


def tile_config(setting: str) -> dict | None:
    name, _, key = setting.partition(":")
    name = name.strip().lower() or "none"
    if name not in PROVIDERS:
        raise ServiceError(f"MAP_TILES 设置无效：{setting}")
    provider = PROVIDERS[name]
    if provider is None:
        return None
    config = {"name": name, **provider}
    config["url"] = config["url"].replace("{key}", key)
    return config


def tile_origins(setting: str) -> list[str]:
    """Hosts the browser fetches tiles from, for the Content-Security-Policy img-src."""
    return {
        "osm": ["https://tile.openstreetmap.org"],
        "tianditu": ["https://*.tianditu.gov.cn"],
        "amap": ["https://*.is.autonavi.com"],
    }.get(setting.partition(":")[0].strip().lower(), [])
