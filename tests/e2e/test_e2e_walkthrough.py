"""What a new user hit on a 360-px phone (issue 12, "What a user hit"): each item
the walkthrough found, driven the way the user met it."""

import datetime as dt
import pytest
import time_machine
from e2e_support import log_in, make_enterprise, offset, phone, snap, wait_until
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
# A working-day morning, so that no flag but the one under test can appear.
TUESDAY_MORNING = dt.datetime(2026, 11, 17, 10, 0, tzinfo=SHANGHAI)
PARK = (31.1210, 121.4210)

# How many lines an element's text takes: the distinct tops of its text's line boxes.
TEXT_LINES = """(el) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const tops = new Set();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
    }
    return tops.size;
}"""


def past_day():
    return (dt.datetime.now(SHANGHAI).date() - dt.timedelta(days=3)).isoformat()


def pick(page, name):
    page.locator("#nearby-list .enterprise", has_text=name).click()


def fits(page, selector):
    """[the width the field needs for its whole value, the width it has].

    A date field cuts its value inside the browser's own (closed) shadow tree, where
    scrollWidth cannot see it: its width with `width: auto` is what the value needs.
    """
    return page.locator(selector).evaluate(
        """(el) => {
            const probe = el.cloneNode(true);
            probe.removeAttribute("id");
            for (const [name, value] of [["width", "auto"], ["min-width", "0"], ["flex", "none"], ["position", "absolute"], ["visibility", "hidden"]]) {
                probe.style.setProperty(name, value, "important");
            }
            el.parentElement.append(probe);
            const needed = probe.getBoundingClientRect().width;
            probe.remove();
            return [Math.ceil(needed), Math.floor(el.getBoundingClientRect().width)];
        }"""
    )


def test_it_finds_an_enterprise_by_name_or_initials_before_any_gps_fix(page, users):
    make_enterprise("青枫精密机械有限公司", *PARK, n=1)
    make_enterprise("东湾电子科技有限公司", *offset(*PARK, north_m=400), n=2)
    log_in(page, "e2e_staff")

    # No 定位 tapped (indoors, no fix yet): 拼音首字母 still find the enterprise.
    page.locator("#nearby-search").fill("qfjm")
    found = page.locator("#nearby-list .enterprise")
    expect(found).to_have_count(1)
    expect(found.first).to_contain_text("青枫精密机械有限公司")
    expect(page.locator("#nearby-nofix")).to_contain_text("尚未定位")
    expect(found.locator(".enterprise-distance")).to_have_count(0)  # no distance without a fix
    snap(page, "walk-1-search-without-fix")

    page.locator("#nearby-search").fill("东湾")
    expect(found).to_have_count(1)
    expect(found.first).to_contain_text("东湾电子科技有限公司")
    page.locator("#nearby-search").fill("没有这家")
    expect(page.locator("#nearby-list-pane [data-state=empty]")).to_contain_text("没有找到")

    # Picking one opens the check-in sheet, which reads the position itself.
    page.locator("#nearby-search").fill("qfjm")
    pick(page, "青枫精密机械有限公司")
    expect(page.locator("#checkin-sheet")).to_be_visible()


def test_it_warns_before_a_check_out_that_would_be_flagged_too_short(new_context, users):
    from backend.visits.models import Visit

    target = make_enterprise("青枫精密机械有限公司", *PARK, n=1)
    with time_machine.travel(TUESDAY_MORNING, tick=True) as traveller:
        context = phone(new_context, *offset(*PARK, north_m=30), service_workers="block")
        context.clock.install(time=TUESDAY_MORNING)
        page = context.new_page()
        log_in(page, "e2e_staff")
        page.locator("#locate").click()
        pick(page, target.name)
        page.locator("#checkin-confirm").click()
        expect(page.locator("#checkin-result")).to_have_attribute("data-status", "sent")
        page.locator("#checkin-continue").click()
        page.locator("label[for=purpose-service]").click()

        # Two minutes in: the sheet says why this check-out would be flagged, and how long to wait.
        traveller.shift(dt.timedelta(minutes=2))
        context.clock.fast_forward("02:00")
        page.locator("#checkout").click()
        warning = page.locator("#checkout-short")
        expect(warning).to_contain_text("签到才 2 分钟")
        expect(warning).to_contain_text("不足 5 分钟")
        expect(warning).to_contain_text("走访时间过短")
        expect(warning).to_contain_text("再等 3 分钟")
        expect(page.locator("#checkout-confirm")).to_be_enabled()  # the user may still go on
        snap(page, "walk-2-short-checkout-warning")
        page.locator("#checkout-wait").click()
        expect(page.locator("#checkout-sheet")).to_have_count(0)
        assert Visit.objects.get().checkout_at is None

        # Past five minutes: no warning, and the server does not flag it either.
        traveller.shift(dt.timedelta(minutes=4))
        context.clock.fast_forward("04:00")
        page.locator("#checkout").click()
        expect(page.locator("#checkout-confirm")).to_be_visible()
        expect(page.locator("#checkout-short")).to_have_count(0)
        page.locator("#checkout-confirm").click()
        expect(page.locator("#checkout-result")).to_have_attribute("data-status", "sent")
        expect(page.locator("#checkout-flags")).to_have_text("无异常标记")
    assert "short_visit" not in Visit.objects.get().checkout_flags


