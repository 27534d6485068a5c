"""SMS gateway interface. A town plugs its provider in with SMS_BACKEND."""

import logging
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


class ConsoleSmsBackend:
    """Default: writes the message to the log instead of sending it."""

    def send(self, *, mobile: str, text: str) -> None:
        log.warning("SMS to %s: %s", mobile, text)


class LocmemSmsBackend:
    """For tests: keeps sent messages in memory, like Django's locmem e-mail backend."""

    outbox: list[dict] = []

    def send(self, *, mobile: str, text: str) -> None:
        self.outbox.append({"mobile": mobile, "text": text})


@cache
def _backend_class(path: str) -> type:
    return import_string(path)


def send_sms(*, mobile: str, text: str) -> None:
    _backend_class(settings.SMS_BACKEND)().send(mobile=mobile, text=text)
