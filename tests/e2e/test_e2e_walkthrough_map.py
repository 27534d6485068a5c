"""The map as a new user met it (issue 12, "What a user hit"): lines without names, and
the phone's own position dot hidden under an enterprise pin just south of it."""

import pytest
from e2e_support import log_in, make_enterprise, offset, phone, snap
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

LABELS = "() => [...document.querySelectorAll('#map .dxe-map-label')].map((el) => el.textContent)"


def test_it_names_the_roads_of_our_own_base_layer_once_zoomed_in(page, town):
    page.goto("/#/sites")
    expect(page.locator("#map path.dxe-road")).to_have_count(3)
    # The whole town: lines only, names would cover each other.
    expect(page.locator("#map .dxe-map-label")).to_have_count(0)
    page.evaluate("sessionStorage.setItem('dxe.sites', JSON.stringify({camera: {center: [31.12, 121.42], zoom: 15}}))")
    page.reload()
    expect(page.locator("#map .dxe-map-label")).to_have_count(3)
    assert sorted(page.evaluate(LABELS)) == sorted(["迎宾大道", "工业路", "滨河路"])
    # Names never take a tap from the map or its markers.
    label = page.locator("#map .dxe-map-label", has_text="滨河路")
    assert label.evaluate("(el) => getComputedStyle(el).pointerEvents") == "none"
    # Drawn above the roads and below every marker.
    panes = page.evaluate(
        """() => ['overlay', 'dxe-labels', 'marker'].map((name) =>
            Number(getComputedStyle(document.querySelector(`#map .leaflet-${name}-pane`)).zIndex))"""
    )
    assert panes[0] < panes[1] < panes[2], panes
    snap(page, "walk-9-road-names")


def test_it_keeps_the_phones_own_dot_above_the_enterprise_pins(new_context, users, town):
    here = (31.1213, 121.4212)
    make_enterprise("青枫精密机械有限公司", *offset(*here, north_m=-15), n=1)  # just south: stacked above by latitude
    page = phone(new_context, *here, service_workers="block").new_page()
    log_in(page, "e2e_staff")
    page.locator("#locate").click()
    # This one and the users' own 测试精密制造 (at 31.121): both south of the phone.
    expect(page.locator("#nearby-list .enterprise")).to_have_count(2)
    page.locator("#view-map").click()
    expect(page.locator("#map .dxe-pin")).to_have_count(2)
    expect(page.locator("#map .dxe-me")).to_have_count(1)
    me = int(page.locator("#map .dxe-me").evaluate("(el) => getComputedStyle(el).zIndex"))
    pins = page.locator("#map .dxe-pin").evaluate_all("(els) => els.map((el) => Number(getComputedStyle(el).zIndex))")
    assert all(me > pin for pin in pins), (me, pins)
    snap(page, "walk-9-position-dot")
