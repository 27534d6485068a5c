"""Field visits from the phone: nearby list, GPS check-in/out, the offline outbox,
the visit list and detail, the rating page (issue 3)."""

import datetime as dt
import re
import uuid

import pytest
import time_machine
from e2e_support import (
    READ_OUTBOX,
    WRITE_OUTBOX,
    acknowledge_privacy,
    log_in,
    make_enterprise,
    offset,
    phone,
    small_touch_targets,
    snap,
    wait_for_service_worker,
    wait_until,
)
from PIL import Image
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "dianxiaoer-demo"
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
# A Tuesday morning: a working day, inside 07:30–19:00, so no off_hours flag.
TUESDAY_MORNING = dt.datetime(2026, 11, 17, 10, 0, tzinfo=SHANGHAI)
# An industrial park inside the e2e town's boundary.
PARK = (31.1210, 121.4210)


@pytest.fixture
def demo_staff(transactional_db):
    """The README's demo_staff, in a team with a manager (the demo town itself is not loaded)."""
    from backend.accounts.models import OrgUnit, User

    town = OrgUnit.objects.create(code="e2e-qf", name="青枫镇", kind="town")
    team = OrgUnit.objects.create(code="e2e-t1", name="招商一组", kind="team", parent=town)
    staff = User.objects.create_user(username="demo_staff", password=DEMO_PASSWORD, role="staff", display_name="王小明", org_unit=team)
    manager = User.objects.create_user(username="demo_manager", password=DEMO_PASSWORD, role="manager", display_name="李科长", org_unit=team)
    acknowledge_privacy(staff, manager)
    return {"staff": staff, "manager": manager}


def enterprise(name, lat, lng, n):
    return make_enterprise(name, lat, lng, n=n, address=f"青枫工业园{n}号")


def badge(page):
    return page.locator("#sync-badge")


def pick(page, name):
    page.locator("#nearby-list .enterprise", has_text=name).click()


