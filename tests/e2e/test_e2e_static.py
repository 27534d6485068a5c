"""Checks on the front-end files themselves, and a strict CSP run in the browser."""

import re
from pathlib import Path

import pytest
from e2e_support import log_in, small_touch_targets
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

FRONTEND = Path(__file__).resolve().parents[2] / "frontend_static"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'; form-action 'self'"
)


def precache_list() -> list[str]:
    source = (FRONTEND / "sw.js").read_text()
    block = re.search(r"const PRECACHE = \[(.*?)\];", source, re.S).group(1)
    return re.findall(r'"([^"]+)"', block)


def test_it_precaches_every_front_end_file():
    listed = set(precache_list())
    shipped = {
        "/static/app/" + path.relative_to(FRONTEND).as_posix()
        for path in FRONTEND.rglob("*")
        if path.is_file() and path.suffix in (".js", ".css", ".png") and path.name != "sw.js"
    }
    assert shipped - listed == set(), "add these to PRECACHE in sw.js"
    missing = {url for url in listed if url.startswith("/static/app/") and not (FRONTEND / url.removeprefix("/static/app/")).is_file()}
    assert missing == set()
    assert "/" in listed and "/manifest.json" in listed


def test_it_has_no_inline_scripts_or_event_handlers():
    for path in [FRONTEND / "index.html", *FRONTEND.rglob("*.js")]:
        text = path.read_text()
        if path.suffix == ".html":
            for tag in re.findall(r"<script\b[^>]*>", text):
                assert "src=" in tag, f"inline script in {path.name}: {tag}"
            assert not re.search(r"\son[a-z]+\s*=", text), f"inline event handler in {path.name}"
        assert not re.search(r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write", text), (
            f"{path.name}: build DOM with ui.h(), not HTML strings"
        )
        assert "eval(" not in text and "new Function" not in text


def test_it_has_every_ui_string_in_both_languages():
    source = (FRONTEND / "i18n.js").read_text()
    zh_block = source[source.index("const zh = {") : source.index("const en = {")]
    en_block = source[source.index("const en = {") : source.index("const DICTS")]
    key = re.compile(r'^\s*"([\w.]+)":', re.M)
    zh_keys, en_keys = set(key.findall(zh_block)), set(key.findall(en_block))
    assert zh_keys == en_keys, f"only zh: {zh_keys - en_keys}; only en: {en_keys - zh_keys}"
    used = set()
    for path in FRONTEND.rglob("*.js"):
        used |= set(re.findall(r'\bt\("([\w.]+)"', path.read_text()))
        used |= set(re.findall(r'(?:titleKey|labelKey|soonKey): "([\w.]+)"', path.read_text()))
    assert used - zh_keys == set()


def test_it_runs_under_a_strict_content_security_policy(new_context, users, town):
    # Beside the users fixture's enterprise, so the nearby list and the check-in sheet run too.
    context = new_context(
        service_workers="block", geolocation={"latitude": 31.1213, "longitude": 121.4212, "accuracy": 15}, permissions=["geolocation"]
    )
    page = context.new_page()
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )

    def with_csp(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": CSP})

    page.route(re.compile(r"^http://[^/]+/(#.*)?$"), with_csp)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "e2e_staff")
    page.locator("#locate").click()
    page.locator("#nearby-list .enterprise").first.click()
    expect(page.locator("#checkin-distance")).to_be_visible()
    page.locator("#checkin-sheet .sheet-close").click()
    page.locator("#view-map").click()
    expect(page.locator("#map path.dxe-boundary")).to_have_count(1)
    expect(page.locator("#map .dxe-pin")).to_have_count(1)
    page.locator("#tabbar a[href='#/visits']").click()
    expect(page.locator("#server-visits [data-state=empty]")).to_be_visible()
    page.locator("#tabbar a[href='#/me']").click()
    expect(page.locator("#logout")).to_be_visible()
    expect(page.locator("#access-log [data-state=empty]")).to_be_visible()
    assert page.evaluate("window.__csp") == []
    assert errors == []


def test_it_keeps_every_touch_target_at_least_44_px(page, users, town):
    page.goto("/#/login")
    page.locator("#login-submit").wait_for()
    assert small_touch_targets(page) == []
    page.locator("#tab-sms").click()
    assert small_touch_targets(page) == []
    log_in(page, "e2e_staff")
    expect(page.locator("#locate")).to_be_visible()
    assert small_touch_targets(page) == []
    page.locator("#view-map").click()
    expect(page.locator("#map path.dxe-boundary")).to_have_count(1)
    assert small_touch_targets(page) == []
    page.locator("#tabbar a[href='#/me']").click()
    expect(page.locator("#logout")).to_be_visible()
    assert small_touch_targets(page) == []
    # Nothing is wider than the 360-px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
