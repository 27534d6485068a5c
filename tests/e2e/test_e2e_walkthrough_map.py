"""The map as a new user met it (issue 12, "What a user hit"): lines without names, and
the phone's own position dot hidden under an enterprise pin just south of it."""

import pytest
from e2e_support import log_in, make_enterprise, offset, phone, small_touch_targets, snap
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


# What floats over a map: our bars and tools (marked data-map-control) and Leaflet's controls.
COVERAGE = """(mapSel) => {
    const map = document.querySelector(mapSel).getBoundingClientRect();
    const controls = [...document.querySelectorAll('[data-map-control] > *, [data-map-control].map-control-solid, ' + mapSel + ' .leaflet-control')]
        .filter((el) => el.offsetParent !== null && getComputedStyle(el).visibility !== 'hidden')
        .map((el) => el.getBoundingClientRect())
        .map((r) => ({left: Math.max(r.left, map.left), top: Math.max(r.top, map.top),
                      right: Math.min(r.right, map.right), bottom: Math.min(r.bottom, map.bottom)}))
        .filter((r) => r.right > r.left && r.bottom > r.top);
    // The union, counted pixel by pixel: overlapping controls count once.
    let covered = 0;
    for (let y = Math.floor(map.top); y < map.bottom; y++)
        for (let x = Math.floor(map.left); x < map.right; x++)
            if (controls.some((r) => x + 0.5 >= r.left && x + 0.5 < r.right && y + 0.5 >= r.top && y + 0.5 < r.bottom)) covered++;
    const under = [...document.querySelectorAll(mapSel + ' .leaflet-marker-icon')]
        .map((el) => el.getBoundingClientRect())
        .map((r) => [r.left + r.width / 2, r.top + r.height / 2])
        .filter(([x, y]) => x >= map.left && x < map.right && y >= map.top && y < map.bottom)
        .filter(([x, y]) => controls.some((r) => x >= r.left && x < r.right && y >= r.top && y < r.bottom));
    const markers = document.querySelectorAll(mapSel + ' .leaflet-marker-icon').length;
    return {share: covered / (map.width * map.height), controls: controls.length, markers, under};
}"""
TALL_PHONE = {"width": 360, "height": 780}


def map_coverage(page, selector="#map"):
    return page.evaluate(COVERAGE, selector)


@pytest.fixture
def town_sites(transactional_db, town):
    """Idle sites all over the town, the corners included: some near where the bars float."""
    from backend.sites.models import OwnerUnit, Site
    from backend.sites.services import site_derive

    unit = OwnerUnit.objects.create(code="e2e-cov", name="青枫镇覆盖村经济合作社", contact_name="胡春倩", contact_mobile="13148370841")
    for i, (lng, lat) in enumerate([(121.401, 31.139), (121.439, 31.139), (121.42, 31.12), (121.401, 31.101), (121.439, 31.101), (121.43, 31.13)]):
        site = Site(owner_unit=unit, name=f"覆盖测试厂房{i}", type="factory", status="vacant", lng=lng, lat=lat, building_area_m2=500,
                    rent_value=0.9, rent_unit="yuan_m2_day", address="青枫镇", village="覆盖村", contact_name="胡春倩", contact_mobile=f"1391100{i:04d}")
        site_derive(site).save()


def test_it_keeps_the_controls_off_most_of_the_site_map_and_off_its_markers(new_context, users, town_sites):
    for who in (None, "e2e_enterprise"):
        page = new_context(viewport=TALL_PHONE, service_workers="block").new_page()
        if who:
            log_in(page, who)
        page.goto("/#/sites")
        expect(page.locator("#site-list-pane")).to_have_attribute("data-state", "ready")
        expect(page.locator("#map .leaflet-marker-icon").first).to_be_visible()
        found = map_coverage(page)
        print(f"site map, {who or 'visitor'}: controls cover {found['share']:.1%} of the map; {found['markers']} markers")
        assert found["share"] <= 0.15, (who, found)
        assert found["under"] == [], (who, found)
        assert small_touch_targets(page) == [], who
        snap(page, f"walk-9-controls-{who or 'visitor'}")
        # The icons have names; the seldom-used tools wait behind 更多, with their words.
        expect(page.get_by_role("button", name="列表", exact=True)).to_be_visible()
        expect(page.locator("#sites-follow")).to_be_hidden()
        page.get_by_role("button", name="更多").click()
        expect(page.locator("#sites-follow")).to_have_text("移动地图时搜索")
        expect(page.locator("#sites-draw")).to_have_text("画范围")
        snap(page, f"walk-9-controls-more-{who or 'visitor'}")
        assert small_touch_targets(page) == [], who
        page.keyboard.press("Escape")
        expect(page.locator("#sites-more-menu")).to_be_hidden()
        expect(page.locator("#sites-more")).to_have_attribute("aria-expanded", "false")
        page.locator("#sites-more").click()
        page.locator("#sites-follow").click()  # a choice closes the menu
        expect(page.locator("#sites-more-menu")).to_be_hidden()
        expect(page.locator("#sites-follow")).to_have_attribute("aria-pressed", "false")


def test_it_keeps_the_controls_off_most_of_the_nearby_map(new_context, users, town):
    here = (31.1213, 121.4212)
    make_enterprise("青枫精密机械有限公司", *offset(*here, north_m=300, east_m=-300), n=1)
    page = phone(new_context, *here, viewport=TALL_PHONE, service_workers="block").new_page()
    log_in(page, "e2e_staff")
    page.locator("#locate").click()
    expect(page.locator("#nearby-list .enterprise")).to_have_count(2)
    page.locator("#view-map").click()
    expect(page.locator("#map .dxe-pin")).to_have_count(2)
    found = map_coverage(page)
    print(f"nearby map: controls cover {found['share']:.1%} of the map")
    assert found["share"] <= 0.15, found
    assert found["under"] == [], found
    assert small_touch_targets(page) == []
