"""Fixed-window counters in the shared cache, for limits a per-route throttle can't express
(failed logins per username, SMS codes per mobile number)."""

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    key: str
    limit: int
    window_s: int

    def _bucket(self) -> tuple[str, int]:
        start = int(time.time()) // self.window_s * self.window_s
        # Hashed: keys embed user input (a username), which may hold spaces or
        # control characters that Redis/memcached-style key rules reject.
        digest = hashlib.sha256(self.key.encode()).hexdigest()[:40]
        return f"rl:{digest}:{start}", start + self.window_s

    def count(self) -> int:
        bucket, _ = self._bucket()
        return int(cache.get(bucket, 0))

    def exceeded(self) -> int:
        """Seconds until the window resets when the limit is reached, else 0."""
        bucket, reset_at = self._bucket()
        if int(cache.get(bucket, 0)) >= self.limit:
            return max(1, reset_at - int(time.time()))
        return 0

    def hit(self) -> int:
        bucket, _ = self._bucket()
        # add() then incr(): the first hit creates the key with its expiry, so
        # concurrent workers count in one place instead of overwriting each other.
        cache.add(bucket, 0, self.window_s + 1)
        try:
            return cache.incr(bucket)
        except ValueError:  # expired between add() and incr()
            cache.set(bucket, 1, self.window_s + 1)
            return 1

    def reset(self) -> None:
        bucket, _ = self._bucket()
        cache.delete(bucket)
