"""A local stand-in for Alibaba Cloud SMS (dysmsapi.aliyuncs.com, API 2017-05-25).

It speaks the provider's RPC protocol as documented: form or query parameters, the
signature version 1.0 checked here with its own implementation (not the app's), and
the provider's JSON answers — `{"Code": "OK", "BizId": …, "RequestId": …}` on success,
`{"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": …}` (HTTP 200) for a refused message,
gateway errors such as SignatureDoesNotMatch or Throttling.User with HTTP 400.

A test tells it what to do: a fraction of SendSms calls fail with temporary errors
(isp.SYSTEM_ERROR, isv.BUSINESS_LIMIT_CONTROL, Throttling.User), numbers or templates
that are refused for good (isv.MOBILE_NUMBER_ILLEGAL, isv.SMS_TEMPLATE_ILLEGAL), numbers
whose answer is held back after the message was accepted (to kill a worker in that
window), and numbers the carrier reports undelivered. `accepted` lists every message
taken, so a test counts what each number really received.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import itertools
import json
import random
import re
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, urlsplit
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")
MOBILE = re.compile(r"^1[3-9]\d{9}$")
COMMON = ("AccessKeyId", "Action", "Format", "SignatureMethod", "SignatureNonce", "SignatureVersion", "Timestamp", "Version", "Signature")
TEMPORARY = {
    # code: (HTTP status, message) as the platform answers them
    "isp.SYSTEM_ERROR": (200, "isp.SYSTEM_ERROR"),
    "isv.BUSINESS_LIMIT_CONTROL": (200, "触发分钟级流控Permits:1"),
    "Throttling.User": (400, "Request was denied due to user flow control."),
}
PERMANENT = {
    "isv.MOBILE_NUMBER_ILLEGAL": (200, "非法手机号"),
    "isv.SMS_TEMPLATE_ILLEGAL": (200, "模板不合法(不存在或被拉黑)"),
}


def _encode(value: str) -> str:
    return quote(value.encode("utf-8"), safe="-_.~")


def expected_signature(params: dict[str, str], secret: str, method: str) -> str:
    pairs = sorted((k, v) for k, v in params.items() if k != "Signature")
    query = "&".join(_encode(k) + "=" + _encode(v) for k, v in pairs)
    to_sign = method + "&" + _encode("/") + "&" + _encode(query)
    return base64.b64encode(hmac.new((secret + "&").encode(), to_sign.encode(), hashlib.sha1).digest()).decode()


class FakeAliyunSms:
    def __init__(
        self,
        *,
        key_id: str = "LTAI5tFakeAccessKey",
        secret: str = "fake-access-key-secret",
        sign_name: str = "店小二",
        templates: dict[str, list[str]] | None = None,
        seed: int = 20261201,
    ):
        self.key_id, self.secret, self.sign_name = key_id, secret, sign_name
        # Approved template codes and their variables.
        self.templates = templates or {"SMS_900000001": ["code"], "SMS_900000002": ["title"]}
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.temporary_fraction = 0.0
        self.permanent_fraction = 0.0
        self.invalid_numbers: set[str] = set()
        self.unapproved_templates: set[str] = set()
        self.undelivered: dict[str, str] = {}  # number → carrier's error code
        self.receipts_pending = False
        self.hold_answer: dict[str, float] = {}  # number → seconds to sit on the answer after accepting
        self.accepted: list[dict] = []
        self.calls: list[dict] = []  # every request: action, phone, code
        self.nonces: set[str] = set()
        self._biz = itertools.count(900619746936498440)
        self.server: ThreadingHTTPServer | None = None

    # --- lifecycle ---------------------------------------------------------------------------------

    def start(self) -> FakeAliyunSms:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body leave in separate writes: without this, Nagle meets the
            # client's delayed ACK and every answer waits ~40 ms.
            disable_nagle_algorithm = True

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                fake._handle(self, "GET", dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True)))

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                fake._handle(self, "POST", dict(parse_qsl(raw, keep_blank_values=True)))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, name="fake-aliyun-sms", daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/"

    def settings(self) -> dict[str, object]:
        """The app's settings (or, as strings, environment) that point the adapter here."""
        return {
            "SMS_BACKEND": "backend.sms.aliyun.AliyunSmsBackend",
            "SMS_ALIYUN_ENDPOINT": self.url,
            "SMS_ALIYUN_ACCESS_KEY_ID": self.key_id,
            "SMS_ALIYUN_ACCESS_KEY_SECRET": self.secret,
            "SMS_ALIYUN_SIGN_NAME": self.sign_name,
            "SMS_ALIYUN_TEMPLATES": {"login_code": "SMS_900000001", "notice": "SMS_900000002"},
        }

    def environ(self) -> dict[str, str]:
        values = self.settings()
        values["SMS_ALIYUN_TEMPLATES"] = ",".join(f"{k}={v}" for k, v in values["SMS_ALIYUN_TEMPLATES"].items())
        return {k: str(v) for k, v in values.items()}

    def per_number(self) -> Counter:
        with self.lock:
            return Counter(m["phone"] for m in self.accepted)

    # --- protocol ----------------------------------------------------------------------------------

    def _answer(self, handler, status: int, body: dict) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json;charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _error(self, handler, status: int, code: str, message: str, request_id: str, **record) -> None:
        with self.lock:
            self.calls.append({"code": code, **record})
        body = {"RequestId": request_id, "Code": code, "Message": message}
        if status != 200:
            body |= {"HostId": "dysmsapi.aliyuncs.com", "Recommend": f"https://api.aliyun.com/troubleshoot?q={code}"}
        self._answer(handler, status, body)

    def _handle(self, handler, method: str, params: dict[str, str]) -> None:
        request_id = str(uuid.uuid4()).upper()
        missing = [name for name in COMMON if not params.get(name)]
        if missing:
            return self._error(handler, 400, "MissingParameter", f"The input parameter \"{missing[0]}\" that is mandatory for processing this request is not supplied.", request_id)
        if params["Version"] != "2017-05-25":
            return self._error(handler, 400, "InvalidVersion", "Specified parameter Version is not valid.", request_id)
        if params["SignatureMethod"] != "HMAC-SHA1" or params["SignatureVersion"] != "1.0":
            return self._error(handler, 400, "InvalidSignatureMethod", "Specified signature method is not valid.", request_id)
        if params["AccessKeyId"] != self.key_id:
            return self._error(handler, 404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.", request_id)
        if params["Signature"] != expected_signature(params, self.secret, method):
            return self._error(handler, 400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.", request_id)
        try:
            stamp = dt.datetime.strptime(params["Timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
        except ValueError:
            return self._error(handler, 400, "InvalidTimeStamp.Format", "Specified time stamp is not valid.", request_id)
        if abs((dt.datetime.now(dt.UTC) - stamp).total_seconds()) > 15 * 60:
            return self._error(handler, 400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.", request_id)
        with self.lock:
            reused = params["SignatureNonce"] in self.nonces
            self.nonces.add(params["SignatureNonce"])
        if reused:
            return self._error(handler, 400, "SignatureNonceUsed", "Specified signature nonce was used already.", request_id)
        action = params["Action"]
        if action == "SendSms":
            return self._send(handler, params, request_id)
        if action == "QuerySendDetails":
            return self._query(handler, params, request_id)
        return self._error(handler, 404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.", request_id)

    def _send(self, handler, params: dict[str, str], request_id: str) -> None:
        phone = params.get("PhoneNumbers", "")
        template = params.get("TemplateCode", "")
        record = {"action": "SendSms", "phone": phone, "out_id": params.get("OutId", "")}
        with self.lock:
            roll = self.rng.random()
            pick = self.rng.random()
        if roll < self.temporary_fraction:
            code = sorted(TEMPORARY)[int(pick * len(TEMPORARY))]
            status, message = TEMPORARY[code]
            return self._error(handler, status, code, message, request_id, **record)
        if roll < self.temporary_fraction + self.permanent_fraction:
            code = sorted(PERMANENT)[int(pick * len(PERMANENT))]
            return self._error(handler, 200, code, PERMANENT[code][1], request_id, **record)
        if params.get("SignName") != self.sign_name:
            return self._error(handler, 200, "isv.SMS_SIGNATURE_ILLEGAL", "签名不合法(不存在或被拉黑)", request_id, **record)
        if template not in self.templates or template in self.unapproved_templates:
            return self._error(handler, 200, "isv.SMS_TEMPLATE_ILLEGAL", "模板不合法(不存在或被拉黑)", request_id, **record)
        if not MOBILE.match(phone) or phone in self.invalid_numbers:
            return self._error(handler, 200, "isv.MOBILE_NUMBER_ILLEGAL", "非法手机号", request_id, **record)
        try:
            variables = json.loads(params.get("TemplateParam") or "{}")
        except ValueError:
            return self._error(handler, 200, "isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值", request_id, **record)
        if not isinstance(variables, dict) or any(not isinstance(v, str) for v in variables.values()):
            return self._error(handler, 200, "isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值", request_id, **record)
        if set(self.templates[template]) - set(variables):
            return self._error(handler, 200, "isv.TEMPLATE_MISSING_PARAMETERS", "模板缺少变量", request_id, **record)
        if any(len(v) > 35 for v in variables.values()):
            return self._error(handler, 200, "isv.PARAM_LENGTH_LIMIT", "参数超出长度限制", request_id, **record)
        biz_id = f"{next(self._biz)}^0"
        with self.lock:
            self.accepted.append({
                "phone": phone, "out_id": params.get("OutId", ""), "biz_id": biz_id, "template": template,
                "params": variables, "at": dt.datetime.now(BEIJING),
            })
            self.calls.append({"code": "OK", **record})
            hold = self.hold_answer.get(phone, 0)
        if hold:
            time.sleep(hold)
        self._answer(handler, 200, {"Message": "OK", "RequestId": request_id, "Code": "OK", "BizId": biz_id})

    def _query(self, handler, params: dict[str, str], request_id: str) -> None:
        phone, day, biz_id = params.get("PhoneNumber", ""), params.get("SendDate", ""), params.get("BizId", "")
        try:
            size, page = int(params.get("PageSize", "")), int(params.get("CurrentPage", ""))
        except ValueError:
            return self._error(handler, 400, "MissingParameter", "PageSize and CurrentPage are mandatory.", request_id)
        if not (1 <= size <= 50) or page < 1 or not re.fullmatch(r"\d{8}", day):
            return self._error(handler, 200, "isv.INVALID_PARAMETERS", "参数异常", request_id)
        with self.lock:
            self.calls.append({"action": "QuerySendDetails", "phone": phone, "code": "OK"})
            rows = [m for m in self.accepted if m["phone"] == phone and m["at"].strftime("%Y%m%d") == day
                    and (not biz_id or m["biz_id"] == biz_id)]
        details = []
        for m in rows[(page - 1) * size : page * size]:
            if self.receipts_pending:
                status, err, received = 1, "", ""
            elif phone in self.undelivered:
                status, err, received = 2, self.undelivered[phone], ""
            else:
                status, err, received = 3, "DELIVERED", (m["at"] + dt.timedelta(seconds=3)).strftime("%Y-%m-%d %H:%M:%S")
            details.append({
                "ErrCode": err, "TemplateCode": m["template"], "OutId": m["out_id"], "ReceiveDate": received,
                "SendDate": m["at"].strftime("%Y-%m-%d %H:%M:%S"), "PhoneNum": phone,
                "Content": f"【{self.sign_name}】" + "".join(m["params"].values()), "SendStatus": status,
            })
        self._answer(handler, 200, {
            "Code": "OK", "Message": "OK", "RequestId": request_id, "TotalCount": str(len(rows)),
            "SmsSendDetailDTOs": {"SmsSendDetailDTO": details},
        })
