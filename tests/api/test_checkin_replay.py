"""Replay the check-in traces in fixtures/checkin_traces through the real API.

Genuine staff-days must earn no flag; each spoofing scenario must earn the flags it names.
"""

import datetime as dt
import json
import uuid
from pathlib import Path

import pytest
import time_machine

from apisupport import valid_uscc
from backend.enterprises.services import enterprise_create

TRACES = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "checkin_traces").glob("*.json"))
pytestmark = pytest.mark.django_db


def replay(client, trace) -> list[str]:
    enterprises = {
        ent["key"]: enterprise_create(
            uscc=valid_uscc(f"91310112TRACE{i:02d}"),
            name=f"轨迹测试企业{ent['key']}",
            lat=ent["lat"],
            lng=ent["lng"],
            industry="C",
            geofence_m=ent["geofence_m"],
        )
        for i, ent in enumerate(trace["enterprises"])
    }
    visit_ids: dict[str, str] = {}
    seen: list[str] = []
    for event in trace["events"]:
        body = {k: event[k] for k in ("lat", "lng", "accuracy_m", "captured_at")} | {"client_id": str(uuid.uuid4())}
        with time_machine.travel(dt.datetime.fromisoformat(event["received_at"]), tick=False):
            if event["type"] == "checkin":
                body |= {"enterprise_id": enterprises[event["enterprise"]].id, "queued": event["queued"]}
                response = client.post_json("/api/visits/checkin", body)
                assert response.status_code == 201, response.content
                visit_ids[event["visit"]] = body["client_id"]
            else:
                body |= {"purpose": "service", "summary": "回放", "demands": []}
                response = client.post_json(f"/api/visits/{visit_ids[event['visit']]}/checkout", body)
                assert response.status_code == 200, response.content
        seen += response.json()["flags"]
    return seen


@pytest.mark.parametrize("path", TRACES, ids=[p.stem for p in TRACES])
def test_it_flags_exactly_the_spoofed_traces(client, users, path):
    trace = json.loads(path.read_text(encoding="utf-8"))
    client.login_as("demo_staff")
    flags = replay(client, trace)
    if trace["kind"] == "genuine":
        assert flags == [], f"{trace['description']}: {flags}"
    else:
        missing = set(trace["expect_flags"]) - set(flags)
        assert not missing, f"{trace['description']}: missing {missing}, got {flags}"


def test_it_has_twenty_genuine_traces_and_five_spoofs():
    kinds = [json.loads(p.read_text(encoding="utf-8"))["kind"] for p in TRACES]
    assert (kinds.count("genuine"), kinds.count("spoof")) == (20, 5)