def test_it_checks_in_and_out_beside_an_enterprise_with_no_flags(new_context, demo_staff, town, tmp_path):
    from backend.visits.models import Visit
    from geo.distance import distance_m

    target = enterprise("青枫精密机械有限公司", *PARK, n=1)
    enterprise("东湾电子科技有限公司", *offset(*PARK, north_m=400), n=2)
    lat, lng = offset(target.lat, target.lng, north_m=40, east_m=30)  # ~50 m away
    truth = distance_m(lat, lng, target.lat, target.lng)
    photo = tmp_path / "factory-gate.jpg"
    Image.new("RGB", (320, 240), (180, 120, 60)).save(photo, "JPEG", quality=85)

    # Flags depend on the hour (off_hours) and on device vs server time (clock_skew):
    # the live server runs in this process, so time_machine moves its clock, and
    # Playwright's clock moves the browser's to the same Tuesday morning.
    with time_machine.travel(TUESDAY_MORNING, tick=True) as traveller:
        context = phone(new_context, lat, lng, accuracy=12)
        context.clock.install(time=TUESDAY_MORNING)
        page = context.new_page()
        log_in(page, "demo_staff", DEMO_PASSWORD)

        # Chromium stamps a fix with the real time, the page's Date is on Tuesday:
        # the phone must send a captured_at the server accepts anyway.
        skew_ms = page.evaluate(
            "() => new Promise((ok) => navigator.geolocation.getCurrentPosition((p) => ok(p.timestamp - Date.now())))"
        )
        assert abs(skew_ms) > 60_000

        page.locator("#locate").click()
        expect(page.locator("#nearby-list .enterprise")).to_have_count(2)
        first = page.locator("#nearby-list .enterprise").first
        expect(first).to_contain_text(target.name)
        expect(first.locator(".enterprise-distance")).to_have_text(re.compile(r"^\d{2} 米$"))
        expect(page.locator("#nearby-status")).to_contain_text("±12 米")
        snap(page, "1-nearby-list")

        # Search by pinyin initials (青枫精密 → qfjm) goes to the server.
        page.locator("#nearby-search").fill("qfjm")
        expect(page.locator("#nearby-list .enterprise")).to_have_count(1)
        page.locator("#nearby-search").fill("")
        expect(page.locator("#nearby-list .enterprise")).to_have_count(2)

        pick(page, target.name)
        sheet = page.locator("#checkin-sheet")
        expect(sheet.locator("#checkin-distance")).to_have_text(f"{round(truth)} 米")
        expect(sheet.locator("#checkin-accuracy")).to_have_text("±12 米")
        expect(sheet.locator("#checkin-range")).to_have_text("在签到范围内（300 米）")
        snap(page, "2-checkin-sheet")
        sheet.locator("#checkin-confirm").click()
        expect(sheet.locator("#checkin-result")).to_have_attribute("data-status", "sent")
        expect(sheet.locator("#checkin-flags")).to_have_text("无异常标记")
        sheet.locator("#checkin-continue").click()

        expect(page.locator("#visit-name")).to_have_text(target.name)
        page.locator("label[for=purpose-demand_collection]").click()
        page.locator("#people-met").fill("李总（总经理）")
        page.locator("#summary").fill("企业计划扩产，了解用工和场地需求")
        page.locator("#add-demand").click()
        demand = page.locator(".demand-row").first
        demand.locator("select").select_option("labour")
        demand.locator("textarea").fill("需要招聘20名熟练工")
        page.locator("#photo-gallery").set_input_files(str(photo))
        expect(page.locator("#photo-list .photo")).to_have_attribute("data-sync", "synced")
        snap(page, "3-checkout-form")

        # A real visit lasts more than 5 minutes (else short_visit): move both clocks.
        traveller.shift(dt.timedelta(minutes=6))
        context.clock.fast_forward("06:00")

        page.locator("#checkout").click()
        checkout = page.locator("#checkout-sheet")
        expect(checkout.locator("#checkout-distance")).to_have_text(f"{round(truth)} 米")
        checkout.locator("#checkout-confirm").click()
        result = page.locator("#checkout-result")
        expect(result).to_have_attribute("data-status", "sent")
        expect(result.locator("#checkout-duration")).to_have_text(re.compile(r"^[67] 分钟$"))
        expect(result.locator("#checkout-flags")).to_have_text("无异常标记")
        qr = result.locator("#rating-qr img")
        expect(qr).to_be_visible()
        # The QR code is an <img> of the server's SVG: it must decode.
        assert page.evaluate("() => document.querySelector('#rating-qr img').decode().then(() => true, () => false)")
        snap(page, "4-checkout-qr")
        expect(badge(page)).to_be_hidden()

    visit = Visit.objects.get(staff=demo_staff["staff"])
    assert abs(visit.distance_m - truth) <= 10
    assert visit.flags == []
    assert visit.checkout_flags == []
    assert visit.queued is False
    assert visit.purpose == "demand_collection"
    assert [(d.category, d.description) for d in visit.demands.all()] == [("labour", "需要招聘20名熟练工")]
    assert visit.photos.count() == 1
    assert visit.photos.get().size_bytes == photo.stat().st_size  # sent as taken, not shrunk
    # captured_at came from the page's clock (Tuesday), not from the fix's real-time stamp.
    assert TUESDAY_MORNING <= visit.checkin_at < TUESDAY_MORNING + dt.timedelta(minutes=5)


