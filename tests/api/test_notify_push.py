"""Web Push: subscriptions through the API, and sending to a local push service that checks
the VAPID JWT and decrypts the aes128gcm payload with the browser-side keys."""

import datetime as dt

import pytest
from django.utils import timezone

from apisupport import ApiClient
from backend.notifications.models import Delivery, PushSubscription
from backend.notifications.push import endpoint_allowed
from backend.notifications.services import batch_send, notice_create
from fakes.fixtures import fake_push, vapid_keys  # noqa: F401  (fixtures)
from notify_support import run_tasks_through_time

pytestmark = pytest.mark.django_db


def logged_in(user) -> ApiClient:
    client = ApiClient()
    client.force_login(user)
    return client


def subscribe(client: ApiClient, subscription: dict):
    return client.post_json("/api/notifications/push/subscriptions", subscription)


def test_it_tells_the_pwa_whether_push_is_on_and_its_key(users, settings, vapid_keys):
    client = logged_in(users["enterprise"])
    body = client.get("/api/notifications/push/config").json()
    assert body == {"enabled": True, "public_key": vapid_keys["VAPID_PUBLIC_KEY"], "subscribed": 0}
    settings.VAPID_PRIVATE_KEY = ""
    assert client.get("/api/notifications/push/config").json()["enabled"] is False
    assert ApiClient().get("/api/notifications/push/config").status_code == 401


