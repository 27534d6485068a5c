"""Backends without a provider: the log (development default) and memory (tests)."""

import logging

from . import SmsSent

log = logging.getLogger("backend.sms")


class ConsoleSmsBackend:
    """Writes the message to the log instead of sending it."""

    def send(self, *, mobile: str, text: str, template: str = "", params: dict | None = None, out_id: str = "") -> SmsSent:
        log.warning("SMS to %s: %s", mobile, text)
        return SmsSent(provider_id=f"console-{out_id}" if out_id else "", code="OK")


class LocmemSmsBackend:
    """For tests: keeps sent messages in memory, like Django's locmem e-mail backend."""

    outbox: list[dict] = []

    def send(self, *, mobile: str, text: str, template: str = "", params: dict | None = None, out_id: str = "") -> SmsSent:
        self.outbox.append({"mobile": mobile, "text": text, "template": template, "params": dict(params or {}), "out_id": out_id})
        return SmsSent(provider_id=f"locmem-{len(self.outbox)}", code="OK")
