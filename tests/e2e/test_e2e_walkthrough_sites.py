"""What a new user hit in 找场地 and the listings on a 360-px phone (issue 12, "What a
user hit"): the view hid town-wide matches, leased sites led the list, a saved
search kept the view of the moment, the rent was typed in one unit and shown in
another, and an inquiry about a leased site went out without a word."""

import re

import pytest
from e2e_support import PASSWORD, acknowledge_privacy, log_in, snap
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

# Twelve vacant warehouses over the e2e town, and one leased beside the first.
SPOTS = [(121.402 + 0.003 * i, 31.103 + 0.0027 * i) for i in range(12)]
LEASED_AT = (121.4022, 31.1031)


@pytest.fixture
def warehouses(transactional_db, town):
    from backend.sites.models import OwnerUnit, Site
    from backend.sites.services import site_derive

    unit = OwnerUnit.objects.create(code="e2e-nt", name="测试镇南塘村经济合作社", contact_name="胡春倩", contact_mobile="13148370841")

    def site(name, lng, lat, status, **extra):
        made = site_derive(
            Site(owner_unit=unit, name=name, type="warehouse", status=status, lng=lng, lat=lat, building_area_m2=1000,
                 rent_value=0.6, rent_unit="yuan_m2_day", village="南塘村", contact_name="胡春倩", contact_mobile="13148370841", **extra)
        )
        made.save()
        return made

    vacant = [site(f"南塘村{i + 1}号仓库", lng, lat, "vacant") for i, (lng, lat) in enumerate(SPOTS)]
    leased = site("南塘村已租仓库", *LEASED_AT, "leased")
    return {"vacant": vacant, "leased": leased, "unit": unit}


def zoomed_in_on(page, lat, lng, zoom=17):
    page.add_init_script(f"sessionStorage.setItem('dxe.sites', JSON.stringify({{camera: {{center: [{lat}, {lng}], zoom: {zoom}}}}}))")


def cards(page):
    return {int(x) for x in page.locator("#site-list .site-card").evaluate_all("(cards) => cards.map((c) => c.dataset.id)")}


def test_it_says_the_town_wide_count_beside_the_view_and_brings_every_match_into_view(page, warehouses):
    vacant, leased = warehouses["vacant"], warehouses["leased"]
    zoomed_in_on(page, SPOTS[0][1], SPOTS[0][0])
    page.goto("/#/sites")
    pane = page.locator("#site-list-pane")
    expect(pane).to_have_attribute("data-state", "ready")
    # One warehouse in view, the leased one beside it hidden; twelve match in the town.
    assert cards(page) == {vacant[0].id}
    status = page.locator("#sites-status")
    expect(status).to_have_text("地图范围内 1 处 · 全镇 12 处")
    show_all = page.locator("#sites-show-all")
    expect(show_all).to_be_visible()
    snap(page, "walk-6-sites-both-counts")

    # 看全部: the map takes in every match, the list shows them all.
    show_all.click()
    expect(status).to_have_text("地图范围内 12 处 · 全镇 12 处")
    expect(show_all).to_be_hidden()
    assert cards(page) == {s.id for s in vacant}
    snap(page, "walk-6-sites-all")


def test_it_hides_leased_sites_until_the_filter_asks_for_them(page, warehouses):
    leased = warehouses["leased"]
    zoomed_in_on(page, SPOTS[0][1], SPOTS[0][0])
    page.goto("/#/sites")
    pane = page.locator("#site-list-pane")
    expect(pane).to_have_attribute("data-state", "ready")
    expect(page.locator(f".site-card[data-id='{leased.id}']")).to_have_count(0)
    expect(page.locator(f"#map .dxe-site-dot[data-id='{leased.id}']")).to_have_count(0)

    page.locator("#sites-filter").click()
    chip = page.locator("#filter-leased")
    expect(chip).to_have_text("显示已出租的场地")
    expect(chip).to_have_attribute("aria-pressed", "false")
    chip.click()
    page.locator("#filter-apply").click()
    expect(pane).to_have_attribute("data-query", re.compile(r"status=vacant%2Creserved%2Cleased"))
    expect(pane).to_have_attribute("data-state", "ready")
    expect(page.locator(f".site-card[data-id='{leased.id}'] .site-status")).to_have_text("已出租")
    expect(page.locator("#sites-status")).to_have_text("地图范围内 2 处 · 全镇 13 处")
    expect(page.locator("#sites-filter-count")).to_have_text("1")


