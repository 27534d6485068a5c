"""The counter tables. Written only by backend/ratelimit/limits.py, in raw SQL:
an upsert is the one statement that counts atomically on SQLite and PostgreSQL."""

from django.db import models


class Counter(models.Model):
    """A sliding-window counter: this window's hits and the previous window's."""

    # SHA-256 of the limit's key and window, hex, cut to 40: keys embed user input.
    key = models.CharField(max_length=40, primary_key=True)
    window_start = models.BigIntegerField()  # epoch seconds, a multiple of the window
    current = models.IntegerField()
    previous = models.IntegerField()
    # Epoch seconds after which the row says nothing any more (two windows on).
    expires_at = models.BigIntegerField(db_index=True)

    class Meta:
        db_table = "ratelimit_counter"


class Stamp(models.Model):
    """A limit of one hit per window: the time of the last hit that was let through."""

    key = models.CharField(max_length=40, primary_key=True)
    at_ms = models.BigIntegerField()  # epoch milliseconds
    expires_at = models.BigIntegerField(db_index=True)

    class Meta:
        db_table = "ratelimit_stamp"
