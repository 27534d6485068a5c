"""Shared by the browser tests: test data, the mobile profile and small helpers."""

PASSWORD = "dianxiaoer-e2e-pass"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
MOBILE = {
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "zh-CN",
    "timezone_id": "Asia/Shanghai",
}

# A small town of our own (not fixtures/demo_town): a boundary square and three roads.
BOUNDARY = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "测试镇"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[121.40, 31.10], [121.44, 31.10], [121.44, 31.14], [121.40, 31.14], [121.40, 31.10]]],
            },
        }
    ],
}
ROADS = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "properties": {"name": "迎宾大道"}, "geometry": {"type": "LineString", "coordinates": [[121.40, 31.12], [121.44, 31.12]]}},
        {"type": "Feature", "properties": {"name": "工业路"}, "geometry": {"type": "LineString", "coordinates": [[121.42, 31.10], [121.42, 31.14]]}},
        {"type": "Feature", "properties": {"name": "滨河路"}, "geometry": {"type": "LineString", "coordinates": [[121.405, 31.105], [121.415, 31.118], [121.435, 31.135]]}},
    ],
}

TABS = {
    "staff": ["附近", "走访", "我的"],
    "enterprise": ["找场地", "诉求与消息", "我的"],
    "manager": ["团队", "轨迹", "报表", "我的"],
    "owner": ["我的场地", "咨询", "我的"],
    "admin": ["团队", "找场地", "我的"],
}


def log_in(page, username, password=PASSWORD):
    """Log in through the form and wait for the tab bar of the logged-in shell."""
    page.goto("/#/login")
    page.locator("#tab-password").click()
    page.locator("#username").fill(username)
    page.locator("#password").fill(password)
    page.locator("#login-submit").click()
    page.locator("#tabbar a[href='#/me']").wait_for()


def tab_labels(page):
    return page.locator("#tabbar .tab-label").all_inner_texts()


def wait_for_service_worker(page):
    """Until a service worker controls the page and its install-time cache holds the map data."""
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null")
    page.wait_for_function("caches.match('/api/basemap').then((r) => Boolean(r))")
