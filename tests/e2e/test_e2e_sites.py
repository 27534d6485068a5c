"""The idle-site finder in the browser (issue 4, acceptance 3).

A phone, an anonymous visitor: 找场地 opens on the town, the visitor pans the
map and the cards follow, filters factories ≥ 500 m², opens a site, logs in as
demo_enterprise from the prompt and comes back to the same site, reveals the
phone (the server logs it) and sends an inquiry; demo_owner, whose unit holds
the site, finds the inquiry under 咨询 and answers it.

Sites are written with the ORM, in and around the e2e town (121.40–121.44 E,
31.10–31.14 N). Which sites the list must show is computed from the view the
app searched (the list pane's data-bbox), and the pan is checked to bring the
eastern site in and push the western one out.
"""

import re

import pytest
from apisupport import run_tasks
from e2e_support import PASSWORD, acknowledge_privacy, log_in, small_touch_targets, snap, wait_for_service_worker
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

SITES = {
    # key: (name, type, area m², lng, lat, status)
    "west": ("东湾村西厂房", "factory", 800, 121.403, 31.121, "vacant"),
    "centre": ("东湾村中心厂房", "factory", 1200, 121.435, 31.125, "vacant"),
    "small": ("东湾村小厂房", "factory", 300, 121.436, 31.118, "vacant"),
    "office": ("东湾村办公楼", "office", 900, 121.437, 31.122, "vacant"),
    "leased": ("东湾村已租厂房", "factory", 700, 121.438, 31.127, "leased"),
    # Out of the first view (the town, fitted clear of the bars) and in it after one pan east.
    "east": ("东湾村东区厂房", "factory", 1500, 121.47, 31.121, "vacant"),
    "far": ("远郊厂房", "factory", 2000, 121.60, 31.30, "vacant"),
}
EAST_PHONE = "13912345678"


@pytest.fixture
def idle_sites(transactional_db, town):
    """demo_enterprise, demo_owner (of 东湾村经济合作社) and the unit's sites."""
    from django.utils import timezone

    from backend.enterprises.models import Enterprise
    from backend.sites.models import OwnerUnit, Site
    from backend.sites.services import site_derive
    from apisupport import make_user

    unit = OwnerUnit.objects.create(code="e2e-dw", name="青枫镇东湾村经济合作社", contact_name="胡春倩", contact_mobile="13148370841")
    enterprise = Enterprise.objects.create(uscc="91310000MA1FL0XQ2K", name="上海青枫示范科技有限公司", lat=31.12, lng=121.42, industry="C")
    acknowledge_privacy(
        make_user("demo_enterprise", "enterprise", password=PASSWORD, display_name="赵经理", enterprise=enterprise, mobile="13800001234"),
        make_user("demo_owner", "owner", password=PASSWORD, display_name="钱会计", owner_unit=unit),
    )
    made = {}
    for key, (name, kind, area, lng, lat, status) in SITES.items():
        site = site_derive(
            Site(
                owner_unit=unit,
                name=name,
                type=kind,
                status=status,
                lng=lng,
                lat=lat,
                building_area_m2=area,
                rent_value=0.9,
                rent_unit="yuan_m2_day",
                address=f"青枫镇{name}",
                village="东湾村",
                contact_name="胡春倩",
                contact_mobile=EAST_PHONE if key == "east" else f"1391000{len(made):04d}",
                # One listing the owner has not confirmed for 90 days: shown as 待确认.
                last_confirmed=None if key == "west" else timezone.localdate(),
            )
        )
        site.save()
        made[key] = site
    return made


def listed(page):
    """The ids of the cards in the list, and the view (bbox) they were searched for."""
    pane = page.locator("#site-list-pane")
    bbox = [float(x) for x in pane.get_attribute("data-bbox").split(",")]
    ids = {int(x) for x in page.locator("#site-list .site-card").evaluate_all("(cards) => cards.map((c) => c.dataset.id)")}
    return ids, bbox


def expected(sites, bbox, *, types=None, area_min=None):
    """What the list must show: leased sites are hidden unless asked for (issue 12)."""
    west, south, east, north = bbox
    return {
        s.id
        for s in sites.values()
        if s.status != "leased"
        and west <= s.lng <= east
        and south <= s.lat <= north
        and (types is None or s.type in types)
        and (area_min is None or (s.area_m2 or 0) >= area_min)
    }