def test_it_checks_in_and_out_offline_and_syncs_each_visit_exactly_once(new_context, gate, demo_staff, town, tmp_path):
    from backend.demands.models import Demand
    from backend.visits.models import Visit, VisitPhoto

    east = enterprise("东湾电子科技有限公司", *PARK, n=3)
    west = enterprise("西岭食品有限公司", *offset(*PARK, east_m=-900), n=4)
    context = phone(new_context, *offset(east.lat, east.lng, north_m=20), accuracy=15)
    page = context.new_page()
    log_in(page, "demo_staff", DEMO_PASSWORD)
    wait_for_service_worker(page)
    page.locator("#locate").click()  # online once: the list is kept on the phone
    expect(page.locator("#nearby-list .enterprise")).to_have_count(2)

    context.set_offline(True)
    gate.block()  # the service worker's fetches too

    photo = tmp_path / "workshop.png"
    Image.new("RGB", (64, 64), (30, 140, 90)).save(photo, "PNG")

    def visit_offline(name, *, with_photo=False, demand=None):
        page.locator("#locate").click()
        expect(page.locator("#nearby-cached")).to_contain_text("离线")
        pick(page, name)
        page.locator("#checkin-confirm").click()
        expect(page.locator("#checkin-result")).to_have_attribute("data-status", "queued")
        page.locator("#checkin-continue").click()
        page.locator("label[for=purpose-service]").click()
        if demand:  # a need written down offline goes with the queued check-out
            page.locator("#add-demand").click()
            row = page.locator(".demand-row").first
            row.locator("select").select_option(demand[0])
            row.locator("textarea").fill(demand[1])
        if with_photo:  # kept in IndexedDB as a Blob until it can go
            page.locator("#photo-camera").set_input_files(str(photo))
            expect(page.locator("#photo-list .photo")).to_have_attribute("data-sync", "pending")
        page.locator("#checkout").click()
        page.locator("#checkout-confirm").click()
        expect(page.locator("#checkout-result")).to_have_attribute("data-status", "queued")
        expect(page.locator("#qr-pending")).to_contain_text("同步")
        page.locator("#tabbar a[href='#/nearby']").click()

    visit_offline(east.name, with_photo=True)
    context.set_geolocation({"latitude": west.lat + 0.0002, "longitude": west.lng, "accuracy": 15})
    visit_offline(west.name, demand=("site", "想租500平方米的仓库"))
    expect(badge(page)).to_have_text("5")

    page.reload()  # still offline: the shell comes from the service worker, the queue from IndexedDB
    expect(page.locator("#net-banner")).to_be_visible()
    expect(badge(page)).to_have_text("5")
    page.locator("#tabbar a[href='#/visits']").click()
    expect(page.locator("#queued-list .visit-card")).to_have_count(2)
    expect(page.locator("#sync-pending")).to_have_text("待同步 5 条")
    assert Visit.objects.count() == 0
    stored = page.evaluate(READ_OUTBOX)
    assert [item["kind"] for item in stored] == ["checkin", "photo", "checkout", "checkin", "checkout"]
    assert all(item["body"]["queued"] for item in stored if item["kind"] == "checkin")
    assert page.evaluate(f"() => ({READ_OUTBOX})().then((items) => items[1].file instanceof Blob && items[1].file.size)") == photo.stat().st_size

    gate.open()
    context.set_offline(False)
    expect(badge(page)).to_be_hidden()
    expect(page.locator("#visit-list .visit-card")).to_have_count(2)
    visits = list(Visit.objects.order_by("checkin_at"))
    assert [v.enterprise_id for v in visits] == [east.id, west.id]
    assert all(v.checkout_at is not None and v.queued for v in visits)
    assert VisitPhoto.objects.get().visit_id == visits[0].id
    # The offline demand is a row of the ledger (issue 13): 待交办, raised on the visit by its official.
    demand = Demand.objects.get()
    assert (demand.visit_id, demand.enterprise_id, demand.channel, demand.status) == (visits[1].id, west.id, "visit", "pending")
    assert (demand.category, demand.description, demand.raised_by_id) == ("site", "想租500平方米的仓库", demo_staff["staff"].id)
    assert list(demand.transitions.values_list("action", "to_status")) == [("raise", "pending")]

    # Force a second replay of the very same stored bodies: nothing new may appear.
    replies = []
    page.on("response", lambda r: r.request.method == "POST" and "/api/visits/" in r.url and replies.append(r.status))
    page.evaluate(WRITE_OUTBOX, [item for item in stored if item["kind"] != "photo"])  # (a Blob does not survive the trip to Python)
    page.reload()  # the app sends what waits as it starts
    wait_until(page, f"() => ({READ_OUTBOX})().then((items) => items.length === 0)")
    assert replies == [200, 200, 200, 200]  # each answered as a replay of the same record
    expect(badge(page)).to_be_hidden()
    assert Visit.objects.count() == 2
    assert Visit.objects.filter(checkout_at__isnull=False).count() == 2
    assert VisitPhoto.objects.count() == 1
    assert Demand.objects.count() == 1  # the replayed check-out records its demand once


