import datetime as dt
import uuid

import pytest
import time_machine
from django.core.management import call_command

from backend.visits.models import Visit

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 22, 3, 0, tzinfo=TZ)


def visit(users, enterprise, days_ago):
    at = NOW - dt.timedelta(days=days_ago)
    return Visit.objects.create(
        client_id=uuid.uuid4(), staff=users["staff"], enterprise=enterprise,
        checkin_at=at, checkin_received_at=at, checkin_lat=31.1234567, checkin_lng=121.4234567,
        checkin_point_key="31.123457,121.423457", distance_m=10, within_geofence=True,
        checkout_at=at + dt.timedelta(minutes=30), checkout_lat=31.1239999, checkout_lng=121.4200001,
    )


def test_it_coarsens_only_positions_older_than_the_retention_period(users, enterprise, settings):
    settings.LOCATION_RETENTION_DAYS = 365
    old, recent = visit(users, enterprise, 366), visit(users, enterprise, 364)
    with time_machine.travel(NOW, tick=False):
        call_command("coarsen_locations")
        call_command("coarsen_locations")  # idempotent
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.checkin_lat, old.checkin_lng) == (31.123, 121.423)
    assert (old.checkout_lat, old.checkout_lng) == (31.124, 121.42)
    assert old.checkin_point_key == "" and old.coarsened_at is not None
    assert (recent.checkin_lat, recent.checkin_lng) == (31.1234567, 121.4234567)
    assert recent.coarsened_at is None


def test_it_follows_a_shorter_configured_period(users, enterprise, settings):
    settings.LOCATION_RETENTION_DAYS = 30
    v = visit(users, enterprise, 31)
    with time_machine.travel(NOW, tick=False):
        call_command("coarsen_locations")
    v.refresh_from_db()
    assert v.checkin_lat == 31.123
