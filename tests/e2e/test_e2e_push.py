"""我的 → 消息推送 in headless Chromium, and the service worker showing a pushed notice.

Headless Chromium has no push service, like most Android phones in mainland China: its
real `pushManager.subscribe()` fails, and the app must say so. For the rest of the
chain a stub stands in for the browser's subscription (the one part that cannot run
here); the server then really encrypts and signs for the local push service, and the
payload that service decrypted is delivered to the real service worker over the
DevTools protocol (ServiceWorker.deliverPushMessage), which shows it and opens it.
"""

import json
from urllib.parse import urlsplit

import pytest
from e2e_support import log_in, snap, wait_until
from playwright.sync_api import expect

from apisupport import run_tasks
from fakes.fixtures import fake_push, vapid_keys  # noqa: F401  (fixtures)

pytestmark = pytest.mark.e2e

STUB = """
(() => {
  const stored = %s;
  let current = null;
  window.__pushKeys = [];
  const make = () => ({
    endpoint: stored.endpoint, expirationTime: null, options: {},
    toJSON: () => stored, getKey: () => null,
    unsubscribe: async () => { current = null; return true; },
  });
  PushManager.prototype.subscribe = async function (options) {
    window.__pushKeys.push(btoa(String.fromCharCode(...new Uint8Array(options.applicationServerKey))));
    current = make();
    return current;
  };
  PushManager.prototype.getSubscription = async function () { return current; };
})();
"""


def open_me(page, username="e2e_owner"):
    log_in(page, username)
    page.locator("#tabbar a[href='#/me']").click()
    expect(page.locator("#push-card")).to_be_visible()


def test_it_says_honestly_that_push_may_not_reach_the_phone(page, users, vapid_keys):
    open_me(page)
    expect(page.locator("#push-card .card-title")).to_have_text("消息推送")
    expect(page.locator("#push-note")).to_contain_text("国内多数安卓手机没有浏览器推送服务")
    expect(page.locator("#push-status")).to_have_attribute("data-state", "off")
    expect(page.locator("#push-switch")).to_have_attribute("aria-checked", "false")
    snap(page, "push-off")


def test_it_says_when_this_phone_has_no_push_service(context, page, users, vapid_keys):
    from backend.notifications.models import PushSubscription

    context.grant_permissions(["notifications"])
    open_me(page)
    page.locator("#push-switch").click()  # the real PushManager.subscribe() of headless Chromium
    expect(page.locator("#push-status")).to_have_attribute("data-state", "noService", timeout=15_000)
    expect(page.locator("#push-status")).to_contain_text("没有可用的推送服务")
    expect(page.locator("#push-switch")).to_have_attribute("aria-checked", "false")
    assert not PushSubscription.objects.exists()


def test_it_says_when_notifications_are_blocked(page, users, vapid_keys):
    page.add_init_script("Object.defineProperty(Notification, 'permission', { get: () => 'denied' });")
    open_me(page)
    expect(page.locator("#push-status")).to_have_attribute("data-state", "denied")
    expect(page.locator("#push-switch")).to_be_disabled()


def test_it_says_when_the_browser_cannot_push(page, users, vapid_keys):
    page.add_init_script("delete window.PushManager;")
    open_me(page)
    expect(page.locator("#push-status")).to_have_attribute("data-state", "unsupported")
    expect(page.locator("#push-switch")).to_be_disabled()


def test_it_says_when_the_server_has_no_push(page, users, settings):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    open_me(page)
    expect(page.locator("#push-status")).to_have_attribute("data-state", "unconfigured")


def registration_id(page, cdp) -> str:
    found = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: found.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    for _ in range(50):
        live = [r for r in found if not r["isDeleted"]]
        if live:
            return live[-1]["registrationId"]
        page.wait_for_timeout(100)
    raise AssertionError("no service worker registration reported")


def test_it_subscribes_pushes_a_notice_and_opens_it_from_the_notification(context, page, users, fake_push, vapid_keys, base_url):
    from backend.notifications.models import Delivery, PushSubscription
    from backend.notifications.services import notice_create

    context.grant_permissions(["notifications"])
    subscription = fake_push.subscription("e2e-phone")
    page.add_init_script(STUB % json.dumps(subscription))
    open_me(page)
    page.locator("#push-switch").click()
    expect(page.locator("#push-status")).to_have_attribute("data-state", "on")
    expect(page.locator("#push-switch")).to_have_attribute("aria-checked", "true")
    # The browser was asked with the server's applicationServerKey.
    [key] = page.evaluate("window.__pushKeys")
    assert key.replace("+", "-").replace("/", "_").rstrip("=") == vapid_keys["VAPID_PUBLIC_KEY"]
    assert PushSubscription.objects.get().user == users["owner"]
    snap(page, "push-on")

    # A notice for this user: the worker encrypts and signs it for the push service.
    notice_create(user=users["owner"], kind="sites.inquiry", title="新的场地咨询：东湾村厂房", body="某公司想了解租赁条件", url="#/inquiries/7")
    run_tasks()
    assert fake_push.rejected == []
    [message] = fake_push.received
    assert Delivery.objects.get().status == "sent"

    # What the push service decrypted reaches the real service worker, as from a push service.
    wait_until(page, "() => Boolean(navigator.serviceWorker.controller)")
    cdp = context.new_cdp_session(page)
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
    cdp.send("ServiceWorker.deliverPushMessage", {
        "origin": origin, "registrationId": registration_id(page, cdp), "data": json.dumps(message["payload"], ensure_ascii=False)})
    shown = wait_until(page, """async () => {
        const list = await (await navigator.serviceWorker.ready).getNotifications();
        return list.length ? list.map((n) => ({title: n.title, body: n.body, tag: n.tag, url: n.data.url})) : null;
    }""")
    assert shown == [{"title": "新的场地咨询：东湾村厂房", "body": "某公司想了解租赁条件", "tag": message["payload"]["tag"], "url": "#/inquiries/7"}]

    # A tap on it opens the notice's in-app route in this window.
    [worker] = context.service_workers
    worker.evaluate("""async () => {
        const [notification] = await self.registration.getNotifications();
        self.dispatchEvent(new NotificationEvent("notificationclick", { notification }));
    }""")
    wait_until(page, "() => location.hash === '#/inquiries/7'")
    assert wait_until(page, "async () => (await (await navigator.serviceWorker.ready).getNotifications()).length === 0 || 'none'")

    # Switching off tells the server.
    page.goto("/#/me")
    page.locator("#push-switch").click()
    expect(page.locator("#push-status")).to_have_attribute("data-state", "off")
    assert not PushSubscription.objects.exists()


def test_it_opens_only_in_app_routes_from_a_notification(context, page, users, vapid_keys, base_url):
    context.grant_permissions(["notifications"])
    open_me(page)
    wait_until(page, "() => Boolean(navigator.serviceWorker.controller)")
    cdp = context.new_cdp_session(page)
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
    shown = None
    # A push delivered through CDP while the service worker is still starting can be
    # dropped by Chromium (seen once on a loaded 2-core CI run): deliver it again.
    for _ in range(3):
        cdp.send("ServiceWorker.deliverPushMessage", {
            "origin": origin, "registrationId": registration_id(page, cdp),
            "data": json.dumps({"title": "钓鱼", "url": "https://evil.example/login"})})
        try:
            shown = wait_until(page, """async () => {
                const list = await (await navigator.serviceWorker.ready).getNotifications();
                return list.length ? list[0].data.url : null;
            }""", timeout=10.0)
            break
        except AssertionError:
            continue
    assert shown == "#/"