def log_out(page):
    page.locator("#tabbar a[href='#/me']").click()
    page.locator("#logout").click()
    expect(page.locator("#app")).to_have_attribute("data-route", "login")


def wait_for_search(page, *, other_than=None):
    pane = page.locator("#site-list-pane")
    if other_than is not None:
        expect(pane).not_to_have_attribute("data-bbox", other_than)
    expect(pane).to_have_attribute("data-state", "ready")
    return pane.get_attribute("data-bbox")


def test_it_finds_a_factory_reveals_the_owner_and_sends_an_inquiry_that_the_owner_sees(page, idle_sites):
    from backend.sites.models import ContactReveal, Inquiry, Site

    sites = idle_sites
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )

    # --- an anonymous visitor opens 找场地: the town with its sites --------------------------
    page.goto("/#/sites")
    expect(page.locator("#map path.dxe-boundary")).to_have_count(1)
    before = wait_for_search(page)
    ids, bbox = listed(page)
    assert ids == expected(sites, bbox)
    assert sites["west"].id in ids and sites["east"].id not in ids and sites["far"].id not in ids
    expect(page.locator(f"#map .dxe-site-dot[data-id='{sites['west'].id}'], #map .dxe-site-cluster")).not_to_have_count(0)
    card = page.locator(f".site-card[data-id='{sites['centre'].id}']")
    expect(card.locator(".site-type")).to_have_text("厂房")
    expect(card.locator(".site-card-area")).to_have_text("1,200 m²")
    expect(card.locator(".site-card-rent")).to_have_text("0.90 元/m²/天")
    expect(card.locator(".site-status")).to_have_text("空置")
    expect(card.locator(".site-call")).to_be_visible()
    assert small_touch_targets(page) == []

    # --- pans the map east: the list follows the view -------------------------------------------
    map_box = page.locator("#map").bounding_box()
    y = map_box["y"] + 72  # just under the bar: clear of the sites and of the zoom buttons (bottom right)
    page.mouse.move(map_box["x"] + 320, y)
    page.mouse.down()
    page.mouse.move(map_box["x"] + 230, y, steps=5)
    page.mouse.move(map_box["x"] + 140, y, steps=5)
    page.wait_for_timeout(200)  # hold still before letting go: no inertia, a predictable pan
    page.mouse.up()
    after = wait_for_search(page, other_than=before)
    ids, bbox = listed(page)
    assert bbox[0] > float(before.split(",")[0])  # the view moved east
    assert ids == expected(sites, bbox)
    assert sites["east"].id in ids and sites["west"].id not in ids

    # --- filters factories of at least 500 m² ----------------------------------------------------
    page.locator("#sites-filter").click()
    sheet = page.locator("#site-filter-sheet")
    expect(sheet).to_be_visible()
    sheet.locator("#filter-type-factory").click()
    expect(sheet.locator("#filter-type-factory")).to_have_attribute("aria-pressed", "true")
    sheet.locator("#filter-area-min").fill("500")
    assert small_touch_targets(page) == []
    snap(page, "sites-filter-sheet")
    sheet.locator("#filter-apply").click()
    expect(sheet).to_have_count(0)
    pane = page.locator("#site-list-pane")
    expect(pane).to_have_attribute("data-query", "type=factory&status=vacant%2Creserved&area_min=500&bbox=" + after.replace(",", "%2C") + "&sort=id&limit=200")
    expect(pane).to_have_attribute("data-state", "ready")
    expect(page.locator("#sites-filter-count")).to_have_text("2")
    ids, bbox = listed(page)
    assert ids == expected(sites, bbox, types={"factory"}, area_min=500)
    assert {sites["east"].id, sites["centre"].id} <= ids
    assert not ids & {sites["small"].id, sites["office"].id, sites["west"].id, sites["far"].id, sites["leased"].id}
    # Factories outside the view match too (the western one, the far one): both counts are said.
    town = expected(sites, [-180, -90, 180, 90], types={"factory"}, area_min=500)
    assert len(town) > len(ids)
    expect(page.locator("#sites-status")).to_have_text(f"地图范围内 {len(ids)} 处 · 全镇 {len(town)} 处")
    snap(page, "sites-map-with-list")

    # --- the list/map toggle keeps the selected site ---------------------------------------------------
    east = sites["east"]
    east_card = page.locator(f".site-card[data-id='{east.id}']")
    east_card.locator(".site-card-main").click()
    detail = page.locator("#site-detail-sheet")
    expect(detail.locator("#site-owner")).to_have_text("青枫镇东湾村经济合作社")
    detail.locator(".sheet-close").click()
    expect(detail).to_have_count(0)
    expect(east_card).to_have_attribute("aria-current", "true")
    page.locator("#sites-view-list").click()
    expect(page.locator("#sites-screen")).to_have_attribute("data-view", "list")
    expect(east_card).to_have_attribute("aria-current", "true")
    expect(east_card).to_be_in_viewport()
    snap(page, "sites-list")
    page.locator("#sites-view-map").click()
    expect(page.locator(f"#map .dxe-site.is-selected .dxe-site-dot[data-id='{east.id}']")).to_have_count(1)

    # --- opens the site: photos, specs, masked phone, navigation links -----------------------------------
    east_card.locator(".site-card-main").click()
    expect(detail.locator(".sheet-title")).to_have_text("东湾村东区厂房")
    expect(detail.locator("#contact-phone-masked")).to_have_text("联系电话：查看后显示")
    expect(detail.locator("#contact-surname")).to_have_text("联系人：胡先生/女士")
    expect(detail.locator("#site-area")).to_have_text("1,500 m²")
    assert "uri.amap.com/navigation" in detail.locator("#nav-amap").get_attribute("href")
    assert "coord_type=bd09ll" in detail.locator("#nav-baidu").get_attribute("href")
    assert "apis.map.qq.com" in detail.locator("#nav-tencent").get_attribute("href")
    assert EAST_PHONE not in page.content() and "****" not in page.content()  # nothing of it until revealed
    assert small_touch_targets(page) == []
    snap(page, "sites-detail")

    # --- "显示联系电话" asks an anonymous visitor to log in, and comes back to the site -------------------------
    detail.locator("#reveal-phone").click()
    expect(detail.locator("#reveal-login")).to_be_visible()
    assert not ContactReveal.objects.exists()
    detail.locator("#reveal-login-link").click()
    expect(page.locator("#app")).to_have_attribute("data-route", "login")
    assert f"next=sites%2F{east.id}" in page.url
    page.locator("#username").fill("demo_enterprise")
    page.locator("#password").fill(PASSWORD)
    page.locator("#login-submit").click()
    expect(page.locator("#app")).to_have_attribute("data-route", "sites")
    expect(detail).to_have_attribute("data-site-id", str(east.id))
    expect(detail.locator(".sheet-title")).to_have_text("东湾村东区厂房")
    # Same filters and view as before logging in.
    expect(page.locator("#sites-filter-count")).to_have_text("2")
    expect(pane).to_have_attribute("data-state", "ready")
    assert "type=factory&status=vacant%2Creserved&area_min=500" in pane.get_attribute("data-query")

    # --- reveals the phone: the full number, a tel: button, and the server logged it -------------------------
    detail.locator("#reveal-phone").click()
    expect(detail.locator("#contact-phone")).to_have_text(EAST_PHONE)
    expect(detail.locator("#call-phone")).to_have_attribute("href", f"tel:{EAST_PHONE}")
    reveals = list(ContactReveal.objects.values_list("user__username", "site_id"))
    assert reveals == [("demo_enterprise", east.id)]
    # The card behind the sheet shows the number too, without a second (logged) reveal.
    expect(east_card.locator("a.site-call")).to_have_attribute("href", f"tel:{EAST_PHONE}")
    snap(page, "sites-detail-revealed")

    # --- sends an inquiry ---------------------------------------------------------------------------------------
    detail.locator("#inquiry-area_needed").fill("800")
    detail.locator("#inquiry-industry").fill("机械加工")
    detail.locator("#inquiry-message").fill("想租800平方米左右的厂房，需要行车，能否下周看厂？")
    detail.locator("#inquiry-submit").click()
    expect(detail.locator("#inquiry-sent")).to_contain_text("咨询已发送")
    snap(page, "sites-inquiry-sent")
    inquiry = Inquiry.objects.get()
    assert (inquiry.site_id, inquiry.user.username, inquiry.area_needed_m2, inquiry.industry, inquiry.phone) == (
        east.id,
        "demo_enterprise",
        800,
        "机械加工",
        "13800001234",
    )
    assert ContactReveal.objects.count() == 1
    detail.locator(".sheet-close").click()

    # --- demo_owner sees the inquiry under 咨询 and answers it ---------------------------------------------------
    log_out(page)
    log_in(page, "demo_owner")
    expect(page.locator("#app")).to_have_attribute("data-route", "my-sites")
    expect(page.locator("#mysite-list .mysite-card")).to_have_count(len(SITES))
    expect(page.locator("#tabbar a[data-route='inquiries'] .tab-badge")).to_have_text("1")
    assert small_touch_targets(page) == []
    snap(page, "owner-my-sites")
    page.locator("#tabbar a[data-route='inquiries']").click()
    card = page.locator(f"#inquiry-{inquiry.id}")
    expect(card.locator(".inquiry-site")).to_have_text("东湾村东区厂房")
    expect(card.locator(".inquiry-message")).to_have_text("想租800平方米左右的厂房，需要行车，能否下周看厂？")
    expect(card.locator(".inquiry-from")).to_contain_text("上海青枫示范科技有限公司")
    expect(card.locator(".inquiry-needs")).to_contain_text("800 m²")
    expect(card.locator(".inquiry-phone")).to_have_attribute("href", "tel:13800001234")
    # Seen: the new-inquiry notice is read, the badge goes.
    expect(page.locator("#tabbar a[data-route='inquiries'] .tab-badge")).to_be_hidden()
    assert small_touch_targets(page) == []
    snap(page, "owner-inquiries")
    card.locator(f"#answer-{inquiry.id}").fill("欢迎看厂，请提前一天电话预约。")
    card.locator(f"#answer-{inquiry.id}-status").select_option("reserved")
    card.locator(".inquiry-answer-submit").click()
    expect(card.locator(".inquiry-status")).to_have_text("已回复")
    inquiry.refresh_from_db()
    assert inquiry.status == "answered" and inquiry.answer == "欢迎看厂，请提前一天电话预约。"
    assert Site.objects.get(id=east.id).status == "reserved"
    assert page.evaluate("window.__csp") == []


