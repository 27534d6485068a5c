"""backend/ratelimit.py: a sliding window, so a burst at a window's edge is not doubled."""

import datetime as dt

import pytest
import time_machine

from backend.ratelimit import Limit

pytestmark = pytest.mark.django_db

# Minute-aligned, like every window start (epoch multiples of the window).
EDGE = dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC)


def at(seconds):
    return time_machine.travel(EDGE + dt.timedelta(seconds=seconds), tick=False)


def allowed(limit):
    if limit.exceeded():
        return False
    return limit.hit() <= limit.limit


def test_it_allows_the_limit_and_refuses_the_next():
    limit = Limit("test:plain", 10, 60)
    with at(5):
        assert [allowed(limit) for _ in range(11)] == [True] * 10 + [False]
        assert 1 <= limit.exceeded() <= 60


def test_it_does_not_let_a_burst_straddle_the_window_edge():
    limit = Limit("test:edge", 10, 60)
    with at(-1):  # the last second of a window
        assert sum(allowed(limit) for _ in range(20)) == 10
    with at(1):  # two seconds later, in the next window: a fixed window would allow 10 more
        assert sum(allowed(limit) for _ in range(20)) == 1
        wait = limit.exceeded()
    assert 1 < wait < 60  # the old burst slides out a little every second
    with at(1 + wait - 1):
        assert not allowed(limit)
    with at(1 + wait):
        assert allowed(limit)


def test_it_frees_the_allowance_as_old_hits_slide_out():
    limit = Limit("test:slide", 10, 60)
    with at(0):
        for _ in range(10):
            limit.hit()
        wait = limit.exceeded()
    assert wait == 61  # the burst was at the start of its window: free just over a window later
    with at(wait - 1):
        assert limit.exceeded() > 0
    with at(wait):
        assert limit.exceeded() == 0 and allowed(limit)
    with at(200):  # two quiet windows later: the full allowance again
        assert sum(allowed(limit) for _ in range(12)) == 10


def test_it_counts_every_hit_once():
    limit = Limit("test:count", 3, 60)
    with at(10):
        assert [limit.hit() for _ in range(5)] == [1, 2, 3, 4, 5]


def test_it_keeps_a_day_windows_counts_past_the_caches_default_timeout():
    limit = Limit("test:day", 5, 24 * 3600)
    with at(0):
        for _ in range(5):
            limit.hit()
    with at(3600):  # an hour later: the database cache's generic incr() had let it expire after 300 s
        assert limit.count() == 5 and limit.exceeded() > 0


def test_it_keeps_keys_with_odd_characters_apart():
    a, b = Limit("login: 王 小明\n", 1, 60), Limit("login: 王 小明", 1, 60)
    with at(3):
        a.hit()
        assert a.exceeded() and not b.exceeded()
