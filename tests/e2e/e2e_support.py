"""Shared by the browser tests: test data, the mobile profile and small helpers."""

import math
import os
import time
from pathlib import Path

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
    "staff": ["附近", "走访", "诉求", "咨询", "我的"],
    "enterprise": ["找场地", "政策", "诉求与消息", "我的"],
    "manager": ["团队", "轨迹", "报表", "诉求", "咨询", "我的"],
    "owner": ["我的场地", "咨询", "我的"],
    "admin": ["团队", "报表", "找场地", "诉求", "咨询", "我的"],
}


def acknowledge_privacy(*users):
    """These users have read the first-use notice, so it does not stand between
    them and the screen a test is about (test_e2e_privacy.py starts without)."""
    from django.conf import settings

    from backend.accounts.models import PrivacyAcknowledgement

    for user in users:
        PrivacyAcknowledgement.objects.get_or_create(user=user, version=settings.PRIVACY_NOTICE_VERSION)


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


def wait_until(page, function, *, timeout=10.0, interval=0.1):
    """Poll `function` (JS, may return a promise) until it is truthy.

    Not page.wait_for_function: that compiles its predicate with eval, which the
    app's Content-Security-Policy (script-src 'self') refuses; page.evaluate is not affected.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(function)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {function}")
        page.wait_for_timeout(interval * 1000)


def wait_for_service_worker(page):
    """Until a service worker controls the page and its install-time cache holds the map data."""
    wait_until(page, "() => Boolean(navigator.serviceWorker && navigator.serviceWorker.controller)")
    wait_until(page, "() => caches.match('/api/basemap').then((r) => Boolean(r))")


def small_touch_targets(page):
    """Visible controls smaller than 44×44 px (map attribution links excepted)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('button, a[href], input, select, textarea, [role=tab]')]
            .filter((el) => el.offsetParent !== null && !el.closest('.leaflet-control-attribution'))
            .map((el) => [el.id || el.className || el.tagName, el.getBoundingClientRect()])
            .filter(([, r]) => r.width < 44 || r.height < 44)
            .map(([name, r]) => `${name} ${Math.round(r.width)}x${Math.round(r.height)}`)"""
    )


def offset(lat, lng, *, north_m=0.0, east_m=0.0):
    """A point so many metres north and east of (lat, lng)."""
    return lat + north_m / 111_320, lng + east_m / (111_320 * math.cos(math.radians(lat)))


def make_enterprise(name, lat, lng, *, n, **extra):
    """An enterprise made the way the app makes them (pinyin initials included)."""
    from backend.enterprises.services import enterprise_create
    from backend.enterprises.uscc import check_character

    body = f"91310000MA{n:05d}X0"
    return enterprise_create(uscc=body + check_character(body), name=name, lat=lat, lng=lng, industry="C", **extra)


def phone(new_context, lat, lng, *, accuracy=12, **overrides):
    """A phone context at (lat, lng) whose user has allowed location."""
    return new_context(geolocation={"latitude": lat, "longitude": lng, "accuracy": accuracy}, permissions=["geolocation"], **overrides)


def snap(page, name):
    """Save a 360×740 screenshot when E2E_SCREENSHOTS names a directory (for looking, not asserting)."""
    folder = os.environ.get("E2E_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


# In-page IndexedDB access for tests that inspect or replay the outbox.
READ_OUTBOX = """() => new Promise((resolve, reject) => {
    const open = indexedDB.open('dxe');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
        const request = open.result.transaction('outbox').objectStore('outbox').getAll();
        request.onsuccess = () => { open.result.close(); resolve(request.result); };
        request.onerror = () => reject(request.error);
    };
})"""

WRITE_OUTBOX = """(items) => new Promise((resolve, reject) => {
    const open = indexedDB.open('dxe');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
        const tx = open.result.transaction('outbox', 'readwrite');
        for (const item of items) tx.objectStore('outbox').put(item);
        tx.oncomplete = () => { open.result.close(); resolve(items.length); };
        tx.onerror = () => reject(tx.error);
    };
})"""
