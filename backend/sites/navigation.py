"""Navigation links ("navigate there") for Chinese map apps.

We store WGS-84; AMap and Tencent read GCJ-02 and Baidu reads BD-09. Handing
them WGS-84 puts the destination 400–700 m off around Shanghai, so each link
carries the coordinates converted for its app (design brief §4).

Links use each provider's public web URI API, which opens the app when it is
installed (callnative / the mobile web page otherwise). The coordinates are
also returned on their own so the PWA can build other links (e.g. native
``iosamap://`` schemes) without converting anything itself.
"""

from urllib.parse import quote, urlencode

from geo.chinacoords import wgs84_to_bd09, wgs84_to_gcj02

APP_NAME = "dianxiaoer"


def navigation_links(*, lat: float, lng: float, name: str) -> dict:
    gcj_lng, gcj_lat = wgs84_to_gcj02(lng, lat)
    bd_lng, bd_lat = wgs84_to_bd09(lng, lat)
    title = name or "目的地"
    amap = "https://uri.amap.com/navigation?" + urlencode(
        {
            "to": f"{gcj_lng:.6f},{gcj_lat:.6f},{title}",  # lng,lat,name
            "mode": "car",
            "src": APP_NAME,
            "coordinate": "gaode",
            "callnative": "1",
        },
        quote_via=quote,
        safe=",",
    )
    baidu = "https://api.map.baidu.com/marker?" + urlencode(
        {
            "location": f"{bd_lat:.6f},{bd_lng:.6f}",  # Baidu: lat,lng
            "title": title,
            "content": title,
            "coord_type": "bd09ll",
            "output": "html",
            "src": f"webapp.{APP_NAME}",
        },
        quote_via=quote,
        safe=",",
    )
    tencent = "https://apis.map.qq.com/uri/v1/routeplan?" + urlencode(
        {"type": "drive", "to": title, "tocoord": f"{gcj_lat:.6f},{gcj_lng:.6f}", "referer": APP_NAME},  # lat,lng
        quote_via=quote,
        safe=",",
    )
    return {
        "wgs84": [round(lng, 6), round(lat, 6)],
        "gcj02": [round(gcj_lng, 6), round(gcj_lat, 6)],
        "bd09": [round(bd_lng, 6), round(bd_lat, 6)],
        "amap": amap,
        "baidu": baidu,
        "tencent": tencent,
    }