def test_it_keeps_the_check_in_queued_behind_a_captive_portal(new_context, demo_staff):
    from backend.visits.models import Visit

    shop = enterprise("青枫便利店", *PARK, n=5)
    context = phone(new_context, *offset(*PARK, north_m=10), service_workers="block")
    page = context.new_page()
    log_in(page, "demo_staff", DEMO_PASSWORD)
    page.locator("#locate").click()

    portal = "<html><body>请先登录 Wi-Fi</body></html>"
    page.route("**/api/visits/**", lambda route: route.fulfill(status=200, content_type="text/html", body=portal))
    pick(page, shop.name)
    page.locator("#checkin-confirm").click()
    expect(page.locator("#checkin-result")).to_have_attribute("data-status", "queued")
    expect(badge(page)).to_have_text("1")

    page.goto("/#/visits")
    page.locator("#sync-now").click()  # a retry meets the portal again
    expect(page.locator("#toast")).to_contain_text("还有 1 条未能上传")
    expect(page.locator("#sync-pending")).to_have_text("待同步 1 条")
    [item] = page.evaluate(READ_OUTBOX)
    assert item["status"] == "pending" and item["attempts"] >= 2
    assert item["error"]["kind"] == "not-json"
    assert Visit.objects.count() == 0

    page.unroute("**/api/visits/**")
    page.locator("#sync-now").click()
    expect(badge(page)).to_be_hidden()
    assert Visit.objects.filter(enterprise=shop).count() == 1


def test_it_sets_a_refused_check_out_aside_for_attention_instead_of_retrying_it(new_context, demo_staff):
    # A NUL pasted into the summary: PostgreSQL cannot store it, and the server used
    # to answer 500, so the phone retried the queued check-out forever. Now it is a
    # 422: the outbox stops, keeps the item and shows it as needing attention.
    from backend.visits.models import Visit

    target = enterprise("青枫五金有限公司", *PARK, n=9)
    context = phone(new_context, *offset(*PARK, north_m=20), service_workers="block")
    page = context.new_page()
    posts = []
    page.on("response", lambda r: r.request.method == "POST" and r.url.endswith("/checkout") and posts.append(r.status))
    log_in(page, "demo_staff", DEMO_PASSWORD)
    page.locator("#locate").click()
    pick(page, target.name)
    page.locator("#checkin-confirm").click()
    expect(page.locator("#checkin-result")).to_have_attribute("data-status", "sent")
    page.locator("#checkin-continue").click()
    page.locator("label[for=purpose-service]").click()
    page.locator("#summary").evaluate("(el) => { el.value = '谈了用工\u0000问题'; }")
    page.locator("#checkout").click()
    page.locator("#checkout-confirm").click()

    result = page.locator("#checkout-result")
    expect(result).to_have_attribute("data-status", "attention")
    expect(result).to_contain_text("含有不可见的控制字符")
    [item] = page.evaluate(READ_OUTBOX)
    assert (item["kind"], item["status"], item["error"]["status"]) == ("checkout", "attention", 422)
    assert "\u0000" in item["body"]["summary"]  # kept as typed, for the user to see and decide

    # Starting the app again, or the network coming back, sends nothing more: only
    # the user can retry it or give it up.
    page.reload()
    page.locator("#tabbar a[href='#/me']").click()
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.wait_for_timeout(1500)
    expect(page.locator("#attention-count")).to_have_text("1")
    assert posts == [422]
    assert len(page.evaluate(READ_OUTBOX)) == 1
    assert Visit.objects.get(enterprise=target).checkout_at is None


@pytest.mark.parametrize("status,kept", [(425, False), (403, False), (404, False), (408, True), (429, True)])
def test_it_retries_only_a_timeout_or_a_rate_limit_among_4xx(new_context, demo_staff, status, kept):
    target = enterprise("青枫塑料有限公司", *PARK, n=10)
    context = phone(new_context, *offset(*PARK, north_m=20), service_workers="block")
    page = context.new_page()
    log_in(page, "demo_staff", DEMO_PASSWORD)
    page.locator("#locate").click()
    page.route("**/api/visits/checkin", lambda route: route.fulfill(
        status=status, content_type="application/json", body='{"detail": "请稍后再试", "code": "test"}'))
    pick(page, target.name)
    page.locator("#checkin-confirm").click()
    expect(page.locator("#checkin-result")).to_have_attribute("data-status", "queued" if kept else "attention")
    [item] = page.evaluate(READ_OUTBOX)
    assert item["status"] == ("pending" if kept else "attention")
    assert item["error"]["status"] == status


