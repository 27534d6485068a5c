"""Alibaba Cloud SMS (短信服务, `dysmsapi` API version 2017-05-25): SendSms and QuerySendDetails.

RPC-style requests over HTTPS with Alibaba Cloud's signature version 1.0 (HMAC-SHA1),
as its documentation describes it: every parameter, common and specific, sorted by
name and percent-encoded per RFC 3986 (space → %20, `*` → %2A, `~` kept); the string to
sign is `METHOD&%2F&` + the percent-encoded canonical query; the key is the AccessKey
secret followed by `&`; the signature is the Base64 of the HMAC-SHA1 digest.
`tests/api/test_sms_aliyun.py` checks it against the examples published with the docs.

Configuration (environment, see README "SMS"): SMS_BACKEND=backend.sms.aliyun.AliyunSmsBackend,
SMS_ALIYUN_ACCESS_KEY_ID, SMS_ALIYUN_ACCESS_KEY_SECRET, SMS_ALIYUN_SIGN_NAME (an approved
签名), SMS_ALIYUN_TEMPLATES ("login_code=SMS_…,notice=SMS_…": our template names to
approved template codes), and SMS_ALIYUN_ENDPOINT (the tests point it at a local fake).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import urllib.parse
import urllib.request
import uuid
from functools import cache
from zoneinfo import ZoneInfo

import requests
from django.conf import settings

from . import SmsPermanentError, SmsReceipt, SmsSent, SmsTemporaryError

log = logging.getLogger("backend.sms")

API_VERSION = "2017-05-25"
BEIJING = ZoneInfo("Asia/Shanghai")  # SendDate and ReceiveDate are Beijing time

# Worth a retry later: the platform is busy or limits how fast we (or one number) may go.
# isv.BUSINESS_LIMIT_CONTROL is the per-number limit (e.g. 1/min, 5/h for codes; 50/day
# per template for notices); isv.DAY_LIMIT_CONTROL the account's own daily cap.
TEMPORARY = {
    "isp.SYSTEM_ERROR",
    "isv.BUSINESS_LIMIT_CONTROL",
    "isv.DAY_LIMIT_CONTROL",
    "ServiceUnavailable",
    "InternalError",
    "SignatureNonceUsed",  # our next attempt carries a new nonce
    "InvalidTimeStamp.Expired",  # a clock that drifted; worth retrying once NTP fixes it
}

# Every other code fails the message at once; these get a reason an admin understands.
REASONS = {
    "isv.MOBILE_NUMBER_ILLEGAL": "手机号码无效",
    "isv.MOBILE_COUNT_OVER_LIMIT": "手机号码数量超过上限",
    "isv.SMS_TEMPLATE_ILLEGAL": "短信模板不存在或未通过审核",
    "isv.SMS_SIGNATURE_ILLEGAL": "短信签名不存在或未通过审核",
    "isv.SIGN_STATE_ILLEGAL": "短信签名不可用",
    "isv.SMS_SIGNATURE_SCENE_ILLEGAL": "短信签名和模板类型不一致",
    "isv.TEMPLATE_MISSING_PARAMETERS": "短信模板缺少变量",
    "isv.TEMPLATE_PARAMS_ILLEGAL": "短信模板变量不合规",
    "isv.PARAM_LENGTH_LIMIT": "短信模板变量超长",
    "isv.INVALID_JSON_PARAM": "短信模板变量格式错误",
    "isv.INVALID_PARAMETERS": "参数不合法",
    "isv.BLACK_KEY_CONTROL_LIMIT": "短信内容含有禁止发送的关键字",
    "isv.SMS_CONTENT_ILLEGAL": "短信内容含有禁止发送的内容",
    "isv.OUT_OF_SERVICE": "短信账户余额不足，业务已停机",
    "isv.AMOUNT_NOT_ENOUGH": "短信账户余额不足",
    "isv.MONTH_LIMIT_CONTROL": "已达到短信月发送量上限",
    "isv.BUSINESS_LIMIT_CONTROL": "该号码发送过于频繁（平台流控）",
    "isv.DAY_LIMIT_CONTROL": "已达到短信日发送量上限",
    "isp.SYSTEM_ERROR": "短信平台系统繁忙",
    "isp.RAM_PERMISSION_DENY": "AccessKey 没有短信发送权限",
    "isv.ACCOUNT_NOT_EXISTS": "短信账户不存在",
    "isv.ACCOUNT_ABNORMAL": "短信账户异常",
    "isv.PRODUCT_UN_SUBSCRIPT": "阿里云账户未开通短信服务",
    "SignatureDoesNotMatch": "短信平台签名校验失败（AccessKey Secret 配置有误）",
    "InvalidAccessKeyId.NotFound": "AccessKey ID 不存在",
    "Throttling.User": "短信平台限流",
    "InvalidTimeStamp.Expired": "服务器时钟与短信平台相差过大",
}


def percent_encode(value: str) -> str:
    """RFC 3986 percent-encoding of UTF-8, as the signature needs it (not form encoding: space is %20)."""
    return urllib.parse.quote(value, safe="~")


def string_to_sign(params: dict[str, str], method: str) -> str:
    canonical = "&".join(
        f"{percent_encode(key)}={percent_encode(value)}" for key, value in sorted(params.items()) if key != "Signature"
    )
    return f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"


def rpc_signature(params: dict[str, str], secret: str, method: str = "POST") -> str:
    digest = hmac.new(f"{secret}&".encode(), string_to_sign(params, method).encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def temporary_code(code: str) -> bool:
    return code in TEMPORARY or code.startswith("Throttling")


def reason_for(code: str, message: str) -> str:
    return REASONS.get(code) or f"短信平台拒绝：{message or code}"[:200]


@cache
def _session() -> requests.Session:
    # One pooled, kept-alive connection per worker process: a campaign sends thousands.
    session = requests.Session()
    # Proxies (HTTPS_PROXY, NO_PROXY) and a CA bundle from the environment, read once:
    # requests would otherwise scan the environment and ~/.netrc on every call.
    session.trust_env = False
    session.verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
    return session


@cache
def _proxies(url: str) -> dict[str, str]:
    host = urllib.parse.urlsplit(url).hostname or ""
    if urllib.request.proxy_bypass(host):
        return {}
    return {scheme: proxy for scheme, proxy in urllib.request.getproxies().items() if scheme in ("http", "https")}


class AliyunSmsBackend:
    def __init__(self) -> None:
        self.endpoint = settings.SMS_ALIYUN_ENDPOINT
        self.key_id = settings.SMS_ALIYUN_ACCESS_KEY_ID
        self.secret = settings.SMS_ALIYUN_ACCESS_KEY_SECRET
        self.sign_name = settings.SMS_ALIYUN_SIGN_NAME
        self.templates = settings.SMS_ALIYUN_TEMPLATES
        self.region = settings.SMS_ALIYUN_REGION
        self.timeout = settings.SMS_TIMEOUT_S
        self.proxies = _proxies(self.endpoint)

    # --- the two calls ------------------------------------------------------------------

    def send(self, *, mobile: str, text: str, template: str, params: dict[str, str], out_id: str = "") -> SmsSent:
        template_code = self.templates.get(template)
        if not template_code:
            raise SmsPermanentError(f"未配置短信模板“{template}”（SMS_ALIYUN_TEMPLATES）", code="template_unset")
        request = {
            "PhoneNumbers": mobile,
            "SignName": self.sign_name,
            "TemplateCode": template_code,
            "TemplateParam": json.dumps(params, ensure_ascii=False, separators=(",", ":")),
        }
        if out_id:
            # Echoed in QuerySendDetails: how a lost answer is found again (`report`).
            request["OutId"] = out_id
        body = self._call("SendSms", request)
        return SmsSent(provider_id=str(body.get("BizId", "")), request_id=str(body.get("RequestId", "")), code="OK")

    def report(self, *, mobile: str, out_id: str, provider_id: str = "", sent_on: dt.date) -> SmsReceipt | None:
        """The provider's record of our message `out_id` to `mobile` sent on `sent_on` (Beijing date).

        None: the provider has no such message (an attempt that never reached it).
        QuerySendDetails lists one number's messages of one day, 50 a page; BizId narrows it.
        """
        page = 1
        while page <= 20:
            request = {"PhoneNumber": mobile, "SendDate": sent_on.strftime("%Y%m%d"), "PageSize": "50", "CurrentPage": str(page)}
            if provider_id:
                request["BizId"] = provider_id
            body = self._call("QuerySendDetails", request)
            details = (body.get("SmsSendDetailDTOs") or {}).get("SmsSendDetailDTO") or []
            for detail in details:
                if out_id and str(detail.get("OutId", "")) != out_id:
                    continue
                return _receipt(detail, request_id=str(body.get("RequestId", "")))
            if page * 50 >= int(body.get("TotalCount") or 0):
                return None
            page += 1
        return None

    # --- transport ------------------------------------------------------------------------

    def _call(self, action: str, params: dict[str, str]) -> dict:
        request = {
            "AccessKeyId": self.key_id,
            "Action": action,
            "Format": "JSON",
            "RegionId": self.region,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "Timestamp": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": API_VERSION,
            **params,
        }
        # POST with a form body: the numbers stay out of proxies' URL logs.
        request["Signature"] = rpc_signature(request, self.secret, "POST")
        try:
            response = _session().post(self.endpoint, data=request, timeout=self.timeout, proxies=self.proxies)
        except requests.ConnectTimeout as exc:
            raise SmsTemporaryError("短信平台连接超时", code="connect_timeout") from exc
        except requests.RequestException as exc:
            # The request may have reached the platform before the answer was lost.
            raise SmsTemporaryError("短信平台无响应", code="no_answer", maybe_sent=True) from exc
        try:
            body = response.json()
        except ValueError:
            body = {}
        code = str(body.get("Code") or "")
        request_id = str(body.get("RequestId") or "")
        if response.status_code == 200 and code == "OK":
            return body
        if not code:
            code = f"HTTP{response.status_code}"
            error = SmsTemporaryError if response.status_code >= 500 or response.status_code == 429 else SmsPermanentError
            raise error(f"短信平台返回 HTTP {response.status_code}", code=code, request_id=request_id)
        message = str(body.get("Message") or "")
        log.warning("Alibaba Cloud SMS %s: %s %s (request %s)", action, code, message, request_id)
        error = SmsTemporaryError if temporary_code(code) or response.status_code >= 500 else SmsPermanentError
        raise error(reason_for(code, message), code=code, request_id=request_id)


def _receipt(detail: dict, *, request_id: str) -> SmsReceipt:
    status = int(detail.get("SendStatus") or 1)
    at = None
    if detail.get("ReceiveDate"):
        try:
            at = dt.datetime.strptime(str(detail["ReceiveDate"]), "%Y-%m-%d %H:%M:%S").replace(tzinfo=BEIJING)
        except ValueError:
            at = None
    state = {3: "delivered", 2: "failed"}.get(status, "waiting")
    return SmsReceipt(state=state, code=str(detail.get("ErrCode") or ""), at=at, request_id=request_id)
