"""Browser tests: the real PWA in Debian's headless Chromium, driven by Playwright.

One browser per session, a fresh mobile context (360×740, touch, zh-CN,
Asia/Shanghai) per test. The browser reaches the live server through a NetGate
so a test can take the network away from the page *and* its service worker.
"""

import os
import shutil

import pytest

from e2e_support import BOUNDARY, CHROMIUM_ARGS, MOBILE, PASSWORD, ROADS, acknowledge_privacy
from netgate import NetGate

# Playwright's sync API runs an event loop in the test thread; Django refuses
# ORM calls from a thread with a running loop unless told this is fine.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def chromium_path():
    path = shutil.which("chromium")
    if not path:
        message = "Debian chromium is not installed (apt-get install chromium); the browser tests need it"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def _netgate(live_server):
    gate = NetGate(live_server.thread.host, live_server.thread.port).start()
    yield gate
    gate.stop()


@pytest.fixture
def gate(_netgate):
    """The NetGate, open at the start and the end of every test."""
    _netgate.open()
    yield _netgate
    _netgate.open()


@pytest.fixture
def base_url(gate):
    return gate.url


@pytest.fixture
def new_context(browser, base_url):
    """Factory for extra contexts: new_context(service_workers="block", ...)."""
    contexts = []

    def make(**overrides):
        context = browser.new_context(**{**MOBILE, "base_url": base_url, **overrides})
        context.set_default_timeout(10_000)
        # A first load fetches the shell's modules through the gate: at load average 15
        # (two suites side by side and more) that once took longer than 10 s.
        context.set_default_navigation_timeout(30_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def context(new_context):
    return new_context()


@pytest.fixture
def page(context):
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    assert not errors, f"uncaught JavaScript errors: {errors}"


@pytest.fixture
def town(transactional_db):
    from backend.basemap.models import BaseLayer

    BaseLayer.objects.create(slug="boundary", name="镇界", kind="boundary", geojson=BOUNDARY)
    BaseLayer.objects.create(slug="roads", name="道路", kind="roads", geojson=ROADS)
    return {"boundary": BOUNDARY, "roads": ROADS}


@pytest.fixture
def users(transactional_db):
    """One active user per role, all with PASSWORD; usernames e2e_<role>."""
    from backend.accounts.models import OrgUnit, User
    from backend.enterprises.models import Enterprise
    from backend.sites.models import OwnerUnit
    from apisupport import make_user

    town_unit = OrgUnit.objects.create(code="e2e-town", name="测试镇", kind="town")
    team = OrgUnit.objects.create(code="e2e-team", name="招商一组", kind="team", parent=town_unit)
    enterprise = Enterprise.objects.create(
        uscc="91350100M000100Y43", name="测试精密制造有限公司", address="工业路1号", lat=31.121, lng=121.421, industry="C", size="small"
    )
    owner_unit = OwnerUnit.objects.create(code="e2e-coop", name="测试村经济合作社")
    people = {
        "staff": {"display_name": "王干部", "org_unit": team},
        "manager": {"display_name": "李科长", "org_unit": team},
        "enterprise": {"display_name": "赵经理", "enterprise": enterprise, "mobile": "13800138000"},
        "owner": {"display_name": "钱会计", "owner_unit": owner_unit},
        "admin": {"display_name": "孙管理员", "org_unit": town_unit},
    }
    made = {}
    for role, extra in people.items():
        made[role] = make_user(f"e2e_{role}", role, password=PASSWORD, **extra)
    acknowledge_privacy(*made.values())
    return made
