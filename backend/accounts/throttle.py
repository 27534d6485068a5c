"""One limiter for every way to log in: password at /api/auth/login and at
/admin/login/, and the SMS code at /api/auth/sms/verify.

Each attempt is counted *before* the password or code is checked (a reservation,
`take()`: one atomic statement, see backend/ratelimit/limits.py), so parallel
guesses can't all slip past a check that none of them has counted yet; a
refused attempt counts nothing and checks nothing, and a success gives its
reservation back.

What is counted, and why (defaults; settings LOGIN_*):
- 5 failures per 15 min per (account, IP): the fast limit. Keyed on the pair, so
  a guesser at one address no longer locks the official out everywhere.
- 20 failures per day per (account, IP): one address alone can't reach the
  account's ceiling below.
- 50 failures per day per account, from devices the account has not logged in
  from before: stops a guess spread over many addresses. A device that has
  logged in as this account (a signed cookie, set at each success) is exempt, so
  even a distributed attacker can't lock the official out of their own phone.
- 20 failures per 15 min per IP: one address trying many accounts (password
  spraying). A town office behind one NAT address shares it, hence 4× the fast limit.
"""

import hashlib
import math
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from backend.ratelimit import Limit, Ticket, take_all

DEVICE_COOKIE = "dxe_device"
DEVICE_COOKIE_AGE = 365 * 24 * 3600
_DEVICE_SALT = "dianxiaoer.known-device"
_DEVICE_ACCOUNTS = 8  # a shared office computer remembers this many accounts


class LoginThrottled(Exception):
    def __init__(self, *, wait: int, message: str):
        super().__init__(message)
        self.wait = wait
        self.message = message


@dataclass
class LoginAttempt:
    account: str
    ip: str
    tickets: list[tuple[Limit, Ticket]] = field(default_factory=list)

    def failed(self) -> None:
        """The password or code was wrong: the reservations stay counted."""
        self.tickets = []

    def succeeded(self) -> None:
        """Right: the attempt was no failure, and this address starts afresh for this account."""
        for limit, ticket in self.tickets:
            limit.give_back(ticket)
        self.tickets = []
        for limit in _pair_limits(self.account, self.ip):
            limit.reset()


def normalize_account(name: str) -> str:
    # Capped: the key is hashed anyway; the cap keeps a megabyte "username" cheap.
    return name.strip().lower()[:256]


def _pair_limits(account: str, ip: str) -> list[Limit]:
    return [
        Limit(f"login:pair:{account}:{ip}", settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_FAILURE_WINDOW),
        Limit(f"login:pair-day:{account}:{ip}", settings.LOGIN_FAILURE_PAIR_DAILY, 24 * 3600),
    ]


def login_attempt_begin(*, account: str, ip: str, known_device: bool) -> LoginAttempt:
    """Reserve one failure's room in every limit, or raise LoginThrottled.

    `account` is what identifies the account being tried (a username, or the
    username behind a mobile number), `known_device` whether this device has
    logged in as it before (see `device_known`)."""
    account = normalize_account(account)
    fast, daily = _pair_limits(account, ip)
    ceiling = Limit(f"login:account:{account}", settings.LOGIN_FAILURE_ACCOUNT_DAILY, 24 * 3600)
    address = Limit(f"login:ip:{ip}", settings.LOGIN_FAILURE_IP_LIMIT, settings.LOGIN_FAILURE_WINDOW)
    limits = [fast, daily, address] + ([] if known_device else [ceiling])
    taken, full = take_all(limits)
    if full is not None:
        wait = max(1, full.exceeded())
        raise LoginThrottled(wait=wait, message=_message(full, ceiling, address, wait))
    return LoginAttempt(account=account, ip=ip, tickets=taken)


def _message(limit: Limit, ceiling: Limit, address: Limit, wait: int) -> str:
    later = _wait_text(wait)
    if limit is ceiling:
        return f"该账号今日登录失败次数过多，为保护账号已暂停在新设备上登录；请在常用设备上登录，或{later}后再试"
    if limit is address:
        return f"当前网络登录失败次数过多，请{later}后再试"
    return f"登录失败次数过多，请{later}后再试"


def _wait_text(wait: int) -> str:
    if wait < 3600:
        return f"{max(1, math.ceil(wait / 60))}分钟"
    return f"{math.ceil(wait / 3600)}小时"


# --- known devices -------------------------------------------------------------


def _account_mark(account: str) -> str:
    # Not the name itself: the cookie need not tell who logged in on this device.
    return hashlib.sha256(f"dxe-device:{normalize_account(account)}".encode()).hexdigest()[:16]


def _device_marks(request: HttpRequest) -> list[str]:
    raw = request.COOKIES.get(DEVICE_COOKIE)
    if not raw:
        return []
    try:
        marks = signing.loads(raw, salt=_DEVICE_SALT, max_age=DEVICE_COOKIE_AGE)
    except signing.BadSignature:
        return []
    return [m for m in marks if isinstance(m, str)][:_DEVICE_ACCOUNTS] if isinstance(marks, list) else []


def device_known(request: HttpRequest, account: str) -> bool:
    return _account_mark(account) in _device_marks(request)


def device_remember(request: HttpRequest, response: HttpResponse, account: str) -> None:
    """After a successful login: this device may log in as `account` even when the
    account is locked for new devices."""
    mark = _account_mark(account)
    marks = [mark] + [m for m in _device_marks(request) if m != mark]
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps(marks[:_DEVICE_ACCOUNTS], salt=_DEVICE_SALT),
        max_age=DEVICE_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
