"""The client's IP address, for rate limits and the location access log.

`NUM_PROXIES` (environment, default 0) says how many reverse proxies stand in
front of the app. Each proxy appends the address it received the request from
to X-Forwarded-For, so with N proxies the client is the N-th entry from the
right; everything left of it was written by the client and may be invented.

- 0 proxies: REMOTE_ADDR; X-Forwarded-For is ignored (anyone can send one).
- N proxies: the N-th address from the right of X-Forwarded-For. A header with
  fewer than N entries did not pass through all of our proxies: REMOTE_ADDR.
- Whatever is picked must parse as an IP address, else REMOTE_ADDR; None
  when that is no address either (a unix socket): the database columns for
  addresses take an IP or nothing, and a rate-limit key says "unknown".
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

def _ip(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as text, or None when not even REMOTE_ADDR is one."""
    remote = _ip(request.META.get("REMOTE_ADDR"))
    proxies = settings.NUM_PROXIES
    if proxies <= 0:
        return remote
    # Several X-Forwarded-For headers arrive joined by commas (WSGI folds them).
    hops = [h for h in (request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",") if h.strip()]
    if len(hops) < proxies:
        return remote
    return _ip(hops[-proxies]) or remote
