"""Writes for accounts: logging in and out (throttled by throttle.py), SMS codes."""

import logging
import secrets
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.contrib.auth import authenticate, login, logout
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare, salted_hmac

from backend.errors import Conflict, NotAuthenticated, RateLimited
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


def _code_key(mobile: str, purpose: str = "login") -> str:
    # One code per (number, purpose): a registration code cannot log in as someone, nor the reverse.
    return f"smscode:{mobile}" if purpose == "login" else f"smscode:{purpose}:{mobile}"


def _code_digest(mobile: str, code: str) -> str:
    return salted_hmac("dianxiaoer.smscode", f"{mobile}:{code}").hexdigest()


def _sms_send_limits_take(*, request: HttpRequest, mobile: str) -> None:
    """Login and registration codes share these counters: together they send a number
    at most one code a minute and five an hour (no SMS bombing through either door)."""
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


def _sms_code_issue(*, mobile: str, purpose: str, text: str) -> None:
    ttl = settings.SMS_CODE_TTL
    code = f"{secrets.randbelow(10**6):06d}"
    entry = {"digest": _code_digest(mobile, code), "attempts": 0, "expires_at": time.time() + ttl}
    cache.set(_code_key(mobile, purpose), entry, ttl)
    try:
        # One approved verification-code template serves both purposes (SMS_ALIYUN_TEMPLATES).
        send_sms(mobile=mobile, text=text.format(code=code, minutes=ttl // 60), template="login_code", params={"code": code})
    except SmsError as error:
        # Same answer as for an unknown number (a failure only known numbers can have would
        # reveal them); the user asks again after the one-minute limit.
        log.error("%s code to %s****%s not sent: %s %s", purpose, mobile[:3], mobile[-4:], error.code, error.detail)


def _sms_code_consume(*, attempt: LoginAttempt, mobile: str, code: str, purpose: str) -> None:
    """Check and burn the code, or raise NotAuthenticated (the attempt counted as failed)."""
    key = _code_key(mobile, purpose)
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


def _enterprise_user_by_mobile(mobile: str) -> User | None:
    return User.objects.filter(mobile=mobile, role=User.Role.ENTERPRISE, is_active=True).first()


def sms_code_send(*, request: HttpRequest, mobile: str) -> int:
    """Send a login code if an active enterprise user has this number.

    The answer is the same whether or not the number is known, so the endpoint
    can't be used to find out which numbers are registered.
    """
    _sms_send_limits_take(request=request, mobile=mobile)
    if _enterprise_user_by_mobile(mobile) is not None:
        _sms_code_issue(mobile=mobile, purpose="login", text="【店小二】您的登录验证码是{code}，{minutes}分钟内有效。如非本人操作请忽略。")
    return settings.SMS_CODE_TTL


def sms_code_verify(*, request: HttpRequest, mobile: str, code: str) -> User:
    user = _enterprise_user_by_mobile(mobile)
    # The same limiter as passwords, on the account behind the number.
    attempt = login_attempt_start(request=request, account=user.username if user else f"mobile:{mobile}")
    _sms_code_consume(attempt=attempt, mobile=mobile, code=code, purpose="login")
    if user is None:
        attempt.failed()
        raise NotAuthenticated("该手机号未注册企业账号", code="sms_no_user")
    attempt.succeeded()
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return user


def register_code_send(*, request: HttpRequest, mobile: str) -> int:
    """Send a registration code to any number, known or not: the same answer and the
    same SMS for both, so this door can't tell which numbers are registered either."""
    _sms_send_limits_take(request=request, mobile=mobile)
    _sms_code_issue(mobile=mobile, purpose="join", text="【店小二】您的注册验证码是{code}，{minutes}分钟内有效。如非本人操作请忽略。")
    return settings.SMS_CODE_TTL


def _free_username(mobile: str) -> str:
    base = f"qy{mobile}"
    name = base
    while User.objects.filter(username=name).exists():
        name = f"{base}-{secrets.token_hex(2)}"
    return name


def sms_register(*, request: HttpRequest, mobile: str, code: str) -> tuple[User, bool]:
    """Create an enterprise account for a number that proved itself with a registration
    code, and log it in; (user, created). A number that already has an enterprise
    account logs into it: whoever holds the code owns the number, so telling them is no leak.

    The new account acts for no enterprise until a claim is verified (backend/join)."""
    existing = User.objects.filter(mobile=mobile).first()
    attempt = login_attempt_start(request=request, account=existing.username if existing else f"mobile:{mobile}")
    _sms_code_consume(attempt=attempt, mobile=mobile, code=code, purpose="join")
    created = False
    if existing is None:
        try:
            with transaction.atomic():
                existing = User.objects.create_user(
                    username=_free_username(mobile), mobile=mobile, role=User.Role.ENTERPRISE, password=None
                )
                created = True
        except IntegrityError:
            # Another request registered the same number a moment earlier (user_mobile_unique).
            existing = User.objects.get(mobile=mobile)
    if existing.role != User.Role.ENTERPRISE or not existing.is_active:
        attempt.failed()
        raise Conflict("该手机号已用于其他账号，请使用原账号登录或联系管理员", code="mobile_in_use")
    attempt.succeeded()
    login(request, existing, backend="django.contrib.auth.backends.ModelBackend")
    return existing, created


def privacy_acknowledge(*, user: User, version: str) -> None:
    from backend.errors import Invalid

    from .models import PrivacyAcknowledgement

    if version != settings.PRIVACY_NOTICE_VERSION:
        # An old cached copy of the notice was shown: ask again with the current text.
        raise Invalid("隐私说明已更新，请阅读最新版本后再确认", field="version")
    PrivacyAcknowledgement.objects.get_or_create(user=user, version=version)