def make_visit(staff, target, **extra):
    from backend.visits.models import Visit

    at = dt.datetime(2026, 11, 17, 9, 30, tzinfo=SHANGHAI)
    fields = {
        "client_id": uuid.uuid4(),
        "staff": staff,
        "enterprise": target,
        "checkin_at": at,
        "checkin_received_at": at,
        "checkin_lat": target.lat,
        "checkin_lng": target.lng,
        "checkin_accuracy_m": 10,
        "distance_m": 12.0,
        "within_geofence": True,
        "checkout_client_id": uuid.uuid4(),
        "checkout_at": at + dt.timedelta(minutes=40),
        "checkout_received_at": at + dt.timedelta(minutes=40),
        "checkout_lat": target.lat,
        "checkout_lng": target.lng,
        "checkout_distance_m": 12.0,
        "purpose": "policy",
        "people_met": "周经理",
        "summary": "宣讲稳岗补贴政策",
        "rating_token": uuid.uuid4().hex[:22],
    }
    return Visit.objects.create(**(fields | extra))


def test_it_takes_one_rating_from_the_qr_link(new_context, demo_staff):
    from backend.accounts.models import User

    target = enterprise("青枫纺织有限公司", *PARK, n=6)
    from apisupport import make_user

    boss = make_user("e2e_boss", "enterprise", password=DEMO_PASSWORD, enterprise=target, mobile="13800138006")
    acknowledge_privacy(boss)
    visit = make_visit(demo_staff["staff"], target)
    late = new_context(service_workers="block").new_page()  # opened before the rating, submitted after
    late.goto(f"/#/rate/{visit.rating_token}")
    expect(late.locator("#rate-enterprise")).to_have_text(target.name)

    # The enterprise's person scans the code with their own phone, not logged in:
    # the rating is taken but counts nowhere, and the page says how to make it count.
    page = new_context(service_workers="block").new_page()
    page.goto(f"/#/rate/{visit.rating_token}")
    expect(page.locator("#rate-enterprise")).to_have_text(target.name)
    expect(page.locator("#tabbar")).to_be_hidden()
    expect(page.locator("#rate-note")).to_have_attribute("data-standing", "unverified")
    assert small_touch_targets(page) == []
    expect(page.locator("#rate-submit")).to_be_disabled()
    page.locator(".star[data-stars='5']").click()
    expect(page.locator("#star-label")).to_have_text("5 星：非常满意")
    page.locator("#rate-comment").fill("服务很及时")
    page.locator("#rate-submit").click()
    expect(page.locator("#rate-message")).to_contain_text("未登录的评价仅供参考")
    visit.refresh_from_db()
    assert (visit.rating, visit.unverified_rating, visit.unverified_comment) == (None, 5, "服务很及时")

    # Logged in as the enterprise's user, back on the same page: this one counts.
    page.locator("#rate-login").click()
    page.locator("#tab-password").click()
    page.locator("#username").fill("e2e_boss")
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("#login-submit").click()
    expect(page.locator("#rate-note")).to_have_attribute("data-standing", "verified")
    assert small_touch_targets(page) == []
    page.locator(".star[data-stars='4']").click()
    page.locator("#rate-submit").click()
    expect(page.locator("#rate-message")).to_have_text("感谢您的评价！")
    visit.refresh_from_db()
    assert (visit.rating, visit.rated_by_id) == (4, boss.id)

    page.reload()
    expect(page.locator("#rate-done")).to_have_attribute("data-already", "true")
    expect(page.locator("#rate-message")).to_contain_text("已经评价过了")

    late.locator(".star[data-stars='2']").click()
    late.locator("#rate-submit").click()
    expect(late.locator("#rate-message")).to_contain_text("已经评价过了")
    visit.refresh_from_db()
    assert visit.rating == 4

    page.goto("/#/rate/no-such-token")
    expect(page.locator("[data-state=error]")).to_contain_text("评价链接无效")


def test_it_asks_the_official_to_hand_the_qr_code_over_instead_of_rating(new_context, demo_staff):
    target = enterprise("青枫印染有限公司", *PARK, n=8)
    visit = make_visit(demo_staff["staff"], target)
    page = new_context(service_workers="block").new_page()
    log_in(page, "demo_staff", DEMO_PASSWORD)
    page.goto(f"/#/rate/{visit.rating_token}")
    expect(page.locator("#rate-refused")).to_contain_text("请企业人员用自己的手机扫码评价")
    assert page.locator("#rate-form").count() == 0
    # Logged out, the same phone is still the official's.
    page.evaluate("() => fetch('/api/auth/logout', {method: 'POST', headers: {'X-CSRFToken': document.cookie.match(/csrftoken=([^;]+)/)[1]}})")
    page.reload()
    expect(page.locator("#rate-refused")).to_be_visible()
    visit.refresh_from_db()
    assert visit.rating is None and visit.unverified_rating is None


