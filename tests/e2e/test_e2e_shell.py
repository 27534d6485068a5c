"""The PWA shell: manifest, service worker, offline start, login per role, language."""

import io
import json

import pytest
from e2e_support import PASSWORD, TABS, log_in, tab_labels, wait_for_service_worker, wait_until
from PIL import Image
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_it_serves_a_valid_manifest_with_real_icons(page):
    response = page.request.get("/manifest.json")
    assert response.status == 200
    manifest = json.loads(response.text())
    assert manifest["name"] == "店小二"
    assert manifest.get("short_name") or manifest.get("name")
    assert manifest["start_url"] == "/"
    assert manifest["display"] in ("standalone", "fullscreen", "minimal-ui")
    assert manifest["theme_color"].lower() == "#0b5cad"
    assert len(manifest["icons"]) >= 2
    purposes = set()
    for entry in manifest["icons"]:
        icon = page.request.get(entry["src"])
        assert icon.status == 200, entry["src"]
        assert icon.headers["content-type"] == "image/png"
        image = Image.open(io.BytesIO(icon.body()))
        assert image.format == "PNG"
        width, height = (int(n) for n in entry["sizes"].split("x"))
        assert image.size == (width, height), entry["src"]
        purposes.add(entry.get("purpose", "any"))
    assert {"any", "maskable"} <= purposes
    assert any(entry["sizes"] == "192x192" for entry in manifest["icons"])
    assert any(entry["sizes"] == "512x512" for entry in manifest["icons"])


def test_it_links_the_manifest_from_a_chinese_mobile_shell(page):
    page.goto("/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "zh-CN")
    assert page.locator("link[rel=manifest]").get_attribute("href") == "/manifest.json"
    assert page.locator("meta[name=theme-color]").get_attribute("content") == "#0b5cad"
    assert "width=device-width" in page.locator("meta[name=viewport]").get_attribute("content")
    # A visitor starts on the public site map, with the way to an account above it.
    expect(page.locator("#join-banner-register")).to_have_text("企业注册")


def test_it_registers_a_service_worker_that_controls_the_page(page):
    page.goto("/")
    wait_for_service_worker(page)
    script = page.evaluate("navigator.serviceWorker.controller.scriptURL")
    assert script.endswith("/serviceworker.js")
    scope = page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.scope)")
    assert scope == page.url.split("#")[0]


def test_it_starts_offline_after_one_online_visit(page, context, gate, users, town):
    log_in(page, "e2e_staff")
    page.locator("#view-map").click()  # remembered: the reload below opens on the map
    expect(page.locator("path.dxe-boundary")).to_have_count(1)
    wait_for_service_worker(page)

    context.set_offline(True)
    gate.block()
    page.reload()

    expect(page.locator("#net-banner")).to_be_visible()
    expect(page.locator("#net-banner")).to_contain_text("网络已断开")
    # The banner comes at boot, the tab bar with the screen (its module comes from the worker's cache).
    expect(page.locator("#tabbar .tab-label")).to_have_text(TABS["staff"])
    expect(page.locator("path.dxe-boundary.leaflet-interactive")).to_have_count(1)
    expect(page.locator("path.dxe-road")).to_have_count(len(town["roads"]["features"]))
    # The private API is never served from the cache.
    status = page.evaluate("fetch('/api/enterprises').then((r) => r.status, () => 'network-error')")
    assert status == "network-error"

    # Back online: the banner goes and the server answers again.
    gate.open()
    context.set_offline(False)
    expect(page.locator("#net-banner")).to_be_hidden()
    # The page's own "online" event can come before Chromium's network (and the worker's) is
    # back: ask again for a moment rather than once.
    assert wait_until(page, "fetch('/api/auth/me').then((r) => r.status, () => 0)") == 200


@pytest.mark.parametrize("role", list(TABS))
def test_it_logs_each_role_in_to_its_own_tab_bar(page, users, town, role):
    log_in(page, f"e2e_{role}")
    assert tab_labels(page) == TABS[role]
    expect(page.locator("#tabbar .tab[aria-current=page]")).to_have_count(1)
    page.locator("#tabbar a[href='#/me']").click()
    expect(page.locator("#profile-name")).to_have_text(users[role].display_name)
    # Only those who check in write visits offline: the others get no outbox lines.
    if role in ("staff", "manager"):
        expect(page.locator("#pending-count")).to_have_text("0")
    else:
        expect(page.locator("#me-sync-row")).to_have_count(0)


