"""A simulated phone: an outbox of check-ins that leave only on a 2xx JSON answer naming them.

The same rule as frontend_static/common/outbox.js: connection errors, timeouts, 5xx and
non-JSON answers keep the item; it is sent again, with the same client_id and body.
"""

import datetime as dt
import http.client
import http.cookiejar
import io
import json
import random
import threading
import time
import urllib.error
import urllib.request
import uuid

from django.utils import timezone
from PIL import Image


class Phone:
    def __init__(self, base_url: str, session_key: str, outbox: list[dict]):
        """`session_key`: a logged-in session, as the phone has after its last login
        (sessions live in the database, so they survive a server restart)."""
        self.base = base_url
        self.outbox = list(outbox)
        self.cookies = http.cookiejar.CookieJar()
        self.http = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.cookies.set_cookie(_cookie("sessionid", session_key))
        self.attempts = 0
        self.error: str | None = None
        self.replays = 0
        self.sent_ids = [item["client_id"] for item in outbox]

    def _csrf(self) -> str:
        for cookie in self.cookies:
            if cookie.name == "csrftoken":
                return cookie.value
        self.http.open(self.base + "/api/auth/csrf", timeout=5).read()
        return self._csrf()

    def _post(self, path: str, body: dict) -> tuple[int, dict | None]:
        request = urllib.request.Request(
            self.base + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "X-CSRFToken": self._csrf()},
            method="POST",
        )
        try:
            with self.http.open(request, timeout=5) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, None

    def sync(self, *, deadline: float) -> None:
        backoff = 0.05
        while self.outbox and time.monotonic() < deadline:
            try:
                item = self.outbox[0]
                self.attempts += 1
                status, body = self._post("/api/visits/checkin", item)
                if status in (200, 201) and body and body.get("client_id") == item["client_id"]:
                    self.replays += status == 200
                    self.outbox.pop(0)
                    backoff = 0.05
                    continue
                if status in (401, 403):
                    self.error = f"session refused: {status} {body}"
                    return
                if status in (409, 422):
                    # A replay of an unchanged body must never be refused: that is the bug under test.
                    self.error = f"server refused {item['client_id']}: {status} {body}"
                    return
            except (OSError, urllib.error.URLError, http.client.HTTPException):
                pass  # server down or connection cut: keep the item
            time.sleep(backoff * (0.5 + random.random()))
            backoff = min(backoff * 2, 1.0)


class FieldPhone(Phone):
    """Checks in and attaches a photo, again and again, until told to stop."""

    def __init__(self, base_url: str, session_key: str, enterprise_id: int, index: int):
        super().__init__(base_url, session_key, [])
        self.enterprise_id, self.index = enterprise_id, index
        self.visits = self.photos = 0

    def _photo(self, n: int) -> bytes:
        out = io.BytesIO()
        Image.new("RGB", (320, 240), ((self.index * 70) % 256, n % 256, 90)).save(out, "JPEG")
        return out.getvalue()

    def _upload(self, visit_id: int, data: bytes) -> int:
        boundary = uuid.uuid4().hex
        body = (
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"client_id\"\r\n\r\n{uuid.uuid4()}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.jpg\"\r\n"
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(
            f"{self.base}/api/visits/{visit_id}/photos", data=body, method="POST",
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "X-CSRFToken": self._csrf()},
        )
        try:
            with self.http.open(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    def run(self, stop: threading.Event) -> None:
        n = 0
        while not stop.is_set():
            n += 1
            status, body = self._post("/api/visits/checkin", {
                "client_id": str(uuid.uuid4()), "enterprise_id": self.enterprise_id,
                "lat": 31.12 + self.index * 1e-5, "lng": 121.42 + n * 1e-6, "accuracy_m": 15, "speed": None,
                "heading": None, "captured_at": (timezone.now() - dt.timedelta(seconds=5)).isoformat(), "queued": False,
            })
            if status != 201:
                self.error = f"check-in: {status} {body}"
                return
            self.visits += 1
            status = self._upload(body["id"], self._photo(n))
            if status not in (201, 503):  # 503: every decode slot busy, the outbox would retry
                self.error = f"photo: {status}"
                return
            self.photos += status == 201


def _cookie(name: str, value: str) -> http.cookiejar.Cookie:
    return http.cookiejar.Cookie(
        0, name, value, None, False, "127.0.0.1", False, False, "/", True, False, None, False, None, None, {}
    )
