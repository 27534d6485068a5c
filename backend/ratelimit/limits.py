"""Sliding-window limits whose check and count are one atomic SQL statement,
for limits a per-route throttle can't express (failed logins per account and
address, SMS codes per mobile number, phone reveals per user).

Why a table of our own and not the cache: the database cache's incr() is a
read-modify-write (Django's generic one: get, add one, set), so 12 parallel
wrong passwords got 6 tries against a limit of 5; and a check before the count
lets every racer past the check. Here `take()` is one upsert that counts the hit
only if it still fits and says whether it did: of any number of racers exactly
`limit` get through, on SQLite (writes serialised) and PostgreSQL (the upsert
re-reads the row it conflicts with under its lock) alike. The database is the
one store every app server already shares, so this holds with several servers
and with or without Redis.

A fixed window lets a burst straddle its edge: 50 reveals at 07:59 and 50 more
at 08:00 passed a "50 a day" limit. So each key keeps the count of the current
window and of the one before, and the estimate weighs the previous count by how
much of it still overlaps the last `window_s` seconds (the sliding-window counter
used by Cloudflare and others). That estimate is not good enough for a limit of
one ("one SMS a minute" let two codes through 1.5 s apart across a minute's
edge): a limit of 1 keeps the time of the last hit instead and means at least
`window_s` seconds between two hits.
"""

import hashlib
import math
import random
import time
from dataclasses import dataclass

from django.db import connection

# One hit in this many also deletes rows that expired, so the tables stay small
# without a cron job; an expired row counts as no row, so when it goes is moot.
PURGE_ONE_IN = 256


@dataclass(frozen=True)
class Ticket:
    """A hit that `take()` counted; `give_back()` un-counts it."""

    key: str
    start: int  # the window it was counted in (epoch s), or its time (epoch ms) for a limit of 1