def test_it_shows_the_chinese_error_for_a_wrong_password(page, users):
    page.goto("/#/login")
    page.locator("#username").fill("e2e_staff")
    page.locator("#password").fill("not-" + PASSWORD)
    page.locator("#login-submit").click()
    expect(page.locator("#login-error")).to_have_text("用户名或密码错误")
    expect(page.locator("#tabbar")).to_be_hidden()


def test_it_keeps_what_the_user_typed_when_the_session_check_answers_late(page, users):
    # One bar of signal: /api/auth/me takes its time while the login form is already shown.
    held = []
    page.route("**/api/auth/me", lambda route: held.append(route))
    page.goto("/")
    # The shell follows routes (its modules have loaded their strings), the session check still waits
    # (a page drawn for a visitor, data-visitor, has not waited for it: it may be ready already).
    wait_until(page, "['starting', 'ready'].includes(document.querySelector('#app').dataset.state)")
    page.evaluate("location.hash = '#/login'")
    page.locator("#tab-password").click()
    page.locator("#username").fill("e2e_staff")
    assert len(held) == 1
    held[0].continue_()
    page.wait_for_timeout(500)  # the late answer (401) arrives and boot carries on
    expect(page.locator("#username")).to_have_value("e2e_staff")
    page.unroute("**/api/auth/me")


def test_it_logs_an_enterprise_user_in_with_an_sms_code(page, users):
    from backend.accounts.sms import LocmemSmsBackend

    page.goto("/#/login")
    page.locator("#tab-sms").click()
    page.locator("#mobile").fill("13800138000")
    page.locator("#sms-send").click()
    expect(page.locator("#sms-info")).to_be_visible()
    expect(page.locator("#sms-send")).to_be_disabled()
    code = LocmemSmsBackend.outbox[-1]["text"].split("验证码是")[1][:6]
    page.locator("#code").fill(code)
    page.locator("#sms-submit").click()
    page.locator("#tabbar a[href='#/me']").wait_for()
    assert tab_labels(page) == TABS["enterprise"]


def test_it_logs_out_and_forgets_the_user(page, users):
    log_in(page, "e2e_manager")
    page.goto("/#/me")
    page.locator("#logout").click()
    expect(page.locator("#login-submit")).to_be_visible()
    assert page.evaluate("localStorage.getItem('dxe.me')") is None
    assert page.evaluate("fetch('/api/auth/me').then((r) => r.status)") == 401
    # Private routes now lead back to the login screen.
    page.goto("/#/team")
    expect(page.locator("#login-submit")).to_be_visible()


def test_it_switches_to_english_and_keeps_it_after_reload(page, users, town):
    log_in(page, "e2e_staff")
    page.locator("#tabbar a[href='#/me']").click()
    page.locator("#lang-en").click()
    # Only the active language is loaded: the switch waits for the English strings.
    expect(page.locator("#tabbar .tab-label")).to_have_text(["Nearby", "Visits", "Demands", "Questions", "Me"])
    expect(page.locator("#logout")).to_have_text("Log out")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.reload()
    page.locator("#tabbar .tab-label").first.wait_for()
    assert tab_labels(page) == ["Nearby", "Visits", "Demands", "Questions", "Me"]
    expect(page.locator("#title")).to_have_text("Me")
    page.locator("#logout").click()
    expect(page.locator("#login-submit")).to_have_text("Log in")

    page.locator("#login-lang").click()
    expect(page.locator("#login-submit")).to_have_text("登录")
    assert page.evaluate("localStorage.getItem('dxe.lang')") == "zh-CN"


def test_it_keeps_users_on_their_own_role_routes(page, users):
    log_in(page, "e2e_staff")
    page.goto("/#/reports")
    expect(page.locator("#app")).to_have_attribute("data-route", "nearby")
    page.goto("/#/no-such-screen")
    expect(page.locator("#app")).to_have_attribute("data-route", "nearby")


def test_it_shows_the_help_page_in_chinese(page):
    page.goto("/#/help")
    expect(page.locator("#title")).to_have_text("操作手册")
    for section in ("登录", "附近", "走访", "找场地", "诉求与消息", "诉求", "团队", "轨迹", "报表", "我的场地", "咨询", "我的"):
        expect(page.locator(".help-section h2", has_text=section).first).to_be_visible()
