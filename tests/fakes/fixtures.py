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
