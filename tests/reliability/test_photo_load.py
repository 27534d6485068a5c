"""Issue 11 item 4: parallel decompression bombs against the real server leave /api/health answering.

Before the pixel budget, each 233 KB PNG of 7,745 × 7,745 RGBA was decoded (3.5 s and
~600 MB per upload); four in parallel occupied every gunicorn worker and the load
balancer's health check waited 12 s.
"""

import datetime as dt
import statistics
import threading
import time
import urllib.request

import pytest
from django.test import Client
from django.utils import timezone

from appserver import AppServer
from backend.accounts.models import OrgUnit, User
from backend.enterprises.services import enterprise_create
from photo_support import png_bomb
from phone import FieldPhone

UPLOADERS, ROUNDS = 4, 3
pytestmark = pytest.mark.django_db(transaction=True)


def test_it_keeps_health_answering_while_bombs_are_uploaded_in_parallel(tmp_path):
    team = OrgUnit.objects.create(code="P1", name="照片测试组", kind="team")
    staff = User.objects.create_user(username="bomber", password="!", role="staff", org_unit=team)
    enterprise = enterprise_create(uscc="91350100M000100Y43", name="照片测试企业", lat=31.12, lng=121.42, industry="C")
    client = Client()
    client.force_login(staff)
    session = client.cookies["sessionid"].value
    bomb = png_bomb()
    server = AppServer(workers=2, env={"MEDIA_ROOT": str(tmp_path)})
    server.start()
    try:
        phone = FieldPhone(server.url, session, enterprise.id, 0)
        status, visit = phone._post("/api/visits/checkin", {
            "client_id": "6f1c0e1e-0000-4000-8000-000000000001", "enterprise_id": enterprise.id, "lat": 31.12,
            "lng": 121.42, "accuracy_m": 10, "speed": None, "heading": None, "queued": False,
            "captured_at": (timezone.now() - dt.timedelta(seconds=5)).isoformat(),
        })
        assert status == 201, visit
        statuses: list[int] = []

        def bombard():
            uploader = FieldPhone(server.url, session, enterprise.id, 0)
            for _ in range(ROUNDS):
                statuses.append(uploader._upload(visit["id"], bomb))

        threads = [threading.Thread(target=bombard) for _ in range(UPLOADERS)]
        for t in threads:
            t.start()
        health = []
        while any(t.is_alive() for t in threads):
            started = time.monotonic()
            with urllib.request.urlopen(server.url + "/api/health", timeout=30) as response:
                assert response.status == 200
            health.append(time.monotonic() - started)
            time.sleep(0.05)
        for t in threads:
            t.join()
    finally:
        server.stop()
    assert statuses == [422] * (UPLOADERS * ROUNDS)
    assert max(health) < 2.0, f"health took up to {max(health):.1f} s (median {statistics.median(health):.2f} s)"
