"""Writes for accounts: logging in and out (throttled by throttle.py), SMS codes."""

import logging
import secrets
import time

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare, salted_hmac

from backend.errors import NotAuthenticated, RateLimited
from backend.kernel.clientip import client_ip
from backend.ratelimit import Limit, take_all
from backend.sms import SmsError, send_sms

from .models import User
from .throttle import LoginAttempt, LoginThrottled, device_known, login_attempt_begin

log = logging.getLogger(__name__)


def login_attempt_start(*, request: HttpRequest, account: str) -> LoginAttempt:
    """Every login path starts here (API password, SMS code, /admin/login/): 429 when throttled."""
    try:
        return login_attempt_begin(account=account, ip=client_ip(request) or "unknown", known_device=device_known(request, account))
    except LoginThrottled as throttled:
        raise RateLimited(throttled.message, retry_after=throttled.wait, code="login_throttled") from None


def user_log_in(*, request: HttpRequest, username: str, password: str) -> User:
    # Counted before authenticate(): a throttled guess must not learn whether it was right,
    # and racing guesses can't all pass a check none of them has counted yet.
    attempt = login_attempt_start(request=request, account=username)
    user = authenticate(request, username=username, password=password)
    if user is None:
        attempt.failed()
        raise NotAuthenticated("用户名或密码错误", code="bad_credentials")
    attempt.succeeded()
    login(request, user)
    return user


def user_log_out(*, request: HttpRequest) -> None:
    logout(request)


def _code_key(mobile: str) -> str:
    return f"smscode:{mobile}"


def _code_digest(mobile: str, code: str) -> str:
    return salted_hmac("dianxiaoer.smscode", f"{mobile}:{code}").hexdigest()


def sms_code_send(*, request: HttpRequest, mobile: str) -> int:
    """Send a login code if an active enterprise user has this number.

    The answer is the same whether or not the number is known, so the endpoint
    can't be used to find out which numbers are registered.
    """
    ip = client_ip(request) or "unknown"
    limits = [
        # A limit of one is a last-sent time: two codes are always ≥ 60 s apart.
        Limit(f"sms:mobile:{mobile}:min", 1, 60),
        Limit(f"sms:mobile:{mobile}:hour", 5, 3600),
        Limit(f"sms:ip:{ip}:hour", 20, 3600),
    ]
    _, full = take_all(limits)
    if full is not None:
        wait = max(1, full.exceeded())
        raise RateLimited(f"验证码发送过于频繁，请{wait}秒后再试", retry_after=wait, code="sms_throttled")
    ttl = settings.SMS_CODE_TTL
    if User.objects.filter(mobile=mobile, role=User.Role.ENTERPRISE, is_active=True).exists():
        code = f"{secrets.randbelow(10**6):06d}"
        entry = {"digest": _code_digest(mobile, code), "attempts": 0, "expires_at": time.time() + ttl}
        cache.set(_code_key(mobile), entry, ttl)
        text = f"【店小二】您的登录验证码是{code}，{ttl // 60}分钟内有效。如非本人操作请忽略。"
        try:
            send_sms(mobile=mobile, text=text, template="login_code", params={"code": code})
        except SmsError as error:
            # Same answer as for an unknown number (a failure only known numbers can have would
            # reveal them); the user asks again after the one-minute limit.
            log.error("login code to %s****%s not sent: %s %s", mobile[:3], mobile[-4:], error.code, error.detail)
    return ttl


def sms_code_verify(*, request: HttpRequest, mobile: str, code: str) -> User:
    user = User.objects.filter(mobile=mobile, role=User.Role.ENTERPRISE, is_active=True).first()
    # The same limiter as passwords, on the account behind the number.
    attempt = login_attempt_start(request=request, account=user.username if user else f"mobile:{mobile}")
    key = _code_key(mobile)
    entry = cache.get(key)
    if entry is None:
        attempt.failed()
        raise NotAuthenticated("验证码已过期或未发送，请重新获取", code="sms_code_expired")
    # Each code takes SMS_CODE_MAX_ATTEMPTS guesses, counted atomically (a
    # read-modify-write of the cached entry let parallel guesses all count as one).
    tries = Limit(f"smscode:tries:{entry['digest']}", settings.SMS_CODE_MAX_ATTEMPTS, settings.SMS_CODE_TTL, anchored=True)
    if tries.take() is None:
        cache.delete(key)
        attempt.failed()
        raise NotAuthenticated("验证码错误次数过多，请重新获取", code="sms_code_exhausted")
    if not constant_time_compare(entry["digest"], _code_digest(mobile, code)):
        attempt.failed()
        raise NotAuthenticated("验证码错误", code="sms_code_wrong")
    # delete() says whether it deleted: of two racing right answers, one logs in.
    if not cache.delete(key):
        attempt.failed()
        raise NotAuthenticated("验证码已过期或未发送，请重新获取", code="sms_code_expired")
    if user is None:
        attempt.failed()
        raise NotAuthenticated("该手机号未注册企业账号", code="sms_no_user")
    attempt.succeeded()
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return user


def privacy_acknowledge(*, user: User, version: str) -> None:
    from backend.errors import Invalid

    from .models import PrivacyAcknowledgement

    if version != settings.PRIVACY_NOTICE_VERSION:
        # An old cached copy of the notice was shown: ask again with the current text.
        raise Invalid("隐私说明已更新，请阅读最新版本后再确认", field="version")
    PrivacyAcknowledgement.objects.get_or_create(user=user, version=version)
