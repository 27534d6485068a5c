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


KEY = re.compile(r'^\s*"([\w.]+)":', re.M)
# Loaded at start for every screen: their keys may be used by any domain.
SHARED = ("common", "shell")


def strings_of(domain: str, lang: str) -> set[str]:
    return set(KEY.findall((FRONTEND / domain / f"strings.{lang}.js").read_text()))


def keys_used_in(path: Path) -> set[str]:
    text = path.read_text()
    return set(re.findall(r'\bt\("([\w.]+)"', text)) | set(re.findall(r'(?:titleKey|labelKey|soonKey|unitKey): "([\w.]+)"', text))


def test_it_has_every_ui_string_in_both_languages_once():
    domains = sorted(path.parent.name for path in FRONTEND.glob("*/strings.zh.js"))
    assert {"common", "shell", "account", "visits", "review", "sites", "messages"} <= set(domains)
    seen: dict[str, str] = {}
    for domain in domains:
        zh_keys, en_keys = strings_of(domain, "zh"), strings_of(domain, "en")
        assert zh_keys == en_keys, f"{domain}: only zh: {zh_keys - en_keys}; only en: {en_keys - zh_keys}"
        twice = {key: seen[key] for key in zh_keys if key in seen}
        assert twice == {}, f"{domain}: keys already in another domain {twice}"
        seen.update(dict.fromkeys(zh_keys, domain))


def test_it_loads_a_domains_strings_with_every_module_that_uses_them():
    shared = set().union(*(strings_of(domain, "zh") for domain in SHARED))
    for path in FRONTEND.glob("*/*.js"):
        domain = path.parent.name
        if path.name.startswith("strings") or path.name == "sw.js":
            continue
        used = keys_used_in(path)
        if path.name == "routes.js" or domain in SHARED:
            # Route titles and tab labels are drawn by the shell: they live in shell or common.
            assert used - shared == set(), f"{path.relative_to(FRONTEND)}: keys not in shell or common strings"
            continue
        own = strings_of(domain, "zh")
        assert used - own - shared == set(), f"{path.relative_to(FRONTEND)}: keys of another domain"
        if used & own:
            assert 'import "./strings.js";' in path.read_text(), f"{path.relative_to(FRONTEND)} must import ./strings.js"


def test_it_registers_each_screen_once_in_its_domain():
    registered = set()
    for path in FRONTEND.glob("*/routes.js"):
        text = path.read_text()
        # A domain's registry names only its own modules, lazily: nothing but import() thunks.
        assert re.findall(r"^import ", text, re.M) == [], f"{path}: static import in a registry"
        for module in re.findall(r'import\("\./([\w-]+\.js)"\)', text):
            assert (path.parent / module).is_file(), f"{path}: {module} is missing"
        names = re.findall(r'^\s+"?([\w-]+)"?: \{\s*screen:', text, re.M)
        assert registered.isdisjoint(names)
        registered |= set(names)
    domains = (FRONTEND / "shell" / "domains.js").read_text()
    assert {p.parent.name for p in FRONTEND.glob("*/routes.js")} == set(re.findall(r'from "\.\./(\w+)/routes\.js"', domains))


def test_it_locates_for_check_in_and_check_out_in_one_sheet():
    defined = [path.relative_to(FRONTEND).as_posix() for path in FRONTEND.rglob("*.js") if re.search(r"\bFRESH_MS\s*=", path.read_text())]
    assert defined == ["visits/locatesheet.js"]
    for path in ("visits/checkin.js", "visits/visit-screen.js"):
        source = (FRONTEND / path).read_text()
        assert "openLocateSheet(" in source and "readPosition" not in source


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


def loaded_sources(urls: list[str]) -> list[str]:
    """The frontend_static/ modules behind the loaded built files (the build's manifest says which)."""
    from backend.frontend import read_manifest

    outputs = read_manifest()["outputs"]
    sources = []
    for url in urls:
        sources += [source for source in outputs.get(url.split("/static/", 1)[1], {}).get("sources", []) if not source.startswith(".")]
    return sources


def test_it_loads_only_the_screens_it_shows_and_one_language(new_context, users, town):
    # Service workers blocked: the worker's precache fetches every file, the page must not.
    page = new_context(service_workers="block").new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url) if "/static/build/" in request.url else None)
    log_in(page, "e2e_staff")
    expect(page.locator("#locate")).to_be_visible()
    loaded = loaded_sources(requested)
    assert "visits/nearby-screen.js" in loaded and "account/login-screen.js" in loaded
    # Another role's screens (团队, 找场地, 我的场地…) and the English strings stay on the server;
    # of those domains only the registries (routes.js) come, for the tab bar.
    # (One stylesheet carries every domain's rules.) A logged-out shell page (here the login
    # form's) preloads a visitor's start screen, the site map: those files come, no other.
    from backend.frontend import read_manifest, visitor_start_files

    visitor = set(loaded_sources([f"/static/{url}" for url in visitor_start_files(read_manifest())]))
    modules = [path for path in loaded if path.endswith(".js") and not path.endswith("/routes.js") and path not in visitor]
    assert [path for path in modules if path.startswith(("review/", "sites/"))] == []
    assert sorted(path for path in modules if path.endswith("-screen.js")) == ["account/login-screen.js", "visits/nearby-screen.js"]
    assert [path for path in loaded if path.endswith(".en.js")] == []
    page.locator("#tabbar a[href='#/me']").click()
    page.locator("#lang-en").click()
    expect(page.locator("#logout")).to_have_text("Log out")
    loaded = loaded_sources(requested)
    assert "account/strings.en.js" in loaded and "common/strings.en.js" in loaded
    # Every module and stylesheet is minified, content-hashed and cached for good.
    assert [url for url in requested if url.endswith((".js", ".css")) and not re.search(r"-[A-Z0-9]{8}\.(js|css)$", url)] == []