def tiny_jpeg() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (40, 120, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_it_sorts_the_list_by_distance_from_the_map_centre(page, idle_sites):
    from geo.distance import distance_m

    page.goto("/#/sites")
    wait_for_search(page)
    page.locator("#sites-filter").click()
    page.locator("#filter-sort").select_option("distance")
    page.locator("#filter-apply").click()
    pane = page.locator("#site-list-pane")
    expect(pane).to_have_attribute("data-query", re.compile(r"sort=distance&limit=200&near=[\d.]+%2C[\d.]+$"))
    expect(pane).to_have_attribute("data-state", "ready")

    near = re.search(r"near=([\d.]+)%2C([\d.]+)", pane.get_attribute("data-query"))
    lat, lng = float(near.group(1)), float(near.group(2))
    ids = [int(x) for x in page.locator("#site-list .site-card").evaluate_all("(cards) => cards.map((c) => c.dataset.id)")]
    by_id = {site.id: site for site in idle_sites.values()}
    distances = [distance_m(lat, lng, by_id[i].lat, by_id[i].lng) for i in ids]
    assert len(ids) >= 3 and distances == sorted(distances)
    expect(page.locator(f".site-card[data-id='{ids[0]}'] .site-card-distance")).to_contain_text("距中心")


def test_it_lists_the_sites_inside_an_area_drawn_with_taps(page, idle_sites):
    # Start on the eastern part of the town at zoom 14, so the area fits between the bars.
    page.add_init_script(
        "sessionStorage.setItem('dxe.sites', JSON.stringify({camera: {center: [31.1286, 121.4365], zoom: 14}}))"
    )
    page.goto("/#/sites")
    wait_for_search(page)
    west, south, east, north = (float(x) for x in page.locator("#site-list-pane").get_attribute("data-bbox").split(","))
    box = page.locator("#map").bounding_box()

    def tap(lng, lat):
        x = box["x"] + (lng - west) / (east - west) * box["width"]
        y = box["y"] + (north - lat) / (north - south) * box["height"]
        # The map must take the tap (not a bar or a card floating over it).
        assert page.evaluate(f"!!document.elementFromPoint({x}, {y}).closest('.leaflet-container')"), (lng, lat)
        page.touchscreen.tap(x, y)

    page.locator("#sites-more").click()  # 画范围 is folded into 更多 (issue 12)
    page.locator("#sites-draw").click()
    expect(page.locator("#area-done")).to_be_disabled()
    corners = [(121.432, 31.1165), (121.441, 31.1165), (121.441, 31.1285), (121.432, 31.1285)]
    # Corners out of order make a bow tie: refused on the phone, with a way out.
    for lng, lat in [corners[0], corners[1], corners[3], corners[2]]:
        tap(lng, lat)
    page.locator("#area-done").click()
    expect(page.locator("#sites-area-hint")).to_contain_text("交叉")
    expect(page.locator("#sites-area-bar")).to_be_visible()
    for _ in range(4):
        page.locator("#area-undo").click()
    for lng, lat in corners[:3]:
        tap(lng, lat)
    expect(page.locator("#sites-area-hint")).to_contain_text("3")
    page.locator("#area-undo").click()
    expect(page.locator("#area-done")).to_be_disabled()
    for lng, lat in corners[2:]:
        tap(lng, lat)
    expect(page.locator("#map path.dxe-area-draft")).to_have_count(1)
    assert small_touch_targets(page) == []
    snap(page, "sites-draw-area")
    page.locator("#area-done").click()

    pane = page.locator("#site-list-pane")
    expect(pane).to_have_attribute("data-bbox", "area")
    expect(pane).to_have_attribute("data-state", "ready")
    expect(page.locator("#map path.dxe-area")).to_have_count(1)
    ids = {int(x) for x in page.locator("#site-list .site-card").evaluate_all("(cards) => cards.map((c) => c.dataset.id)")}
    inside = {s.id for s in idle_sites.values() if 121.432 <= s.lng <= 121.441 and 31.1165 <= s.lat <= 31.1285 and s.status != "leased"}
    assert ids == inside and len(inside) == 3
    expect(page.locator("#sites-status")).to_have_text(re.compile(r"^画出的范围内 3 处 · 全镇 \d+ 处$"))
    expect(page.locator("#sites-follow")).to_be_hidden()
    snap(page, "sites-in-area")

    # Clearing the area goes back to searching the view.
    page.locator("#sites-area-clear").click()
    expect(page.locator("#map path.dxe-area")).to_have_count(0)
    expect(pane).not_to_have_attribute("data-bbox", "area")
    page.locator("#sites-more").click()
    expect(page.locator("#sites-draw")).to_be_visible()


def test_it_tells_an_enterprise_when_a_site_matching_its_saved_search_is_vacant_again(page, idle_sites, settings, tmp_path):
    from backend.notifications.models import Notice
    from backend.sites.models import SavedSearch, Site

    settings.MEDIA_ROOT = tmp_path
    leased = idle_sites["leased"]

    # demo_enterprise keeps "factories of at least 600 m² in this view" (订阅).
    log_in(page, "demo_enterprise")
    expect(page.locator("#app")).to_have_attribute("data-route", "sites")
    wait_for_search(page)
    page.locator("#sites-filter").click()
    page.locator("#filter-type-factory").click()
    page.locator("#filter-area-min").fill("600")
    page.locator("#sites-save").click()  # applies the filters and opens the 订阅 sheet
    expect(page.locator("#site-list-pane")).to_have_attribute("data-query", re_contains("area_min=600"))
    expect(page.locator("#site-list-pane")).to_have_attribute("data-state", "ready")
    expect(page.locator(f".site-card[data-id='{leased.id}']")).to_have_count(0)  # leased: hidden by default
    expect(page.locator("#save-name")).to_have_value("厂房 · ≥ 600 m²")
    # No area drawn: the subscription covers the whole town, not the view of the moment.
    expect(page.locator("#save-in-view")).to_have_count(0)
    expect(page.locator("#save-whole-town")).to_contain_text("全镇")
    page.locator("#save-submit").click()
    expect(page.locator("#toast")).to_contain_text("已订阅")
    saved = SavedSearch.objects.get(user__username="demo_enterprise")
    assert (saved.name, saved.params["types"], saved.params["area_min"]) == ("厂房 · ≥ 600 m²", ["factory"], 600)
    assert saved.params["statuses"] == ["vacant", "reserved"] and not saved.params.get("bbox") and not saved.params.get("polygon")
    log_out(page)

    # demo_owner edits the leased factory (photo, rent) and puts it back on the market.
    log_in(page, "demo_owner")
    card = page.locator(f"#mysite-{leased.id}")
    expect(card).to_have_attribute("data-status", "leased")
    card.locator(f"#edit-{leased.id}").click()
    editor = page.locator("#site-edit-sheet")
    editor.locator("#edit-photo-input").set_input_files(files=[{"name": "厂房.jpg", "mimeType": "image/jpeg", "buffer": tiny_jpeg()}])
    expect(editor.locator(".edit-photo")).to_have_count(1)
    editor.locator("#edit-rent_value").fill("27")
    editor.locator("#edit-rent_unit").select_option("yuan_m2_month")
    assert small_touch_targets(page) == []
    snap(page, "owner-edit-sheet")
    editor.locator("#edit-save").click()
    expect(editor).to_have_count(0)
    expect(card.locator(".site-card-rent")).to_have_text("27 元/m²/月")  # as typed, not per day (issue 12)
    card.locator(f"#status-{leased.id}-vacant").click()
    expect(card).to_have_attribute("data-status", "vacant")
    leased.refresh_from_db()
    assert (leased.status, leased.rent_unit, leased.photos.count()) == ("vacant", "yuan_m2_month", 1)
    # The alert is a task: nothing is sent until a worker runs it.
    assert not Notice.objects.filter(user__username="demo_enterprise", kind="sites.saved_search").exists()
    assert run_tasks() >= 1
    notice = Notice.objects.get(user__username="demo_enterprise", kind="sites.saved_search")
    assert notice.url == f"#/sites/{leased.id}"
    log_out(page)

    # demo_enterprise sees the notice (badge on 诉求与消息), opens it, lands on the site.
    log_in(page, "demo_enterprise")
    messages_tab = page.locator("#tabbar a[data-route='messages']")
    expect(messages_tab.locator(".tab-badge")).to_have_text("1")
    messages_tab.click()
    item = page.locator(f"#notice-list .notice-item[data-id='{notice.id}']")
    expect(item).to_have_attribute("data-unread", "true")
    expect(item).to_contain_text("有1处新场地符合订阅「厂房 · ≥ 600 m²」")
    assert small_touch_targets(page) == []
    snap(page, "enterprise-messages")
    item.locator(".notice-main").click()
    expect(page.locator("#app")).to_have_attribute("data-route", "sites")
    detail = page.locator("#site-detail-sheet")
    expect(detail.locator(".sheet-title")).to_have_text("东湾村已租厂房")
    expect(detail.locator(".site-status")).to_have_text("空置")
    expect(detail.locator("#site-photos img")).to_have_count(1)
    expect(messages_tab.locator(".tab-badge")).to_be_hidden()
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert Site.objects.get(id=leased.id).status == "vacant"

    # 订阅 lists the saved search; 查看 opens the map with its filters and view.
    detail.locator(".sheet-close").click()
    page.locator("#sites-filter").click()
    page.locator("#filter-reset").click()
    page.locator("#filter-apply").click()
    expect(page.locator("#sites-filter-count")).to_be_hidden()
    messages_tab.click()
    page.locator("#messages-saved").click()
    saved_card = page.locator(f"#saved-list .saved-card[data-id='{saved.id}']")
    expect(saved_card.locator(".saved-name")).to_have_text("厂房 · ≥ 600 m²")
    saved_card.get_by_role("link").click()
    expect(page.locator("#sites-filter-count")).to_have_text("3")
    expect(page.locator("#site-list-pane")).to_have_attribute("data-query", re_contains("type=factory&status=vacant%2Creserved&area_min=600"))
    expect(page.locator("#toast")).to_contain_text("已按订阅")


def re_contains(text):
    return re.compile(re.escape(text))


def test_it_keeps_the_last_sites_offline_and_searches_again_when_back_online(page, context, gate, idle_sites):
    page.goto("/#/sites")
    wait_for_search(page)
    ids, _ = listed(page)
    wait_for_service_worker(page)

    context.set_offline(True)
    gate.block()
    page.locator(".leaflet-control-zoom-in").click()
    pane = page.locator("#site-list-pane")
    expect(pane).to_have_attribute("data-state", "offline")
    expect(page.locator("#sites-status")).to_have_text("离线：显示的是上次搜索的结果")
    expect(page.locator("#net-banner")).to_be_visible()
    assert listed(page)[0] == ids  # the cards stay

    gate.open()
    context.set_offline(False)
    expect(pane).to_have_attribute("data-state", re.compile("ready|empty"))
    ids, bbox = listed(page)
    assert ids == expected(idle_sites, bbox)