def test_it_keeps_short_labels_and_dates_whole_on_a_360_px_phone(new_context, users):
    target = make_enterprise("上海青枫精密机械制造股份有限公司", *PARK, n=5)
    context = phone(new_context, *offset(*PARK, north_m=10), service_workers="block")
    page = context.new_page()
    log_in(page, "e2e_staff")
    page.locator("#locate").click()
    # A captive portal answers the check-in: it waits on the phone (待同步).
    page.route("**/api/visits/**", lambda route: route.fulfill(status=200, content_type="text/html", body="<html>Wi-Fi 登录</html>"))
    pick(page, target.name)
    page.locator("#checkin-confirm").click()
    expect(page.locator("#checkin-result")).to_have_attribute("data-status", "queued")
    page.goto("/#/visits")
    sync_now = page.locator("#sync-now")
    expect(sync_now).to_be_visible()
    snap(page, "walk-3-sync-card")
    # Measured once its text is laid out (0 lines: the card was still being drawn, seen on a
    # loaded machine).
    lines = wait_until(page, f"""() => {{
        const el = document.querySelector("#sync-now");
        const n = el ? ({TEXT_LINES})(el) : 0;
        return n > 0 ? n : null;
    }}""")
    assert lines == 1, "立即同步 wraps"
    # The list redraws when the server's visits arrive: measure the chips in one go,
    # once both (进行中, 待同步) are laid out.
    lines = wait_until(
        page,
        f"""() => {{
            const count = {TEXT_LINES};
            const chips = [...document.querySelectorAll("#open-list .chip-small")].map((el) => [el.textContent, count(el)]);
            return chips.length >= 2 && chips.every(([, n]) => n > 0) ? chips : null;
        }}""",
    )
    assert [text for text, n in lines if n != 1] == [], f"chips wrap: {lines}"
    # Beside a long enterprise name on the visit screen too.
    page.locator("#open-list .visit-card").first.click()
    expect(page.locator("#visit-sync")).to_have_text("待同步")
    assert page.locator("#visit-sync").evaluate(TEXT_LINES) == 1, "待同步 wraps beside the name"

    # The trail's date field shows its whole date (the year was cut: "12/01/202").
    day = past_day()
    page.goto(f"/#/my-trail?date={day}")
    expect(page.locator("#trail-date")).to_have_value(day)
    needed, has = fits(page, "#trail-date")
    assert needed <= has, f"trail date cut: needs {needed} px, has {has}"
    page.unroute("**/api/visits/**")


def test_it_keeps_the_team_range_dates_whole_on_a_360_px_phone(page, users):
    log_in(page, "e2e_manager")
    page.goto("/#/team")
    expect(page.locator("#team-from")).to_be_visible()
    page.locator("#team-from").fill("2026-12-01")
    page.locator("#team-to").fill("2026-12-28")
    snap(page, "walk-3-team-range")
    for field in ("#team-from", "#team-to"):
        needed, has = fits(page, field)
        assert needed <= has, f"{field} cut: needs {needed} px, has {has}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_it_shows_an_enterprise_user_their_company_and_no_outbox_lines(page, users):
    log_in(page, "e2e_enterprise")
    page.locator("#tabbar a[href='#/me']").click()
    expect(page.locator("#me-enterprise")).to_contain_text("测试精密制造有限公司")
    expect(page.locator("#me-unit")).to_have_count(0)
    # Enterprise users write nothing offline: no 离线记录 / 离线存储 lines to puzzle over.
    expect(page.locator("#me-sync-row")).to_have_count(0)
    expect(page.locator("#me-storage-row")).to_have_count(0)
    expect(page.locator("#pending-count")).to_have_count(0)
    snap(page, "walk-4-enterprise-me")


def test_it_keeps_the_outbox_lines_for_field_staff(page, users):
    log_in(page, "e2e_staff")
    page.locator("#tabbar a[href='#/me']").click()
    expect(page.locator("#me-unit")).to_contain_text("招商一组")
    expect(page.locator("#me-sync-row")).to_be_visible()
    expect(page.locator("#me-storage-row")).to_be_visible()


def test_it_shows_an_owner_account_its_owner_unit(page, users):
    log_in(page, "e2e_owner")
    page.locator("#tabbar a[href='#/me']").click()
    expect(page.locator("#me-unit")).to_contain_text("测试村经济合作社")
    expect(page.locator("#me-unit")).not_to_contain_text("—")
    snap(page, "walk-4-owner-me")


def test_it_says_an_empty_trail_day_above_the_map(page, users, town):
    log_in(page, "e2e_staff")
    page.goto(f"/#/my-trail?date={past_day()}")
    empty = page.locator("#trail-empty")
    expect(empty).to_contain_text("这一天没有签到记录")
    snap(page, "walk-5-empty-trail")
    box = empty.bounding_box()
    map_box = page.locator("#trail-map").bounding_box()
    assert box["y"] + box["height"] <= map_box["y"], "the note is above the map"
    assert box["y"] >= 0 and box["y"] + box["height"] <= 740, "the note is on the first screen"
    expect(page.locator("#trail-side [data-state=empty]")).to_have_count(0)  # said once
