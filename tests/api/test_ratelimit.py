"""backend/ratelimit: a sliding window, so a burst at a window's edge is not doubled;
an atomic take(); a limit of one as a last-hit time; anchored budgets."""

import datetime as dt
import threading

import pytest
import time_machine

from backend.ratelimit import Limit, take_all

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


def test_it_takes_only_what_fits_and_counts_nothing_it_refuses():
    limit = Limit("test:take", 3, 60)
    with at(10):
        tickets = [limit.take() for _ in range(5)]
        assert [t is not None for t in tickets] == [True, True, True, False, False]
        assert limit.count() == 3
        limit.give_back(tickets[0])
        assert limit.count() == 2 and limit.take() is not None and limit.take() is None


def test_it_gives_back_a_hit_after_the_window_moved_on():
    limit = Limit("test:giveback", 3, 60)
    with at(-1):
        ticket = limit.take()
        limit.take()
    with at(1):
        limit.take()  # rolls the row into the next window
        limit.give_back(ticket)
        assert limit._state()[1:3] == (1, 1)


def test_it_takes_in_every_limit_or_in_none():
    roomy, full = Limit("test:all:a", 5, 60), Limit("test:all:b", 1, 60)
    with at(10):
        assert take_all([roomy, full])[1] is None
        taken, tripped = take_all([roomy, full])
        assert taken == [] and tripped is full
        assert roomy.count() == 1


def test_it_keeps_a_limit_of_one_a_whole_window_apart_across_the_edge():
    limit = Limit("test:one", 1, 60)
    with at(-0.5):
        assert limit.take() is not None
    with at(1):  # 1.5 s later, in the next minute: a sliding estimate (0.98) let this through
        assert limit.take() is None
        assert limit.exceeded() == 59
    with at(59.4):
        assert limit.take() is None
    with at(59.5):
        assert limit.take() is not None


def test_it_counts_an_anchored_budget_exactly_across_the_windows_edge():
    limit = Limit("test:anchored", 5, 300, anchored=True)
    with at(-2):
        assert all(limit.take() for _ in range(5))
    with at(2):  # a sliding window would weigh the five at 0.99 and allow a sixth
        assert limit.take() is None and limit.exceeded() == 296
    with at(298):
        assert limit.take() is not None  # 300 s after the first: a new budget


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("anchored", [False, True])
def test_it_lets_exactly_the_limit_through_when_threads_race(anchored):
    from django.db import connection

    limit = Limit(f"test:race:{anchored}", 5, 900, anchored=anchored)
    barrier = threading.Barrier(16)
    got = []

    def race():
        barrier.wait()
        try:
            got.append(limit.take() is not None)
        finally:
            connection.close()

    with at(100):
        threads = [threading.Thread(target=race) for _ in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert got.count(True) == 5 and len(got) == 16
