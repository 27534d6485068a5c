"""pytest fixtures for the fake providers; a test module imports the ones it uses."""

import pytest

from fakes.aliyun_sms import FakeAliyunSms


@pytest.fixture
def fake_sms(settings):
    """A running fake Alibaba Cloud SMS with the app's settings pointed at it."""
    fake = FakeAliyunSms().start()
    for name, value in fake.settings().items():
        setattr(settings, name, value)
    settings.SMS_TIMEOUT_S = 5
    yield fake
    fake.stop()


@pytest.fixture
def vapid_keys(settings):
    """A fresh VAPID key pair from our own `manage.py generate_vapid_keys`, set in settings."""
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("generate_vapid_keys", "--subject", "mailto:ops@dianxiaoer.test", stdout=out)
    keys = dict(line.split("=", 1) for line in out.getvalue().split())
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY, settings.VAPID_SUBJECT = (
        keys["VAPID_PUBLIC_KEY"], keys["VAPID_PRIVATE_KEY"], keys["VAPID_SUBJECT"])
    return keys


@pytest.fixture
def fake_push(settings, vapid_keys):
    from fakes.webpush import FakePushService

    fake = FakePushService(vapid_public_key=vapid_keys["VAPID_PUBLIC_KEY"]).start()
    settings.WEBPUSH_ENDPOINT_ORIGINS = [*settings.WEBPUSH_ENDPOINT_ORIGINS, fake.origin]
    yield fake
    fake.stop()