def test_it_subscribes_a_browser_once_and_moves_it_to_whoever_logs_in(users, fake_push):
    subscription = fake_push.subscription("phone-1")
    owner = logged_in(users["owner"])
    assert subscribe(owner, subscription).status_code == 201
    assert subscribe(owner, subscription).status_code == 200
    assert owner.get("/api/notifications/push/config").json()["subscribed"] == 1
    # Same phone, another account: the subscription follows the login.
    assert subscribe(logged_in(users["staff"]), subscription).status_code == 200
    assert list(PushSubscription.objects.values_list("user__username", flat=True)) == ["demo_staff"]
    response = logged_in(users["staff"]).post_json("/api/notifications/push/unsubscribe", {"endpoint": subscription["endpoint"]})
    assert response.json() == {"removed": 1} and not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"endpoint": "https://intranet.example.gov.cn/admin"}, "endpoint"),
        ({"endpoint": "http://fcm.googleapis.com/fcm/send/x"}, "endpoint"),
        ({"endpoint": "https://user:pw@fcm.googleapis.com/fcm/send/x"}, "endpoint"),
        ({"endpoint": "https://fcm.googleapis.com.evil.example/x"}, "endpoint"),
        ({"keys": {"p256dh": "B" + "A" * 86, "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}, "keys.p256dh"),
        ({"keys": {"p256dh": None, "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}, "keys.p256dh"),
        ({"keys": {"p256dh": "KEEP", "auth": "AAAAAAAAAAAAAAAAAAAAAAAA"}}, "keys.auth"),
        ({"extra": 1}, "extra"),
    ],
)
def test_it_refuses_endpoints_outside_known_push_services_and_bad_keys(users, fake_push, change, field):
    subscription = fake_push.subscription("phone-1")
    subscription["endpoint"] = "https://fcm.googleapis.com/fcm/send/abc123"
    if "keys" in change and change["keys"]["p256dh"] == "KEEP":
        change = {"keys": {**change["keys"], "p256dh": subscription["keys"]["p256dh"]}}
    response = subscribe(logged_in(users["owner"]), {**subscription, **change})
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert not PushSubscription.objects.exists()


def test_it_allows_the_push_services_browsers_use():
    assert endpoint_allowed("https://fcm.googleapis.com/fcm/send/abc")
    assert endpoint_allowed("https://updates.push.services.mozilla.com/wpush/v2/abc")
    assert endpoint_allowed("https://web.push.apple.com/QGx")
    assert endpoint_allowed("https://db5p.notify.windows.com/w/?token=abc")
    assert not endpoint_allowed("https://push.apple.com.attacker.example/x")
    assert not endpoint_allowed("https://fcm.googleapis.com:8443/fcm/send/abc")
    assert not endpoint_allowed("https://127.0.0.1/x")


def test_it_pushes_an_encrypted_notice_with_a_valid_vapid_signature(users, fake_push):
    subscribe(logged_in(users["owner"]), fake_push.subscription("owner-phone"))
    notice_create(user=users["owner"], kind="sites.inquiry", title="新的场地咨询：东湾村厂房", body="某公司：想了解租赁条件", url="#/inquiries/7")
    run_tasks_through_time()
    assert fake_push.rejected == []
    [message] = fake_push.received
    assert message["payload"]["title"] == "新的场地咨询：东湾村厂房"
    assert message["payload"]["url"] == "#/inquiries/7"
    assert message["payload"]["tag"].startswith("batch-")
    assert message["claims"]["sub"] == "mailto:ops@dianxiaoer.test" and message["ttl"] == 24 * 3600
    delivery = Delivery.objects.get(channel="push")
    assert delivery.status == "sent"
    [attempt] = delivery.attempt_log.all()
    assert (attempt.outcome, attempt.code) == ("ok", "201")
    assert attempt.request_id == f"{fake_push.origin}/message/{message['id']}"
    assert PushSubscription.objects.get().last_success_at is not None


def test_it_pushes_to_every_device_of_a_recipient_and_none_of_others(users, fake_push):
    subscribe(logged_in(users["owner"]), fake_push.subscription("owner-phone"))
    subscribe(logged_in(users["owner"]), fake_push.subscription("owner-desk"))
    subscribe(logged_in(users["staff"]), fake_push.subscription("staff-phone"))
    batch_send(key="k", kind="sites.confirm_reminder", title="请确认场地", url="#/my-sites", user_ids=[users["owner"].id])
    run_tasks_through_time()
    assert sorted(m["name"] for m in fake_push.received) == ["owner-desk", "owner-phone"]


def test_it_forgets_an_expired_subscription(users, fake_push):
    subscribe(logged_in(users["owner"]), fake_push.subscription("old-phone"))
    fake_push.gone.add("old-phone")
    notice_create(user=users["owner"], kind="sites.inquiry", title="咨询", url="#/inquiries/1")
    run_tasks_through_time()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.reason) == ("failed", 1, "推送订阅已失效")
    assert not PushSubscription.objects.exists()
    # The next notice does not try it again.
    notice_create(user=users["owner"], kind="sites.inquiry", title="又一条咨询", url="#/inquiries/2")
    assert Delivery.objects.count() == 1


def test_it_waits_as_long_as_a_throttling_push_service_asks(users, fake_push, settings):
    subscribe(logged_in(users["owner"]), fake_push.subscription("busy-phone"))
    fake_push.throttled["busy-phone"] = 600
    before = timezone.now()
    notice_create(user=users["owner"], kind="sites.inquiry", title="咨询", url="#/inquiries/1")
    from apisupport import run_tasks

    run_tasks()
    delivery = Delivery.objects.get()
    assert delivery.status == "queued" and delivery.next_attempt_at >= before + dt.timedelta(seconds=600)
    del fake_push.throttled["busy-phone"]
    run_tasks_through_time()
    delivery.refresh_from_db()
    assert delivery.status == "sent" and delivery.attempts == 2 and len(fake_push.received) == 1


def test_it_sends_nothing_to_push_when_it_is_not_configured(users, fake_push, settings):
    subscribe(logged_in(users["owner"]), fake_push.subscription("owner-phone"))
    settings.VAPID_PRIVATE_KEY = ""
    notice_create(user=users["owner"], kind="sites.inquiry", title="咨询", url="#/inquiries/1")
    assert not Delivery.objects.exists()
    assert subscribe(logged_in(users["owner"]), fake_push.subscription("p2")).status_code == 409