def test_it_lists_my_visits_and_takes_an_explanation_for_a_flag(new_context, demo_staff):
    from backend.visits.models import FlagReview, LocationAccess

    staff, manager = demo_staff["staff"], demo_staff["manager"]
    target = enterprise("青枫物流有限公司", *PARK, n=7)
    visit = make_visit(staff, target, flags=["outside_geofence"], checkout_flags=["short_visit"], within_geofence=False, distance_m=820.0)
    FlagReview.objects.create(visit=visit, flag="outside_geofence", status="rejected", comment="距离太远", reviewer=manager)
    LocationAccess.objects.create(viewer=manager, subject=staff, what="trail", detail="2026-11-17")

    context = new_context(service_workers="block")
    page = context.new_page()
    log_in(page, "demo_staff", DEMO_PASSWORD)
    page.locator("#tabbar a[href='#/visits']").click()
    card = page.locator(f"#visit-{visit.id}")
    expect(card).to_contain_text(target.name)
    expect(card).to_contain_text("2 个标记")
    card.click()

    outside = page.locator("#visit-flags li[data-flag=outside_geofence]")
    expect(outside).to_contain_text("不在企业签到范围内")
    expect(outside).to_contain_text("不认可")
    expect(outside).to_contain_text("距离太远")
    short = page.locator("#visit-flags li[data-flag=short_visit]")
    expect(short).to_contain_text("走访时间过短")
    expect(short).to_contain_text("待审核")
    expect(page.locator("#visit-purpose")).to_have_text("送政策")
    expect(page.locator("#tabbar .tab[aria-current=page]")).to_have_attribute("href", "#/visits")

    short.locator(".flag-explain").click()
    page.locator("#explain-text").fill("企业负责人临时外出，约定下周再访")
    page.locator("#explain-submit").click()
    expect(short).to_contain_text("我的说明：企业负责人临时外出")
    review = FlagReview.objects.get(visit=visit, flag="short_visit")
    assert review.explanation == "企业负责人临时外出，约定下周再访"

    page.locator("#tabbar a[href='#/me']").click()
    expect(page.locator("#access-list")).to_contain_text("李科长")
    expect(page.locator("#access-list")).to_contain_text("查看轨迹")
    expect(page.locator("#storage-status")).not_to_have_text("…")


def test_it_explains_a_refused_location_in_chinese(new_context, demo_staff):
    context = new_context(service_workers="block")  # location permission never granted
    page = context.new_page()
    log_in(page, "demo_staff", DEMO_PASSWORD)
    page.locator("#locate").click()
    expect(page.locator("#geo-error")).to_contain_text("定位权限被拒绝")
    expect(page.locator("#geo-error").get_by_role("button", name="重试")).to_be_visible()


def test_it_keeps_the_field_screens_thumb_sized_on_a_360_px_phone(new_context, demo_staff):
    target = enterprise("青枫模具有限公司", *PARK, n=8)
    context = phone(new_context, *offset(*PARK, north_m=30), service_workers="block")
    page = context.new_page()
    log_in(page, "demo_staff", DEMO_PASSWORD)
    page.locator("#locate").click()
    expect(page.locator("#nearby-list .enterprise")).to_have_count(1)
    assert small_touch_targets(page) == []
    pick(page, target.name)
    expect(page.locator("#checkin-confirm")).to_be_visible()
    assert small_touch_targets(page) == []
    page.locator("#checkin-confirm").click()
    page.locator("#checkin-continue").click()
    page.locator("#add-demand").click()
    expect(page.locator(".demand-row")).to_have_count(1)
    assert small_touch_targets(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # The purpose is required before 签退.
    page.locator("#checkout").click()
    expect(page.locator("#purpose-error")).to_have_text("请选择走访目的")
    page.locator("#tabbar a[href='#/visits']").click()
    expect(page.locator("#open-list .visit-card")).to_have_count(1)
    assert small_touch_targets(page) == []
    page.locator("#tabbar a[href='#/me']").click()
    expect(page.locator("#access-log")).to_be_visible()
    assert small_touch_targets(page) == []
