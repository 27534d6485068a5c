"""Names from the server are text on every map, never markup (issue 11, item 13).

Leaflet's bindTooltip/bindPopup take a string as HTML; an enterprise or a road
named with tags must show the tags literally, under the app's own strict CSP.
"""

import pytest
from e2e_support import log_in, make_enterprise, phone
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

HOSTILE = '<b style="color:red">x</b><img src=x onerror=alert(1)>'
WATCH_CSP = (
    "window.__csp = []; document.addEventListener('securitypolicyviolation',"
    " (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
)


def test_it_shows_an_enterprise_name_with_markup_literally_in_the_nearby_map_tooltip(new_context, users, town):
    make_enterprise(HOSTILE, 31.1212, 121.4212, n=901)
    page = phone(new_context, 31.1213, 121.4212, service_workers="block").new_page()
    page.add_init_script(WATCH_CSP)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, "e2e_staff")
    page.locator("#locate").click()
    expect(page.locator("#nearby-list .enterprise", has_text="<b style=")).to_have_count(1)
    page.locator("#view-map").click()
    pin = page.locator("#map .dxe-pin[title^='<b']")
    expect(pin).to_have_count(1)
    pin.hover()
    tooltip = page.locator("#map .leaflet-tooltip")
    expect(tooltip).to_have_text(HOSTILE)
    assert tooltip.locator("b, img").count() == 0
    assert page.locator("#map img[src='x'], #map b").count() == 0
    assert dialogs == []
    assert page.evaluate("window.__csp") == []


def test_it_shows_a_map_feature_name_with_markup_literally_in_its_popup(new_context, users):
    from backend.basemap.models import BaseLayer

    from e2e_support import BOUNDARY

    boundary = {**BOUNDARY, "features": [{**BOUNDARY["features"][0], "properties": {"name": HOSTILE}}]}
    BaseLayer.objects.create(slug="boundary", name="镇界", kind="boundary", geojson=boundary)
    page = new_context(service_workers="block").new_page()
    page.add_init_script(WATCH_CSP)
    log_in(page, "e2e_enterprise")
    path = page.locator("#map path.dxe-boundary")
    expect(path).to_have_count(1)
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    popup = page.locator("#map .leaflet-popup-content")
    expect(popup).to_have_text(HOSTILE)
    assert popup.locator("b, img").count() == 0
    assert page.evaluate("window.__csp") == []
