"""Nothing lost, nothing doubled: 20 phones sync 100 check-ins each while the server is kill -9'd."""

import datetime as dt
import os
import threading
import time
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from appserver import AppServer
from backend.accounts.models import OrgUnit, User
from backend.enterprises.services import enterprise_create
from backend.visits.models import Visit
from phone import Phone

PHONES, ITEMS, KILLS = 20, 100, 4
# The server in another process must see committed rows: no test transaction around this.
pytestmark = pytest.mark.django_db(transaction=True)


def session_of(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.fixture
def field_team(transactional_db):
    team = OrgUnit.objects.create(code="R1", name="可靠性测试组", kind="team")
    staff = User.objects.bulk_create(
        [User(username=f"phone{i:02d}", password="!", role="staff", org_unit=team) for i in range(PHONES)]
    )
    enterprise = enterprise_create(uscc="91350100M000100Y43", name="可靠性测试企业", lat=31.12, lng=121.42, industry="C")
    return staff, enterprise


def outbox_for(phone_index: int, enterprise) -> list[dict]:
    start = timezone.now() - dt.timedelta(hours=3)
    return [
        {
            "client_id": str(uuid.uuid4()),
            "enterprise_id": enterprise.id,
            "lat": 31.12 + phone_index * 1e-5,
            "lng": 121.42 + j * 1e-6,
            "accuracy_m": 15,
            "speed": None,
            "heading": None,
            "captured_at": (start + dt.timedelta(seconds=60 * j)).isoformat(),
            "queued": True,
        }
        for j in range(ITEMS)
    ]


# One round in `make test` (time budget); `KILL_ROUNDS=3` repeats it, as the issue's
# acceptance asks ("passes 3 times in a row on both databases").
@pytest.mark.parametrize("attempt", range(1, int(os.environ.get("KILL_ROUNDS", "1")) + 1))
def test_it_keeps_every_checkin_exactly_once_across_server_kills(field_team, attempt):
    staff, enterprise = field_team
    server = AppServer(workers=2)
    server.start()
    phones = [Phone(server.url, session_of(s), outbox_for(i, enterprise)) for i, s in enumerate(staff)]
    # Generous: a quiet 2-core machine syncs all 2,000 in well under a minute; a machine
    # running two suites side by side and more besides once needed more than 120 s.
    deadline = time.monotonic() + 300
    threads = [threading.Thread(target=p.sync, kwargs={"deadline": deadline}) for p in phones]
    for t in threads:
        t.start()
    kills = 0
    try:
        while kills < KILLS and any(t.is_alive() for t in threads):
            time.sleep(1.0)
            server.kill()
            kills += 1
            time.sleep(0.3)
            server.start()
        for t in threads:
            t.join(timeout=max(1, deadline - time.monotonic()))
    finally:
        server.stop()
    assert [p.error for p in phones if p.error] == []
    assert kills == KILLS, "the phones finished before every kill happened: make the test harder"
    assert all(not p.outbox for p in phones), [len(p.outbox) for p in phones]
    rows = Visit.objects.filter(staff__in=staff)
    assert rows.count() == PHONES * ITEMS
    stored = {str(c) for c in rows.values_list("client_id", flat=True)}
    assert stored == {item_id for p in phones for item_id in p.sent_ids}
