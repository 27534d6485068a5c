"""The town map: drawn from our own data with no tile server, and its states."""

import pytest
from e2e_support import log_in
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_it_draws_boundary_and_roads_as_vector_paths_without_tiles(page, users, town):
    log_in(page, "e2e_enterprise")
    expect(page.locator("#app")).to_have_attribute("data-route", "sites")
    boundary = page.locator("#map path.dxe-boundary.leaflet-interactive")
    expect(boundary).to_have_count(1)
    expect(page.locator("#map path.dxe-road.leaflet-interactive")).to_have_count(len(town["roads"]["features"]))
    assert page.locator("#map img.leaflet-tile").count() == 0
    # Fitted to the town: the boundary fills most of the 360-px-wide map.
    box = boundary.bounding_box()
    assert box["width"] > 200
    map_box = page.locator("#map").bounding_box()
    assert map_box["width"] == pytest.approx(360, abs=1)
    assert map_box["height"] > 400


def test_it_lets_a_visitor_browse_the_map_without_logging_in(page, town):
    page.goto("/#/login")
    page.get_by_text("先看看闲置场地地图").click()
    expect(page.locator("#map path.dxe-boundary")).to_have_count(1)
    assert page.locator("#tabbar .tab-label").all_inner_texts() == ["找场地", "企业注册", "登录"]


def test_it_shows_the_empty_state_when_no_town_data_is_loaded(page, users):
    log_in(page, "e2e_staff")
    page.locator("#view-map").click()
    expect(page.locator(".map-overlay [data-state=empty]")).to_contain_text("暂无地图数据")


def test_it_shows_an_error_with_retry_when_the_map_data_fails(new_context, town):
    context = new_context(service_workers="block")
    page = context.new_page()
    failures = {"left": 1}

    def fail_once(route):
        if failures["left"]:
            failures["left"] -= 1
            route.fulfill(status=500, content_type="application/json", body='{"detail": "服务器内部错误"}')
        else:
            route.continue_()

    page.route("**/api/basemap", fail_once)
    page.goto("/#/sites")
    error = page.locator(".map-overlay [data-state=error]")
    expect(error).to_contain_text("服务器内部错误")
    error.get_by_role("button", name="重试").click()
    expect(page.locator("#map path.dxe-boundary")).to_have_count(1)
    expect(page.locator(".map-overlay")).to_be_hidden()


def test_it_treats_a_captive_portal_page_as_offline(new_context, town):
    context = new_context(service_workers="block")
    page = context.new_page()
    # A portal answers every request with its own page.
    page.route(
        "**/api/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<html><body>请先登录 Wi-Fi</body></html>"),
    )
    page.goto("/#/sites")
    offline = page.locator(".map-overlay [data-state=offline]")
    expect(offline).to_contain_text("公共 Wi-Fi")
    expect(page.locator("#net-banner")).to_be_visible()
