"""Needs space (issue 13 item 5) on a 360-px phone: an enterprise raises a 场地 demand with a
type and an area range, sees the suggested idle sites with why each matched, and sends an
inquiry to one from there — noted on the demand's timeline, the card then marked 已咨询."""

import pytest
from e2e_support import log_in, small_touch_targets, snap
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def site(owner_unit, **fields):
    from backend.sites.models import Site
    from backend.sites.services import site_derive, sites_changed

    defaults = {"lat": 31.12, "lng": 121.42, "status": "vacant", "contact_name": "胡春倩", "contact_mobile": "13148370841"}
    made = site_derive(Site(owner_unit=owner_unit, **(defaults | fields)))
    made.save()
    sites_changed()
    return made


def test_it_suggests_sites_for_a_site_demand_and_sends_an_inquiry_from_one(new_context, users):
    from backend.demands.models import Demand, DemandSiteInquiry
    from backend.sites.models import Inquiry, OwnerUnit

    unit = OwnerUnit.objects.get(code="e2e-coop")
    good = site(unit, name="东湾村1号厂房", type="factory", village="东湾村", building_area_m2=1200)
    site(unit, name="东湾村大厂房", type="factory", village="东湾村", building_area_m2=1700, lng=121.425)
    site(unit, name="东湾村办公楼", type="office", village="东湾村", building_area_m2=1000)
    site(unit, name="已出租厂房", type="factory", village="东湾村", building_area_m2=1000, status="leased")

    page = new_context().new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "e2e_enterprise")
    page.goto(page.url.split("#")[0] + "#/demands/new")
    expect(page.locator("#raise-needs")).to_be_hidden()
    page.locator("label[for=demand-category-site]").click()
    expect(page.locator("#raise-needs")).to_be_visible()
    page.locator("label[for=raise-type-factory]").click()
    page.locator("#raise-area-min").fill("1500")
    page.locator("#raise-area-max").fill("800")
    page.locator("#demand-description").fill("扩产需要一处厂房，最好在东湾村附近")
    page.locator("#raise-submit").click()
    expect(page.locator("#raise-error")).to_have_text("面积上限不能小于下限")
    page.locator("#raise-area-min").fill("800")
    page.locator("#raise-area-max").fill("1500")
    assert small_touch_targets(page) == []
    snap(page, "demand-sites-1-raise")
    page.locator("#raise-submit").click()

    expect(page.locator("#demand-site-needs")).to_contain_text("厂房；800–1,500㎡")
    demand = Demand.objects.get()
    assert (demand.category, demand.site_types, demand.site_area_min_m2, demand.site_area_max_m2) == ("site", ["factory"], 800, 1500)
    cards = page.locator("#suggest-list .dm-suggestion")
    expect(cards).to_have_count(2)  # not the office, not the leased one
    first = cards.nth(0)
    expect(first.locator(".dm-suggestion-name")).to_have_text("东湾村1号厂房")
    expect(first.locator(".dm-reasons")).to_contain_text("面积 1,200㎡ 在 800–1,500㎡ 之内")
    expect(first.locator(".dm-reasons")).to_contain_text("类型：厂房")
    expect(cards.nth(1).locator(".dm-reasons")).to_contain_text("比需求上限 1,500㎡ 大 13%")
    expect(first.locator(".dm-suggestion-name")).to_have_attribute("href", f"#/sites/{good.id}")

    page.locator(f"#suggest-inquire-{good.id}").click()
    expect(page.locator(f"#suggest-message-{good.id}")).to_contain_text("东湾村1号厂房")
    assert small_touch_targets(page) == []
    snap(page, "demand-sites-2-inquire")
    page.locator(f"#suggest-send-{good.id}").click()
    expect(page.locator("#demand-timeline .dm-step").last).to_contain_text("发出场地咨询")
    expect(page.locator("#suggest-list .dm-suggestion").nth(0).locator(".dm-inquired")).to_have_text("已咨询")
    inquiry = Inquiry.objects.get()
    assert (inquiry.site_id, inquiry.phone) == (good.id, "13800138000")
    assert DemandSiteInquiry.objects.get().inquiry_id == inquiry.id
    assert Demand.objects.get().status == "pending"
    snap(page, "demand-sites-3-sent")

    # The site's own page is one tap away.
    page.locator("#suggest-list .dm-suggestion-name").nth(0).click()
    expect(page).to_have_url(f"{page.url.split('#')[0]}#/sites/{good.id}")
    assert errors == []
