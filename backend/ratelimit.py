"""Sliding-window counters in the shared cache, for limits a per-route throttle can't
express (failed logins per username, SMS codes per mobile number, phone reveals per user).

A fixed window lets a burst straddle its edge: 50 reveals at 07:59 and 50 more at
08:00 passed a "50 a day" limit. Here each key keeps the count of the current
window and of the one before, and the estimate weighs the previous count by how
much of it still overlaps the last `window_s` seconds (the sliding-window counter
used by Cloudflare and others): never more than `limit` in any rolling window if
hits are spread evenly, and bursts at the edge are no longer doubled.
"""

import hashlib
import math
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    key: str
    limit: int
    window_s: int

    def _bucket(self, start: int) -> str:
        # Hashed: keys embed user input (a username), which may hold spaces or
        # control characters that Redis/memcached-style key rules reject.
        digest = hashlib.sha256(self.key.encode()).hexdigest()[:40]
        return f"rl:{digest}:{start}"

    def _state(self) -> tuple[float, int, int, float]:
        """(estimate, previous window's count, this window's count, seconds into this window)."""
        now = time.time()
        start = int(now) // self.window_s * self.window_s
        previous, current = self._bucket(start - self.window_s), self._bucket(start)
        counts = cache.get_many([previous, current])
        prev, curr = int(counts.get(previous, 0)), int(counts.get(current, 0))
        into = now - start
        return prev * (self.window_s - into) / self.window_s + curr, prev, curr, into

    def count(self) -> int:
        return math.floor(self._state()[0])

    def exceeded(self) -> int:
        """Seconds until another hit would be allowed when the limit is reached, else 0."""
        estimate, prev, curr, into = self._state()
        if estimate < self.limit:
            return 0
        w = self.window_s
        if curr >= self.limit:
            # Only once this window is the previous one, and enough of it has slid out.
            wait = (w - into) + w * (curr - self.limit) / curr
        else:
            wait = w * (prev + curr - self.limit) / prev - into
        # The first whole second strictly after: at `wait` itself the estimate equals the limit.
        return max(1, math.floor(wait) + 1)

    def hit(self) -> int:
        """Count one hit; returns the estimate after it, rounded down (compare with `limit`).

        Built on incr()'s own answer, so with Redis, of two workers racing for the
        last slot exactly one sees itself within the limit."""
        now = time.time()
        start = int(now) // self.window_s * self.window_s
        bucket = self._bucket(start)
        # Kept two windows: the next window still weighs this one.
        ttl = 2 * self.window_s + 1
        # add() then incr(): the first hit creates the key with its expiry, so
        # concurrent workers count in one place instead of overwriting each other.
        cache.add(bucket, 0, ttl)
        try:
            curr = cache.incr(bucket)
        except ValueError:  # expired between add() and incr()
            cache.set(bucket, 1, ttl)
            curr = 1
        else:
            # The database cache has no incr() of its own: Django's generic one
            # re-sets the value with the default 300-s timeout, which dropped every
            # counter of a longer window after five minutes. (It is not atomic there
            # either: racing workers may each count once; Redis's INCR is.)
            cache.touch(bucket, ttl)
        prev = int(cache.get(self._bucket(start - self.window_s), 0))
        return math.floor(prev * (self.window_s - (now - start)) / self.window_s + curr)
