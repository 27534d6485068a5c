"""Writes for accounts: logging in and out, SMS codes."""

import secrets
import time

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare, salted_hmac

from backend.errors import NotAuthenticated, RateLimited
from backend.ratelimit import Limit

from .models import User
from .sms import send_sms


def client_ip(request: HttpRequest) -> str:
    from ninja.throttling import BaseThrottle

    return BaseThrottle().get_ident(request) or "unknown"


def _failure_limits(*, username: str, ip: str) -> list[Limit]:
    window = settings.LOGIN_FAILURE_WINDOW
    return [
        Limit(f"loginfail:user:{username.lower()}", settings.LOGIN_FAILURE_LIMIT, window),
        # An IP gets more room than one account: a town office shares one NAT address.
        Limit(f"loginfail:ip:{ip}", settings.LOGIN_FAILURE_LIMIT * 4, window),
    ]


def _raise_if_throttled(limits: list[Limit]) -> None:
    wait = max(limit.exceeded() for limit in limits)
    if wait:
        minutes = max(1, (wait + 59) // 60)
        raise RateLimited(f"登录失败次数过多，请{minutes}分钟后再试", retry_after=wait, code="login_throttled")


def user_log_in(*, request: HttpRequest, username: str, password: str) -> User:
    limits = _failure_limits(username=username, ip=client_ip(request))
    # Checked before authenticate(): a throttled guess must not learn whether it was right.
    _raise_if_throttled(limits)
    user = authenticate(request, username=username, password=password)
    if user is None:
        for limit in limits:
            limit.hit()
        raise NotAuthenticated("用户名或密码错误", code="bad_credentials")
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
    ip = client_ip(request)
    limits = [
        Limit(f"sms:mobile:{mobile}:min", 1, 60),
        Limit(f"sms:mobile:{mobile}:hour", 5, 3600),
        Limit(f"sms:ip:{ip}:hour", 20, 3600),
    ]
    wait = max(limit.exceeded() for limit in limits)
    if wait:
        raise RateLimited(f"验证码发送过于频繁，请{wait}秒后再试", retry_after=wait, code="sms_throttled")
    for limit in limits:
        limit.hit()
    ttl = settings.SMS_CODE_TTL
    if User.objects.filter(mobile=mobile, role=User.Role.ENTERPRISE, is_active=True).exists():
        code = f"{secrets.randbelow(10**6):06d}"
        entry = {"digest": _code_digest(mobile, code), "attempts": 0, "expires_at": time.time() + ttl}
        cache.set(_code_key(mobile), entry, ttl)
        send_sms(mobile=mobile, text=f"【店小二】您的登录验证码是{code}，{ttl // 60}分钟内有效。如非本人操作请忽略。")
    return ttl


def sms_code_verify(*, request: HttpRequest, mobile: str, code: str) -> User:
    key = _code_key(mobile)
    entry = cache.get(key)
    if entry is None:
        raise NotAuthenticated("验证码已过期或未发送，请重新获取", code="sms_code_expired")
    if not constant_time_compare(entry["digest"], _code_digest(mobile, code)):
        entry["attempts"] += 1
        if entry["attempts"] >= settings.SMS_CODE_MAX_ATTEMPTS:
            cache.delete(key)
            raise NotAuthenticated("验证码错误次数过多，请重新获取", code="sms_code_exhausted")
        # Keep the original expiry: wrong guesses must not extend a code's life.
        cache.set(key, entry, max(1, int(entry["expires_at"] - time.time())))
        raise NotAuthenticated("验证码错误", code="sms_code_wrong")
    cache.delete(key)
    user = User.objects.filter(mobile=mobile, role=User.Role.ENTERPRISE, is_active=True).first()
    if user is None:
        raise NotAuthenticated("该手机号未注册企业账号", code="sms_no_user")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return user


def privacy_acknowledge(*, user: User, version: str) -> None:
    from backend.errors import Invalid

    from .models import PrivacyAcknowledgement

    if version != settings.PRIVACY_NOTICE_VERSION:
        # An old cached copy of the notice was shown: ask again with the current text.
        raise Invalid("隐私说明已更新，请阅读最新版本后再确认", field="version")
    PrivacyAcknowledgement.objects.get_or_create(user=user, version=version)