@dataclass(frozen=True)
class Limit:
    key: str
    limit: int
    window_s: int
    # Counted from the first hit instead: exactly `limit` hits in the `window_s`
    # seconds after it, then afresh. For a budget of one short-lived thing (the
    # guesses at one SMS code), where the sliding estimate's slack at a window's
    # edge would give one guess more.
    anchored: bool = False

    @property
    def _row_key(self) -> str:
        # Hashed: keys embed user input (a username) of any length and character.
        kind = "stamp" if self.limit == 1 else "anchored" if self.anchored else "sliding"
        return hashlib.sha256(f"{self.key}\x00{self.window_s}\x00{kind}".encode()).hexdigest()[:40]

    # --- the atomic operations ------------------------------------------------

    def take(self) -> Ticket | None:
        """Count one hit if it fits in the limit; None (and nothing counted) if not."""
        _maybe_purge()
        if self.limit == 1:
            return self._stamp(only_if_free=True)
        if self.anchored:
            return self._take_anchored()
        now = time.time()
        start, weight = self._window(now)
        previous, current = _EFFECTIVE
        sql = (
            f"{_UPSERT} WHERE ({previous}) * %s + ({current}) < %s RETURNING window_start"
        )
        params = [*self._upsert_params(start), start, start - self.window_s, weight, start, self.limit]
        row = _one(sql, params)
        return Ticket(self._row_key, start) if row else None

    def hit(self) -> int:
        """Count one hit whatever the count; returns the estimate after it, rounded down."""
        assert not self.anchored, "an anchored limit only counts what it lets through: take()"
        _maybe_purge()
        if self.limit == 1:
            at = self._stamp_at()
            self._stamp(only_if_free=False)
            return 2 if at is not None and at > time.time() * 1000 - self.window_s * 1000 else 1
        now = time.time()
        start, weight = self._window(now)
        row = _one(f"{_UPSERT} RETURNING previous, current", self._upsert_params(start))
        return math.floor(row[0] * weight + row[1])

    def give_back(self, ticket: Ticket) -> None:
        """Un-count a hit that `take()` counted (the attempt turned out not to count)."""
        with connection.cursor() as cursor:
            if self.limit == 1:
                # Only if no later hit replaced it: then the one before was a window ago anyway.
                cursor.execute("DELETE FROM ratelimit_stamp WHERE key = %s AND at_ms = %s", [ticket.key, ticket.start])
                return
            if self.anchored:
                cursor.execute(
                    "UPDATE ratelimit_counter SET current = current - 1 WHERE key = %s AND window_start = %s AND current > 0",
                    [ticket.key, ticket.start],
                )
                return
            later = ticket.start + self.window_s  # the window may have moved on meanwhile
            cursor.execute(
                "UPDATE ratelimit_counter SET"
                " current = CASE WHEN window_start = %s THEN current - 1 ELSE current END,"
                " previous = CASE WHEN window_start = %s THEN previous - 1 ELSE previous END"
                " WHERE key = %s AND ((window_start = %s AND current > 0) OR (window_start = %s AND previous > 0))",
                [ticket.start, later, ticket.key, ticket.start, later],
            )

    def reset(self) -> None:
        with connection.cursor() as cursor:
            table = "ratelimit_stamp" if self.limit == 1 else "ratelimit_counter"
            cursor.execute(f"DELETE FROM {table} WHERE key = %s", [self._row_key])

    # --- reads ----------------------------------------------------------------

    def count(self) -> int:
        if self.limit == 1:
            at = self._stamp_at()
            return int(at is not None and time.time() * 1000 - at < self.window_s * 1000)
        if self.anchored:
            return self._anchored_state()[1]
        return math.floor(self._state()[0])

    def exceeded(self) -> int:
        """Seconds until another hit would be allowed when the limit is reached, else 0."""
        if self.limit == 1:
            at = self._stamp_at()
            if at is None:
                return 0
            wait_ms = at + self.window_s * 1000 - time.time() * 1000
            return max(1, math.ceil(wait_ms / 1000)) if wait_ms > 0 else 0
        if self.anchored:
            anchor, count = self._anchored_state()
            return max(1, math.ceil(anchor + self.window_s - time.time())) if count >= self.limit else 0
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

    # --- helpers --------------------------------------------------------------

    def _window(self, now: float) -> tuple[int, float]:
        start = int(now) // self.window_s * self.window_s
        return start, (self.window_s - (now - start)) / self.window_s

    def _upsert_params(self, start: int) -> list:
        return [self._row_key, start, start + 2 * self.window_s + 1, *_effective_params(start, self.window_s)]

    def _state(self) -> tuple[float, int, int, float]:
        """(estimate, previous window's count, this window's count, seconds into this window)."""
        now = time.time()
        start, weight = self._window(now)
        row = _one("SELECT window_start, current, previous FROM ratelimit_counter WHERE key = %s", [self._row_key])
        prev = curr = 0
        if row:
            ws, current, previous = row
            if ws >= start:  # (later: another server's clock runs ahead; count it as now)
                prev, curr = previous, current
            elif ws == start - self.window_s:
                prev = current
        return prev * weight + curr, prev, curr, now - start

    def _take_anchored(self) -> Ticket | None:
        now = int(time.time())
        alive = "ratelimit_counter.window_start > %s"  # the row's window has not run out
        cutoff = now - self.window_s
        sql = (
            "INSERT INTO ratelimit_counter (key, window_start, current, previous, expires_at) VALUES (%s, %s, 1, 0, %s)"
            " ON CONFLICT (key) DO UPDATE SET"
            f" current = CASE WHEN {alive} THEN ratelimit_counter.current + 1 ELSE 1 END,"
            f" window_start = CASE WHEN {alive} THEN ratelimit_counter.window_start ELSE excluded.window_start END,"
            f" expires_at = CASE WHEN {alive} THEN ratelimit_counter.expires_at ELSE excluded.expires_at END"
            f" WHERE CASE WHEN {alive} THEN ratelimit_counter.current ELSE 0 END < %s"
            " RETURNING window_start"
        )
        row = _one(sql, [self._row_key, now, now + self.window_s + 1, cutoff, cutoff, cutoff, cutoff, self.limit])
        return Ticket(self._row_key, row[0]) if row else None

    def _anchored_state(self) -> tuple[int, int]:
        """(first hit's time, hits since) of the window still running, else (0, 0)."""
        row = _one("SELECT window_start, current FROM ratelimit_counter WHERE key = %s", [self._row_key])
        if not row or row[0] <= time.time() - self.window_s:
            return 0, 0
        return row[0], row[1]

    def _stamp_at(self) -> int | None:
        row = _one("SELECT at_ms FROM ratelimit_stamp WHERE key = %s", [self._row_key])
        return row[0] if row else None

    def _stamp(self, *, only_if_free: bool) -> Ticket | None:
        now_ms = round(time.time() * 1000)
        gap_ms = self.window_s * 1000
        sql = (
            "INSERT INTO ratelimit_stamp (key, at_ms, expires_at) VALUES (%s, %s, %s)"
            " ON CONFLICT (key) DO UPDATE SET at_ms = excluded.at_ms, expires_at = excluded.expires_at"
        )
        params = [self._row_key, now_ms, now_ms // 1000 + self.window_s + 1]
        if only_if_free:
            sql += " WHERE ratelimit_stamp.at_ms <= %s"
            params.append(now_ms - gap_ms)
        row = _one(sql + " RETURNING at_ms", params)
        return Ticket(self._row_key, now_ms) if row else None


# The previous window's and this window's counts as the row stands, whichever
# window it was last written in (the CASEs roll it forward). The first takes the
# parameters (start, start - window), the second (start,).
_EFFECTIVE = (
    "CASE WHEN ratelimit_counter.window_start >= %s THEN ratelimit_counter.previous"
    " WHEN ratelimit_counter.window_start = %s THEN ratelimit_counter.current ELSE 0 END",
    "CASE WHEN ratelimit_counter.window_start >= %s THEN ratelimit_counter.current ELSE 0 END",
)


def _effective_params(start: int, window_s: int) -> list[int]:
    return [start, start - window_s, start]


# Count one hit: a new row, or the row rolled forward to this window plus one.
# Every SET expression reads the row as it was (SQL evaluates them all first).
_UPSERT = (
    "INSERT INTO ratelimit_counter (key, window_start, current, previous, expires_at) VALUES (%s, %s, 1, 0, %s)"
    " ON CONFLICT (key) DO UPDATE SET"
    f" previous = {_EFFECTIVE[0]},"
    f" current = ({_EFFECTIVE[1]}) + 1,"
    " window_start = CASE WHEN ratelimit_counter.window_start > excluded.window_start"
    " THEN ratelimit_counter.window_start ELSE excluded.window_start END,"
    " expires_at = excluded.expires_at"
)


def take_all(limits: list[Limit]) -> tuple[list[tuple[Limit, Ticket]], Limit | None]:
    """One hit in every limit, or in none: ([(limit, ticket), ...], None) when all
    had room, else ([], the first limit that was full) with nothing left counted."""
    taken: list[tuple[Limit, Ticket]] = []
    for limit in limits:
        ticket = limit.take()
        if ticket is None:
            for done, held in taken:
                done.give_back(held)
            return [], limit
        taken.append((limit, ticket))
    return taken, None


def _one(sql: str, params: list):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _maybe_purge() -> None:
    if random.randrange(PURGE_ONE_IN):
        return
    now = int(time.time())
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM ratelimit_counter WHERE expires_at < %s", [now])
        cursor.execute("DELETE FROM ratelimit_stamp WHERE expires_at < %s", [now])