def test_it_saves_a_search_for_the_whole_town_unless_an_area_was_drawn(page, warehouses, users):
    from backend.sites.models import SavedSearch

    zoomed_in_on(page, SPOTS[0][1], SPOTS[0][0])
    log_in(page, "e2e_enterprise")
    page.goto("/#/sites")
    expect(page.locator("#site-list-pane")).to_have_attribute("data-state", "ready")
    page.locator("#sites-filter").click()
    page.locator("#filter-type-warehouse").click()
    page.locator("#sites-save").click()
    expect(page.locator("#save-whole-town")).to_contain_text("订阅覆盖全镇")
    expect(page.locator("#save-in-view")).to_have_count(0)
    snap(page, "walk-6-save-whole-town")
    page.locator("#save-submit").click()
    expect(page.locator("#toast")).to_contain_text("已订阅")
    params = SavedSearch.objects.get().params
    assert params["types"] == ["warehouse"] and not params.get("bbox") and not params.get("polygon")


def test_it_shows_a_monthly_total_beside_the_unit_price(page, warehouses):
    first = warehouses["vacant"][0]
    zoomed_in_on(page, SPOTS[0][1], SPOTS[0][0])
    page.goto("/#/sites")
    card = page.locator(f".site-card[data-id='{first.id}']")
    # 0.60 元/m²/天 × 1,000 m² × 365/12 days = 18,250 元: an estimate, to two figures.
    expect(card.locator(".site-card-rent")).to_have_text("0.60 元/m²/天")
    expect(card.locator(".site-card-monthly")).to_have_text("约 18,000 元/月")
    snap(page, "walk-7-monthly-card")
    card.locator(".site-card-main").click()
    expect(page.locator("#site-detail-sheet #site-monthly")).to_have_text("约 18,000 元/月")


def test_it_lets_the_owner_type_the_rent_in_the_unit_it_is_shown_in(page, users):
    from backend.sites.models import OwnerUnit, Site
    from backend.sites.services import site_derive

    site = site_derive(
        Site(owner_unit=OwnerUnit.objects.get(code="e2e-coop"), name="测试村一号厂房", type="factory", status="vacant",
             lng=121.42, lat=31.12, building_area_m2=800, rent_value=0.9, rent_unit="yuan_m2_day")
    )
    site.save()
    log_in(page, "e2e_owner")
    card = page.locator(f"#mysite-{site.id}")
    expect(card.locator(".site-card-rent")).to_have_text("0.9 元/m²/天")
    card.locator(f"#edit-{site.id}").click()
    editor = page.locator("#site-edit-sheet")
    # The unit sits beside the number, and the sheet says what the figure comes to.
    rent, unit = editor.locator("#edit-rent_value"), editor.locator("#edit-rent_unit")
    assert abs(rent.bounding_box()["y"] - unit.bounding_box()["y"]) < 8, "the unit is on the rent's line"
    rent.fill("27")
    unit.select_option("yuan_m2_month")
    expect(editor.locator("#edit-rent-preview")).to_have_text("折合 0.89 元/m²/天 · 约 22,000 元/月")
    snap(page, "walk-7-owner-rent")
    editor.locator("#edit-save").click()
    expect(editor).to_have_count(0)
    # What was typed is what is shown: 27 元/m²/月, not 0.89 元/m²/天 (a change that looked lost).
    expect(card.locator(".site-card-rent")).to_have_text("27 元/m²/月")
    expect(card.locator(".site-card-monthly")).to_have_text("约 22,000 元/月")
    site.refresh_from_db()
    assert (site.rent_value, site.rent_unit) == (27, "yuan_m2_month")


def test_it_warns_before_an_inquiry_about_a_leased_site(page, warehouses, users):
    leased, vacant = warehouses["leased"], warehouses["vacant"][0]
    log_in(page, "e2e_enterprise")
    page.goto(f"/#/sites/{leased.id}")
    detail = page.locator("#site-detail-sheet")
    warning = detail.locator("#inquiry-leased")
    expect(warning).to_contain_text("该场地已出租，仍要咨询？")
    expect(detail.locator("#inquiry-form")).to_be_hidden()
    warning.scroll_into_view_if_needed()
    snap(page, "walk-7-leased-inquiry")
    detail.locator("#inquiry-anyway").click()
    expect(warning).to_have_count(0)
    expect(detail.locator("#inquiry-form")).to_be_visible()
    expect(detail.locator("#inquiry-message")).to_be_focused()

    # A vacant site: the form straight away.
    page.goto(f"/#/sites/{vacant.id}")
    expect(page.locator("#site-detail-sheet")).to_have_attribute("data-site-id", str(vacant.id))
    expect(page.locator("#site-detail-sheet #inquiry-form")).to_be_visible()
    expect(page.locator("#site-detail-sheet #inquiry-leased")).to_have_count(0)
