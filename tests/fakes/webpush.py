"""A local stand-in for a browser's push service (RFC 8030), strict about what it accepts.

It checks what a real push service checks, with its own code (not pywebpush's):
- the VAPID header (RFC 8292): `Authorization: vapid t=<JWT>, k=<key>`, the key being the
  applicationServerKey the subscription was made with, an ES256 JWT signed by that key,
  `aud` the push service's origin, `exp` in the future and at most 24 h away, `sub` a
  mailto: or https: contact;
- the message encryption (RFC 8291 over RFC 8188 aes128gcm): `Content-Encoding: aes128gcm`,
  a `TTL` header, and a body it can decrypt with the browser-side keys it made in
  `subscription()` — so a test reads the very payload a phone would show.
It answers 201 with a Location, or what a test asks for: 410 Gone (an expired
subscription), 429 with Retry-After, or 5xx for a fraction of messages.
"""

from __future__ import annotations

import base64
import json
import random
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _hkdf(*, salt: bytes, ikm: bytes, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


def decrypt_aes128gcm(body: bytes, *, ua_private: ec.EllipticCurvePrivateKey, auth_secret: bytes) -> bytes:
    """RFC 8291 §3.4 / RFC 8188 §2: one record, the sender's public key as the key id."""
    salt, record_size, id_len = body[:16], int.from_bytes(body[16:20], "big"), body[20]
    as_public = body[21 : 21 + id_len]
    ciphertext = body[21 + id_len :]
    if id_len != 65 or record_size < 18 or len(ciphertext) > record_size:
        raise ValueError("bad aes128gcm header")
    ua_public = ua_private.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    sender = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), as_public)
    shared = ua_private.exchange(ec.ECDH(), sender)
    ikm = _hkdf(salt=auth_secret, ikm=shared, info=b"WebPush: info\x00" + ua_public + as_public, length=32)
    cek = _hkdf(salt=salt, ikm=ikm, info=b"Content-Encoding: aes128gcm\x00", length=16)
    nonce = _hkdf(salt=salt, ikm=ikm, info=b"Content-Encoding: nonce\x00", length=12)
    padded = AESGCM(cek).decrypt(nonce, ciphertext, None)
    stripped = padded.rstrip(b"\x00")
    if not stripped.endswith(b"\x02"):  # the last record's delimiter
        raise ValueError("bad padding delimiter")
    return stripped[:-1]


class Rejected(Exception):
    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


class FakePushService:
    def __init__(self, *, vapid_public_key: str, seed: int = 8030):
        self.vapid_public_key = vapid_public_key
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.keys: dict[str, tuple[ec.EllipticCurvePrivateKey, bytes]] = {}
        self.gone: set[str] = set()
        self.throttled: dict[str, int] = {}  # name → Retry-After seconds
        self.error_fraction = 0.0
        self.received: list[dict] = []
        self.rejected: list[tuple[str, int, str]] = []
        self.server: ThreadingHTTPServer | None = None

    def start(self) -> FakePushService:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body leave in separate writes: without this, Nagle meets the
            # client's delayed ACK and every answer waits ~40 ms.
            disable_nagle_algorithm = True

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, headers = fake._handle(self.path, dict(self.headers.items()), body)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, name="fake-push", daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    @property
    def origin(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def subscription(self, name: str) -> dict:
        """A browser-side subscription, as PushSubscription.toJSON() gives it."""
        private = ec.generate_private_key(ec.SECP256R1())
        auth = uuid.uuid4().bytes
        with self.lock:
            self.keys[name] = (private, auth)
        public = private.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        return {"endpoint": f"{self.origin}/push/{name}", "expirationTime": None, "keys": {"p256dh": b64url(public), "auth": b64url(auth)}}

    # --- checks --------------------------------------------------------------------------------------

    def _vapid(self, authorization: str) -> dict:
        scheme, _, params = authorization.partition(" ")
        if scheme.lower() != "vapid":
            raise Rejected(401, f"not a vapid authorization: {authorization[:30]!r}")
        fields = dict(part.strip().split("=", 1) for part in params.split(",") if "=" in part)
        token, key = fields.get("t", ""), fields.get("k", "")
        if key != self.vapid_public_key:
            raise Rejected(403, "k is not the applicationServerKey of this subscription")
        try:
            header_b64, claims_b64, signature_b64 = token.split(".")
            header = json.loads(unb64url(header_b64))
            claims = json.loads(unb64url(claims_b64))
            signature = unb64url(signature_b64)
        except ValueError as exc:
            raise Rejected(401, f"malformed JWT: {exc}") from None
        if header.get("alg") != "ES256" or len(signature) != 64:
            raise Rejected(401, "JWT is not ES256")
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
        der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
        try:
            public.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            raise Rejected(403, "JWT signature does not verify") from None
        now = time.time()
        if claims.get("aud") != self.origin:
            raise Rejected(403, f"aud {claims.get('aud')!r} is not {self.origin!r}")
        if not isinstance(claims.get("exp"), int) or not now < claims["exp"] <= now + 24 * 3600:
            raise Rejected(403, f"exp {claims.get('exp')!r} not within the next 24 hours")
        if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
            raise Rejected(403, "sub is neither mailto: nor https:")
        return claims

    def _handle(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str]]:
        headers = {k.lower(): v for k, v in headers.items()}
        name = path.removeprefix("/push/")
        try:
            if not path.startswith("/push/") or name not in self.keys:
                raise Rejected(404, "no such subscription")
            if name in self.gone:
                raise Rejected(410, "subscription expired")
            claims = self._vapid(headers.get("authorization", ""))
            if headers.get("content-encoding") != "aes128gcm":
                raise Rejected(400, f"content-encoding {headers.get('content-encoding')!r}")
            if not headers.get("ttl", "").isdigit():
                raise Rejected(400, "TTL header missing")
            private, auth = self.keys[name]
            try:
                payload = json.loads(decrypt_aes128gcm(body, ua_private=private, auth_secret=auth))
            except Exception as exc:  # any decryption failure is the sender's
                raise Rejected(400, f"cannot decrypt: {exc!r}") from None
        except Rejected as rejection:
            with self.lock:
                self.rejected.append((name, rejection.status, rejection.reason))
            return rejection.status, {}
        if name in self.throttled:
            return 429, {"Retry-After": str(self.throttled[name])}
        with self.lock:
            failing = self.rng.random() < self.error_fraction
        if failing:
            return 503, {}
        message_id = uuid.uuid4().hex
        with self.lock:
            self.received.append({"name": name, "payload": payload, "ttl": int(headers["ttl"]), "claims": claims, "id": message_id})
        return 201, {"Location": f"{self.origin}/message/{message_id}"}
