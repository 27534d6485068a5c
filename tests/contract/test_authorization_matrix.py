"""Authorization matrix: every API operation × every role × own vs. another's object.

The operations come from the API's own route list; an operation without an entry
here fails the test, so a new endpoint cannot ship without deciding who may call it.
Each entry names the roles that must get 2xx; every other role must not.
"""

import datetime as dt
import io
import re
import uuid
from dataclasses import dataclass, field
from typing import Callable

import pytest
from django.utils import timezone
from PIL import Image

import sys
from pathlib import Path

from apisupport import ApiClient, make_user, valid_uscc

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))  # sites_support
from backend.accounts.models import OrgUnit, User
from backend.api import api
from backend.enterprises.services import enterprise_create
from backend.visits.models import Visit

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "staff", "manager", "enterprise", "owner", "admin"]
ANY = set(ROLES)
LOGGED_IN = ANY - {"anonymous"}
FIELD = {"staff", "manager"}
READERS = {"manager", "admin"}


def _attachment_url(domain: str, item) -> str:
    return f"/api/{domain}/{item.id}/attachments/{item.attachments.order_by('id').first().id}"


@dataclass
class Rule:
    path: Callable[[dict], str]
    allowed: set[str]
    body: Callable[[dict], dict] | None = None
    query: dict = field(default_factory=dict)
    multipart: Callable[[dict], dict] | None = None
    params: Callable[[dict], dict] | None = None  # query values that depend on the world (an enterprise's id)


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 90, 200)).save(out, "JPEG")
    return out.getvalue()


def checkin_body(w):
    return {
        "client_id": str(uuid.uuid4()), "enterprise_id": w["ent_a"].id, "lat": 31.1203, "lng": 121.42,
        "accuracy_m": 10, "speed": None, "heading": None, "captured_at": timezone.now().isoformat(), "queued": False,
    }


def checkout_body(w):
    return {
        "client_id": str(uuid.uuid4()), "lat": 31.1203, "lng": 121.42, "accuracy_m": 10,
        # The world's "now": its open visits started at or before it (see the world fixture).
        "captured_at": w["now"].isoformat(), "purpose": "service", "people_met": "", "summary": "", "demands": [],
    }


TODAY = timezone.localdate().isoformat()
MONTH = {"date_from": (timezone.localdate() - dt.timedelta(days=30)).isoformat(), "date_to": TODAY}

# "own" objects are the role's own (or, for a manager, their team's); "other" objects belong to another team/unit.
MATRIX: dict[tuple[str, str], dict[str, Rule]] = {
    ("GET", "/api/health"): {"-": Rule(lambda w: "/api/health", ANY)},
    ("GET", "/api/config"): {"-": Rule(lambda w: "/api/config", ANY)},
    ("GET", "/api/basemap"): {"-": Rule(lambda w: "/api/basemap", ANY)},
    ("GET", "/api/auth/csrf"): {"-": Rule(lambda w: "/api/auth/csrf", ANY)},
    ("GET", "/api/auth/me"): {"-": Rule(lambda w: "/api/auth/me", LOGGED_IN)},
    ("POST", "/api/auth/login"): {"-": Rule(lambda w: "/api/auth/login", LOGGED_IN, body=lambda w: {"username": w["me"], "password": "matrix-pass-1"})},
    ("POST", "/api/auth/logout"): {"-": Rule(lambda w: "/api/auth/logout", LOGGED_IN)},
    ("POST", "/api/auth/sms/send"): {"-": Rule(lambda w: "/api/auth/sms/send", ANY, body=lambda w: {"mobile": "13900000000"})},
    # A wrong code is never 2xx, for anyone: the positive path is in tests/api/test_auth.py.
    ("POST", "/api/auth/sms/verify"): {"-": Rule(lambda w: "/api/auth/sms/verify", set(), body=lambda w: {"mobile": "13900000000", "code": "000000"})},
    ("POST", "/api/auth/privacy-ack"): {"-": Rule(lambda w: "/api/auth/privacy-ack", LOGGED_IN, body=lambda w: {"version": w["privacy_version"]})},
    ("GET", "/api/enterprises"): {"-": Rule(lambda w: "/api/enterprises", FIELD | {"enterprise", "admin"})},
    ("POST", "/api/enterprises"): {"-": Rule(lambda w: "/api/enterprises", {"admin"}, body=lambda w: {
        "uscc": valid_uscc("91310112MATRX00"), "name": "矩阵测试新企业", "lat": 31.1, "lng": 121.4, "industry": "C"})},
    ("GET", "/api/enterprises/nearby"): {"-": Rule(lambda w: "/api/enterprises/nearby", FIELD | {"admin"}, query={"lat": 31.12, "lng": 121.42})},
    ("GET", "/api/enterprises/{enterprise_id}"): {
        "own": Rule(lambda w: f"/api/enterprises/{w['ent_a'].id}", FIELD | {"enterprise", "admin"}),
        "other": Rule(lambda w: f"/api/enterprises/{w['ent_b'].id}", FIELD | {"admin"}),
    },
    ("POST", "/api/visits/checkin"): {"-": Rule(lambda w: "/api/visits/checkin", FIELD, body=checkin_body)},
    ("POST", "/api/visits/{visit_ref}/checkout"): {
        "own": Rule(lambda w: f"/api/visits/{w['open_visit'][w['role']].id}/checkout", FIELD, body=checkout_body),
        "other": Rule(lambda w: f"/api/visits/{w['open_visit_b'].id}/checkout", set(), body=checkout_body),
    },
    ("POST", "/api/visits/{visit_ref}/photos"): {
        "own": Rule(lambda w: f"/api/visits/{w['open_visit'][w['role']].id}/photos", FIELD,
                    multipart=lambda w: {"client_id": str(uuid.uuid4()), "file": io.BytesIO(jpeg())}),
        "other": Rule(lambda w: f"/api/visits/{w['visit_b'].id}/photos", set(),
                      multipart=lambda w: {"client_id": str(uuid.uuid4()), "file": io.BytesIO(jpeg())}),
    },
    ("GET", "/api/visits"): {"-": Rule(lambda w: "/api/visits", LOGGED_IN)},  # scoped lists; others get an empty page
    ("GET", "/api/visits/{visit_id}"): {
        "own": Rule(lambda w: f"/api/visits/{w['visit_a'].id}", {"staff", "manager", "admin"}),
        "other": Rule(lambda w: f"/api/visits/{w['visit_b'].id}", {"admin"}),
    },
    ("POST", "/api/visits/{visit_id}/flags/{flag}/review"): {
        "own": Rule(lambda w: f"/api/visits/{w['visit_a'].id}/flags/outside_geofence/review", READERS, body=lambda w: {"status": "accepted"}),
        "other": Rule(lambda w: f"/api/visits/{w['visit_b'].id}/flags/outside_geofence/review", {"admin"}, body=lambda w: {"status": "accepted"}),
    },
    ("POST", "/api/visits/{visit_id}/flags/{flag}/explain"): {
        "own": Rule(lambda w: f"/api/visits/{w['visit_a'].id}/flags/outside_geofence/explain", {"staff"}, body=lambda w: {"explanation": "说明"}),
        "other": Rule(lambda w: f"/api/visits/{w['visit_b'].id}/flags/outside_geofence/explain", set(), body=lambda w: {"explanation": "说明"}),
    },
    ("GET", "/api/visits/{visit_id}/photos/{photo_id}"): {
        "own": Rule(lambda w: f"/api/visits/{w['visit_a'].id}/photos/{w['photo_a'].id}", {"staff", "manager", "admin"}),
        "other": Rule(lambda w: f"/api/visits/{w['visit_b'].id}/photos/{w['photo_b'].id}", {"admin"}),
    },
    ("GET", "/api/visits/{visit_id}/rating-qr.svg"): {
        "own": Rule(lambda w: f"/api/visits/{w['visit_a'].id}/rating-qr.svg", {"staff", "manager", "admin"}),
        "other": Rule(lambda w: f"/api/visits/{w['visit_b'].id}/rating-qr.svg", {"admin"}),
    },
    ("GET", "/api/visits/access-log"): {"-": Rule(lambda w: "/api/visits/access-log", LOGGED_IN)},
    ("GET", "/api/ratings/{token}"): {"-": Rule(lambda w: f"/api/ratings/{w['visit_a'].rating_token}", ANY)},
    # The QR token opens the page; a rating counts from the visited enterprise's own
    # user, is kept uncounted from someone not logged in, and is refused to staff
    # and to other enterprises' users.
    ("POST", "/api/ratings/{token}"): {
        "own": Rule(lambda w: f"/api/ratings/{w['visit_a'].rating_token}", {"anonymous", "enterprise"}, body=lambda w: {"stars": 5}),
        "other": Rule(lambda w: f"/api/ratings/{w['visit_b'].rating_token}", {"anonymous"}, body=lambda w: {"stars": 5}),
    },
    ("GET", "/api/trails"): {
        "own": Rule(lambda w: "/api/trails", {"staff", "manager", "admin"}, query={"date": TODAY}),
        "other": Rule(lambda w: "/api/trails", {"admin"}, query={"date": TODAY}),
    },
    ("GET", "/api/reports/team"): {"-": Rule(lambda w: "/api/reports/team", READERS, query=MONTH)},
    ("GET", "/api/reports/team/export"): {"-": Rule(lambda w: "/api/reports/team/export", READERS, query=MONTH | {"format": "csv"})},
    ("GET", "/api/reports/visits/export"): {"-": Rule(lambda w: "/api/reports/visits/export", READERS, query=MONTH | {"format": "csv"})},
    ("GET", "/api/reports/trends"): {"-": Rule(lambda w: "/api/reports/trends", READERS, query=MONTH | {"metric": "visits"})},
    ("GET", "/api/reports/dashboard"): {"-": Rule(lambda w: "/api/reports/dashboard", READERS)},
    # Sites: browsing is public (contacts masked); revealing and asking need a login;
    # listings are managed by their own owner unit (and admins).
    ("GET", "/api/sites"): {"-": Rule(lambda w: "/api/sites", ANY, query={"bbox": "121.3,31.0,121.5,31.2"})},
    ("POST", "/api/sites/search"): {"-": Rule(lambda w: "/api/sites/search", ANY, body=lambda w: {"polygon": {
        "type": "Polygon", "coordinates": [[[121.3, 31.0], [121.5, 31.0], [121.5, 31.2], [121.3, 31.0]]]}})},
    ("GET", "/api/sites/clusters"): {"-": Rule(lambda w: "/api/sites/clusters", ANY, query={"bbox": "121.3,31.0,121.5,31.2", "zoom": 10})},
    ("GET", "/api/sites/options"): {"-": Rule(lambda w: "/api/sites/options", ANY)},
    ("GET", "/api/sites/mine"): {"-": Rule(lambda w: "/api/sites/mine", {"owner", "admin"})},
    ("GET", "/api/sites/{site_id}"): {
        "own": Rule(lambda w: f"/api/sites/{w['site_a'].id}", ANY),
        "other": Rule(lambda w: f"/api/sites/{w['site_b'].id}", ANY),
    },
    ("PATCH", "/api/sites/{site_id}"): {
        "own": Rule(lambda w: f"/api/sites/{w['site_a'].id}", {"owner", "admin"}, body=lambda w: {"status": "reserved"}),
        "other": Rule(lambda w: f"/api/sites/{w['site_b'].id}", {"admin"}, body=lambda w: {"status": "reserved"}),
    },
    ("POST", "/api/sites/{site_id}/confirm"): {
        "own": Rule(lambda w: f"/api/sites/{w['site_a'].id}/confirm", {"owner", "admin"}),
        "other": Rule(lambda w: f"/api/sites/{w['site_b'].id}/confirm", {"admin"}),
    },
    ("POST", "/api/sites/{site_id}/contact"): {
        "own": Rule(lambda w: f"/api/sites/{w['site_a'].id}/contact", LOGGED_IN),
        "other": Rule(lambda w: f"/api/sites/{w['site_b'].id}/contact", LOGGED_IN),
    },
    ("POST", "/api/sites/{site_id}/inquiries"): {
        "-": Rule(lambda w: f"/api/sites/{w['site_b'].id}/inquiries", LOGGED_IN,
                  body=lambda w: {"message": "想了解租赁条件", "phone": "13800009999", "area_needed": 800}),
    },
    ("GET", "/api/sites/inquiries"): {"-": Rule(lambda w: "/api/sites/inquiries", LOGGED_IN)},
    ("GET", "/api/sites/inquiries/{inquiry_id}"): {
        "own": Rule(lambda w: f"/api/sites/inquiries/{w['inquiry_a'].id}", LOGGED_IN),
        "other": Rule(lambda w: f"/api/sites/inquiries/{w['inquiry_b'].id}", FIELD | {"admin"}),
    },
    ("POST", "/api/sites/inquiries/{inquiry_id}/answer"): {
        "own": Rule(lambda w: f"/api/sites/inquiries/{w['inquiry_a'].id}/answer", {"owner", "admin"}, body=lambda w: {"answer": "欢迎来看"}),
        "other": Rule(lambda w: f"/api/sites/inquiries/{w['inquiry_b'].id}/answer", {"admin"}, body=lambda w: {"answer": "欢迎来看"}),
    },
    ("GET", "/api/sites/saved-searches"): {"-": Rule(lambda w: "/api/sites/saved-searches", LOGGED_IN)},
    ("POST", "/api/sites/saved-searches"): {"-": Rule(lambda w: "/api/sites/saved-searches", LOGGED_IN, body=lambda w: {"name": "800平厂房", "type": "factory"})},
    ("DELETE", "/api/sites/saved-searches/{saved_search_id}"): {
        "own": Rule(lambda w: f"/api/sites/saved-searches/{w['saved'][w['role']].id}", LOGGED_IN),
        "other": Rule(lambda w: f"/api/sites/saved-searches/{w['saved_other'].id}", set()),
    },
    ("GET", "/api/sites/{site_id}/photos/{photo_id}"): {
        "own": Rule(lambda w: f"/api/sites/{w['site_a'].id}/photos/{w['site_photo_a'].id}", ANY),
        "other": Rule(lambda w: f"/api/sites/{w['site_b'].id}/photos/{w['site_photo_b'].id}", ANY),
    },
    ("POST", "/api/sites/{site_id}/photos"): {
        "own": Rule(lambda w: f"/api/sites/{w['site_a'].id}/photos", {"owner", "admin"}, multipart=lambda w: {"file": io.BytesIO(jpeg())}),
        "other": Rule(lambda w: f"/api/sites/{w['site_b'].id}/photos", {"admin"}, multipart=lambda w: {"file": io.BytesIO(jpeg())}),
    },
    ("DELETE", "/api/sites/{site_id}/photos/{photo_id}"): {
        "own": Rule(lambda w: f"/api/sites/{w['site_a'].id}/photos/{w['site_photo_a'].id}", {"owner", "admin"}),
        "other": Rule(lambda w: f"/api/sites/{w['site_b'].id}/photos/{w['site_photo_b'].id}", {"admin"}),
    },
    ("POST", "/api/sites/import"): {"-": Rule(lambda w: "/api/sites/import", {"admin"}, multipart=lambda w: {
        "file": _named(b'{"type":"FeatureCollection","features":[]}', "empty.geojson"), "dry_run": "true"})},
    # Joining: registering is anonymous (a wrong code is never 2xx; the positive path is in
    # tests/api/test_join.py), so is the code, sent to any number alike.
    ("POST", "/api/join/sms/send"): {"-": Rule(lambda w: "/api/join/sms/send", ANY, body=lambda w: {"mobile": "13900000001"})},
    ("POST", "/api/join/register"): {"-": Rule(lambda w: "/api/join/register", set(), body=lambda w: {"mobile": "13900000001", "code": "000000"})},
    # Only an enterprise account that acts for no company yet may claim one; the matrix's
    # enterprise user is already verified (409), the others are refused (401/403).
    ("POST", "/api/join/claim"): {"-": Rule(lambda w: "/api/join/claim", set(), body=lambda w: {
        "name": w["ent_a"].name, "uscc": w["ent_a"].uscc})},
    ("GET", "/api/join/status"): {"-": Rule(lambda w: "/api/join/status", LOGGED_IN)},
    ("GET", "/api/join/claims"): {"-": Rule(lambda w: "/api/join/claims", FIELD | {"admin"})},
    # Own: a claim on an enterprise assigned to the team's staff member; other: another team's.
    ("POST", "/api/join/claims/{claim_id}/approve"): {
        "own": Rule(lambda w: f"/api/join/claims/{w['claims']['approve'].id}/approve", FIELD | {"admin"}, body=lambda w: {}),
        "other": Rule(lambda w: f"/api/join/claims/{w['claims']['other_approve'].id}/approve", {"admin"}, body=lambda w: {}),
    },
    ("POST", "/api/join/claims/{claim_id}/reject"): {
        "own": Rule(lambda w: f"/api/join/claims/{w['claims']['reject'].id}/reject", FIELD | {"admin"}, body=lambda w: {"reason": "材料不全"}),
        "other": Rule(lambda w: f"/api/join/claims/{w['claims']['other_reject'].id}/reject", {"admin"}, body=lambda w: {"reason": "材料不全"}),
    },
    ("GET", "/api/notifications"): {"-": Rule(lambda w: "/api/notifications", LOGGED_IN)},
    ("POST", "/api/notifications/{notice_id}/read"): {
        "own": Rule(lambda w: f"/api/notifications/{w['notice'][w['role']].id}/read", LOGGED_IN),
        "other": Rule(lambda w: f"/api/notifications/{w['notice_other'].id}/read", set()),
    },
    ("POST", "/api/notifications/read-all"): {"-": Rule(lambda w: "/api/notifications/read-all", LOGGED_IN)},
    # Delivery states of a batch name every recipient's channels: admins only.
    ("GET", "/api/notifications/batches/{batch_id}"): {"-": Rule(lambda w: f"/api/notifications/batches/{w['batch'].id}", {"admin"})},
    ("GET", "/api/notifications/push/config"): {"-": Rule(lambda w: "/api/notifications/push/config", LOGGED_IN)},
    ("POST", "/api/notifications/push/subscriptions"): {"-": Rule(lambda w: "/api/notifications/push/subscriptions", LOGGED_IN, body=lambda w: w["push_subscription"])},
    ("POST", "/api/notifications/push/unsubscribe"): {"-": Rule(lambda w: "/api/notifications/push/unsubscribe", LOGGED_IN, body=lambda w: {"endpoint": w["push_subscription"]["endpoint"]})},
    # The holiday calendar: everyone logged in reads it (a deadline says why it is pending);
    # entering a year moves every deadline in town, so admins only.
    ("GET", "/api/workdays/{year}"): {"-": Rule(lambda w: "/api/workdays/2027", LOGGED_IN)},
    ("PUT", "/api/workdays/{year}"): {"-": Rule(lambda w: "/api/workdays/2027", {"admin"}, body=lambda w: {
        "holidays": [{"date": "2027-01-01", "name": "元旦"}], "workdays": ["2027-02-20"]})},
    # Demands: staff see what they raised or were given, a manager their team's and the
    # intake queue, an enterprise its own; each step by the flow's relations (backend/demands/flow.py).
    ("GET", "/api/demands"): {"-": Rule(lambda w: "/api/demands", LOGGED_IN)},
    # The overdue board and the ledger export are managers' and admins' (backend.access.demands).
    ("GET", "/api/demands/board"): {"-": Rule(lambda w: "/api/demands/board", READERS)},
    ("GET", "/api/demands/export"): {"-": Rule(lambda w: "/api/demands/export", READERS, query=MONTH | {"format": "csv"})},  # scoped lists; others get an empty page
    ("POST", "/api/demands"): {"-": Rule(lambda w: "/api/demands", FIELD | {"enterprise", "admin"}, body=lambda w: {
        "category": "labour", "description": "矩阵测试诉求", "enterprise_id": w["ent_a"].id})},
    ("GET", "/api/demands/{demand_id}"): {
        "own": Rule(lambda w: f"/api/demands/{w['demand']['assigned'].id}", FIELD | {"enterprise", "admin"}),
        "other": Rule(lambda w: f"/api/demands/{w['demand_b']['assigned'].id}", {"admin"}),
    },
    ("POST", "/api/demands/{demand_id}/assign"): {
        "own": Rule(lambda w: f"/api/demands/{w['demand']['pending'].id}/assign", {"manager", "admin"},
                    body=lambda w: {"assignee_id": w["staff_id"]}),
        "other": Rule(lambda w: f"/api/demands/{w['demand_b']['pending'].id}/assign", {"admin"},
                      body=lambda w: {"assignee_id": w["staff_id"]}),
    },
    ("POST", "/api/demands/{demand_id}/verify"): {
        "own": Rule(lambda w: f"/api/demands/{w['demand']['assigned'].id}/verify", FIELD | {"admin"}),
        "other": Rule(lambda w: f"/api/demands/{w['demand_b']['assigned'].id}/verify", {"admin"}),
    },
    ("POST", "/api/demands/{demand_id}/handle"): {
        "own": Rule(lambda w: f"/api/demands/{w['demand']['verifying'].id}/handle", FIELD | {"admin"}),
        "other": Rule(lambda w: f"/api/demands/{w['demand_b']['verifying'].id}/handle", {"admin"}),
    },
    ("POST", "/api/demands/{demand_id}/resolve"): {
        "own": Rule(lambda w: f"/api/demands/{w['demand']['handling'].id}/resolve", FIELD | {"admin"},
                    body=lambda w: {"resolution": "已办结"}),
        "other": Rule(lambda w: f"/api/demands/{w['demand_b']['handling'].id}/resolve", {"admin"},
                      body=lambda w: {"resolution": "已办结"}),
    },
    ("POST", "/api/demands/{demand_id}/rate"): {
        "own": Rule(lambda w: f"/api/demands/{w['demand']['resolved'].id}/rate", {"enterprise"}, body=lambda w: {"rating": "satisfied"}),
        "other": Rule(lambda w: f"/api/demands/{w['demand_b']['resolved'].id}/rate", set(), body=lambda w: {"rating": "satisfied"}),
    },
    # A 场地 demand's suggested sites: whoever sees the demand; its needs: its enterprise and
    # its officials (backend.access.demands.can_set_site_needs); an inquiry from a suggestion:
    # its enterprise only, which speaks for itself to the owner unit (access.demands.can_inquire_for).
    ("GET", "/api/demands/{demand_id}/site-suggestions"): {
        "own": Rule(lambda w: f"/api/demands/{w['site_demand']['own'].id}/site-suggestions", FIELD | {"enterprise", "admin"}),
        "other": Rule(lambda w: f"/api/demands/{w['site_demand']['other'].id}/site-suggestions", {"admin"}),
    },
    ("POST", "/api/demands/{demand_id}/site-needs"): {
        "own": Rule(lambda w: f"/api/demands/{w['site_demand']['own'].id}/site-needs", FIELD | {"enterprise", "admin"},
                    body=lambda w: {"types": ["factory"], "area_min_m2": 500, "area_max_m2": 2000}),
        "other": Rule(lambda w: f"/api/demands/{w['site_demand']['other'].id}/site-needs", {"admin"},
                      body=lambda w: {"types": ["factory"]}),
    },
    ("POST", "/api/demands/{demand_id}/site-inquiries"): {
        "own": Rule(lambda w: f"/api/demands/{w['site_demand']['own'].id}/site-inquiries", {"enterprise"},
                    body=lambda w: {"site_id": w["site_a"].id, "message": "想了解租金"}),
        "other": Rule(lambda w: f"/api/demands/{w['site_demand']['other'].id}/site-inquiries", set(),
                      body=lambda w: {"site_id": w["site_b"].id, "message": "想了解租金"}),
    },
    # Consultations: enterprise accounts ask; the holding official, their manager and admins
    # answer, reassign and convert; the asking enterprise follows up and closes.
    ("GET", "/api/consultations"): {"-": Rule(lambda w: "/api/consultations", LOGGED_IN)},  # scoped lists
    ("POST", "/api/consultations"): {"-": Rule(lambda w: "/api/consultations", {"enterprise"}, body=lambda w: {
        "category": "policy", "subject": "矩阵测试咨询", "text": "怎么申请？"})},
    ("GET", "/api/consultations/stats"): {"-": Rule(lambda w: "/api/consultations/stats", FIELD | {"admin"}, query={"month": "2026-11"})},
    ("GET", "/api/consultations/stats/rows"): {
        "-": Rule(lambda w: "/api/consultations/stats/rows", FIELD | {"admin"}, query={"month": "2026-11"})},
    ("GET", "/api/consultations/reassign-targets"): {
        "-": Rule(lambda w: "/api/consultations/reassign-targets", FIELD | {"admin"})},
    ("GET", "/api/consultations/{consultation_id}"): {
        "own": Rule(lambda w: f"/api/consultations/{w['consult']['get'].id}", FIELD | {"enterprise", "admin"}),
        "other": Rule(lambda w: f"/api/consultations/{w['consult_b']['get'].id}", {"admin"}),
    },
    ("POST", "/api/consultations/{consultation_id}/answer"): {
        "own": Rule(lambda w: f"/api/consultations/{w['consult']['answer'].id}/answer", FIELD | {"admin"},
                    body=lambda w: {"text": "答复"}),
        "other": Rule(lambda w: f"/api/consultations/{w['consult_b']['answer'].id}/answer", {"admin"},
                      body=lambda w: {"text": "答复"}),
    },
    ("POST", "/api/consultations/{consultation_id}/follow-up"): {
        "own": Rule(lambda w: f"/api/consultations/{w['consult']['follow_up'].id}/follow-up", {"enterprise"},
                    body=lambda w: {"text": "追问"}),
        "other": Rule(lambda w: f"/api/consultations/{w['consult_b']['follow_up'].id}/follow-up", set(),
                      body=lambda w: {"text": "追问"}),
    },
    ("POST", "/api/consultations/{consultation_id}/close"): {
        "own": Rule(lambda w: f"/api/consultations/{w['consult']['close'].id}/close", {"enterprise"}),
        "other": Rule(lambda w: f"/api/consultations/{w['consult_b']['close'].id}/close", set()),
    },
    ("POST", "/api/consultations/{consultation_id}/reassign"): {
        "own": Rule(lambda w: f"/api/consultations/{w['consult']['reassign'].id}/reassign", FIELD | {"admin"},
                    body=lambda w: {"official_id": w["manager_id"]}),
        "other": Rule(lambda w: f"/api/consultations/{w['consult_b']['reassign'].id}/reassign", {"admin"},
                      body=lambda w: {"official_id": w["manager_id"]}),
    },
    ("POST", "/api/consultations/{consultation_id}/convert"): {
        "own": Rule(lambda w: f"/api/consultations/{w['consult']['convert'].id}/convert", FIELD | {"admin"}),
        "other": Rule(lambda w: f"/api/consultations/{w['consult_b']['convert'].id}/convert", {"admin"}),
    },
    # Attachments: the parties add (the enterprise, the official, their manager, admins);
    # whoever may see the item downloads (backend.access.demands / consultations.may_attach).
    ("POST", "/api/demands/{demand_id}/attachments"): {
        "own": Rule(lambda w: f"/api/demands/{w['demand']['handling'].id}/attachments", FIELD | {"enterprise", "admin"},
                    multipart=lambda w: {"file": io.BytesIO(jpeg())}),
        "other": Rule(lambda w: f"/api/demands/{w['demand_b']['handling'].id}/attachments", {"admin"},
                      multipart=lambda w: {"file": io.BytesIO(jpeg())}),
    },
    ("GET", "/api/demands/{demand_id}/attachments/{attachment_id}"): {
        "own": Rule(lambda w: _attachment_url("demands", w["demand"]["assigned"]), FIELD | {"enterprise", "admin"}),
        "other": Rule(lambda w: _attachment_url("demands", w["demand_b"]["assigned"]), {"admin"}),
    },
    ("POST", "/api/consultations/{consultation_id}/attachments"): {
        "own": Rule(lambda w: f"/api/consultations/{w['consult']['get'].id}/attachments", FIELD | {"enterprise", "admin"},
                    multipart=lambda w: {"file": io.BytesIO(jpeg())}),
        "other": Rule(lambda w: f"/api/consultations/{w['consult_b']['get'].id}/attachments", {"admin"},
                      multipart=lambda w: {"file": io.BytesIO(jpeg())}),
    },
    ("GET", "/api/consultations/{consultation_id}/attachments/{attachment_id}"): {
        "own": Rule(lambda w: _attachment_url("consultations", w["consult"]["get"]), FIELD | {"enterprise", "admin"}),
        "other": Rule(lambda w: _attachment_url("consultations", w["consult_b"]["get"]), {"admin"}),
    },
    # Economic figures: the economic office reads (managers, admins); admins import and correct.
    ("GET", "/api/economy/figures"): {"-": Rule(lambda w: "/api/economy/figures", READERS, query={"month": "2026-10", "by": "industry"})},
    ("GET", "/api/economy/rows"): {"-": Rule(lambda w: "/api/economy/rows", READERS, query={"month": "2026-10", "kind": "ytd"})},
    ("GET", "/api/economy/trend"): {"-": Rule(lambda w: "/api/economy/trend", READERS, query={"end": "2026-10"})},
    ("GET", "/api/economy/indicators/{indicator_id}"): {
        "-": Rule(lambda w: f"/api/economy/indicators/{w['indicator'].id}", READERS)},
    ("POST", "/api/economy/indicators/{indicator_id}/corrections"): {
        "-": Rule(lambda w: f"/api/economy/indicators/{w['indicator'].id}/corrections", {"admin"},
                  body=lambda w: {"field": "tax", "value": "12.5", "reason": "矩阵测试"})},
    ("POST", "/api/economy/imports"): {"-": Rule(lambda w: "/api/economy/imports", {"admin"}, multipart=lambda w: {
        "file": _named(_indicator_sheet(), "经济数据.xlsx"), "dry_run": "true"})},
    # Policies: admins edit; the town team and enterprises read published ones. Matches and
    # facts follow the enterprise directory: an enterprise user its own company, staff any.
    ("GET", "/api/policies"): {"-": Rule(lambda w: "/api/policies", FIELD | {"enterprise", "admin"})},
    ("POST", "/api/policies"): {"-": Rule(lambda w: "/api/policies", {"admin"}, body=lambda w: {
        "title": "矩阵测试政策", "issuer": "青枫镇经发办", "rules": {"match": "all", "conditions": [
            {"fact": "revenue", "op": ">=", "number": 2000, "clause": "第三条"}]}})},
    ("GET", "/api/policies/catalogue"): {"-": Rule(lambda w: "/api/policies/catalogue", FIELD | {"enterprise", "admin"})},
    ("GET", "/api/policies/{policy_id}"): {
        "own": Rule(lambda w: f"/api/policies/{w['policy'].id}", FIELD | {"enterprise", "admin"}),
        "other": Rule(lambda w: f"/api/policies/{w['policy_draft'].id}", {"admin"}),
    },
    ("PATCH", "/api/policies/{policy_id}"): {
        "own": Rule(lambda w: f"/api/policies/{w['policy'].id}", {"admin"}, body=lambda w: {"benefits": "奖励 20 万元"}),
        "other": Rule(lambda w: f"/api/policies/{w['policy_draft'].id}", {"admin"}, body=lambda w: {"benefits": "奖励"}),
    },
    ("POST", "/api/policies/{policy_id}/ask"): {
        "-": Rule(lambda w: f"/api/policies/{w['policy'].id}/ask", {"enterprise"}, body=lambda w: {"text": "怎么申请？"}),
    },
    ("GET", "/api/policies/facts"): {
        "own": Rule(lambda w: "/api/policies/facts", FIELD | {"enterprise", "admin"}, params=lambda w: {"enterprise_id": w["ent_a"].id}),
        "other": Rule(lambda w: "/api/policies/facts", FIELD | {"admin"}, params=lambda w: {"enterprise_id": w["ent_b"].id}),
    },
    ("POST", "/api/policies/facts"): {
        "own": Rule(lambda w: "/api/policies/facts", FIELD | {"enterprise", "admin"},
                    body=lambda w: {"enterprise_id": w["ent_a"].id, "key": "employees", "number": 12}),
        "other": Rule(lambda w: "/api/policies/facts", FIELD | {"admin"},
                      body=lambda w: {"enterprise_id": w["ent_b"].id, "key": "employees", "number": 12}),
    },
    ("GET", "/api/me/policy-matches"): {
        "own": Rule(lambda w: "/api/me/policy-matches", FIELD | {"enterprise", "admin"}, params=lambda w: {"enterprise_id": w["ent_a"].id}),
        "other": Rule(lambda w: "/api/me/policy-matches", FIELD | {"admin"}, params=lambda w: {"enterprise_id": w["ent_b"].id}),
    },
    # 招商项目: the town team's internal pipeline (backend.access.projects): field staff see
    # their team's, admins all; enterprises, owners and the anonymous none. A stage request
    # is decided by a manager of the team or an admin (never its requester); the lead is
    # changed by the same.
    ("GET", "/api/projects"): {"-": Rule(lambda w: "/api/projects", FIELD | {"admin"})},
    ("GET", "/api/projects/dashboard"): {"-": Rule(lambda w: "/api/projects/dashboard", FIELD | {"admin"})},
    ("GET", "/api/projects/stages"): {"-": Rule(lambda w: "/api/projects/stages", FIELD | {"admin"})},
    ("GET", "/api/projects/packet"): {"-": Rule(lambda w: "/api/projects/packet", FIELD | {"admin"}, query={"since": TODAY})},
    ("POST", "/api/projects"): {"-": Rule(lambda w: "/api/projects", FIELD | {"admin"}, body=lambda w: {
        "name": "矩阵项目", "investor_name": "某公司", "investment_wan": "100", "source": "fair", "lead_id": w["staff_id"]})},
    ("GET", "/api/projects/{project_id}"): {
        "own": Rule(lambda w: f"/api/projects/{w['project']['get'].id}", FIELD | {"admin"}),
        "other": Rule(lambda w: f"/api/projects/{w['project_b']['get'].id}", {"admin"}),
    },
    ("PATCH", "/api/projects/{project_id}"): {
        "own": Rule(lambda w: f"/api/projects/{w['project']['patch'].id}", FIELD | {"admin"}, body=lambda w: {"plot": "东区地块"}),
        "other": Rule(lambda w: f"/api/projects/{w['project_b']['patch'].id}", {"admin"}, body=lambda w: {"plot": "东区地块"}),
    },
    ("POST", "/api/projects/{project_id}/move"): {
        "own": Rule(lambda w: f"/api/projects/{w['project']['move'].id}/move", FIELD | {"admin"}, body=lambda w: {"to": "talks"}),
        "other": Rule(lambda w: f"/api/projects/{w['project_b']['move'].id}/move", {"admin"}, body=lambda w: {"to": "talks"}),
    },
    ("POST", "/api/projects/{project_id}/decide"): {
        "own": Rule(lambda w: f"/api/projects/{w['project']['decide'].id}/decide", {"manager", "admin"}, body=lambda w: {"approve": True}),
        "other": Rule(lambda w: f"/api/projects/{w['project_b']['decide'].id}/decide", {"admin"}, body=lambda w: {"approve": True}),
    },
    ("POST", "/api/projects/{project_id}/reassign"): {
        "own": Rule(lambda w: f"/api/projects/{w['project']['reassign'].id}/reassign", {"manager", "admin"},
                    body=lambda w: {"lead_id": w["manager_id"]}),
        "other": Rule(lambda w: f"/api/projects/{w['project_b']['reassign'].id}/reassign", {"admin"},
                      body=lambda w: {"lead_id": w["manager_id"]}),
    },
    ("POST", "/api/projects/{project_id}/drop"): {
        "own": Rule(lambda w: f"/api/projects/{w['project']['drop'].id}/drop", FIELD | {"admin"}, body=lambda w: {"comment": "投资方撤回"}),
        "other": Rule(lambda w: f"/api/projects/{w['project_b']['drop'].id}/drop", {"admin"}, body=lambda w: {"comment": "投资方撤回"}),
    },
    ("POST", "/api/projects/{project_id}/follow-ups"): {
        "own": Rule(lambda w: f"/api/projects/{w['project']['get'].id}/follow-ups", FIELD | {"admin"}, body=lambda w: {"note": "电话沟通"}),
        "other": Rule(lambda w: f"/api/projects/{w['project_b']['get'].id}/follow-ups", {"admin"}, body=lambda w: {"note": "电话沟通"}),
    },
    ("POST", "/api/projects/{project_id}/attachments"): {
        "own": Rule(lambda w: f"/api/projects/{w['project']['patch'].id}/attachments", FIELD | {"admin"},
                    multipart=lambda w: {"file": io.BytesIO(jpeg())}),
        "other": Rule(lambda w: f"/api/projects/{w['project_b']['patch'].id}/attachments", {"admin"},
                      multipart=lambda w: {"file": io.BytesIO(jpeg())}),
    },
    ("GET", "/api/projects/{project_id}/attachments/{attachment_id}"): {
        "own": Rule(lambda w: _attachment_url("projects", w["project"]["get"]), FIELD | {"admin"}),
        "other": Rule(lambda w: _attachment_url("projects", w["project_b"]["get"]), {"admin"}),
    },
    # A background job (a large export) is its owner's alone.
    ("GET", "/api/jobs/{job_id}"): {
        "own": Rule(lambda w: f"/api/jobs/{w['job'][w['role']].id}", LOGGED_IN),
        "other": Rule(lambda w: f"/api/jobs/{w['job_other'].id}", set()),
    },
    ("GET", "/api/jobs/{job_id}/file"): {
        "own": Rule(lambda w: f"/api/jobs/{w['job'][w['role']].id}/file", LOGGED_IN),
        "other": Rule(lambda w: f"/api/jobs/{w['job_other'].id}/file", set()),
    },
}


def _indicator_sheet() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["统一社会信用代码", "月份", "税收"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _named(data: bytes, name: str):
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def api_operations() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema(path_prefix="/api/")
    return {(method.upper(), path) for path, ops in schema["paths"].items() for method in ops}


def test_it_has_a_matrix_entry_for_every_operation():
    missing = api_operations() - set(MATRIX)
    assert not missing, f"operations without an authorization rule: {sorted(missing)}"
    stale = set(MATRIX) - api_operations()
    assert not stale, f"rules for operations that no longer exist: {sorted(stale)}"


@pytest.fixture
def world(users, enterprise, owner_unit, settings, tmp_path):
    from backend.economy.models import ImportBatch, MonthlyIndicator
    from backend.visits.models import VisitPhoto

    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "x.jpg").write_bytes(jpeg())
    for user in users.values():
        user.set_password("matrix-pass-1")
        user.save()
    other_team = OrgUnit.objects.create(code="T2", name="招商二组", kind="team")
    other_staff = User.objects.create_user(username="other_staff", password="x" * 12, role="staff", org_unit=other_team)
    ent_b = enterprise_create(uscc=valid_uscc("91310112QTHER00"), name="别家企业", lat=31.13, lng=121.43, industry="F")
    # Visits within today's local date, so the trail of "today" has points.
    # Never in the future either: a check-out posted now must come after them (just after
    # midnight local time, "two hours ago" is yesterday, so they start at midnight).
    now = timezone.now()
    checkin_at = max(now - dt.timedelta(hours=2), timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0))
    checkout_at = checkin_at + (now - checkin_at) / 2

    def visit(staff, ent, *, closed=True):
        return Visit.objects.create(
            client_id=uuid.uuid4(), staff=staff, enterprise=ent, checkin_at=checkin_at,
            checkin_received_at=now, checkin_lat=31.12, checkin_lng=121.42, distance_m=2000,
            within_geofence=False, flags=["outside_geofence"],
            checkout_client_id=uuid.uuid4() if closed else None,
            checkout_at=checkout_at if closed else None,
            checkout_lat=31.12 if closed else None, checkout_lng=121.42 if closed else None,
            rating_token=uuid.uuid4().hex if closed else None,
        )

    w = {
        "ent_a": enterprise, "ent_b": ent_b,
        "visit_a": visit(users["staff"], enterprise), "visit_b": visit(other_staff, ent_b),
        "open_visit_b": visit(other_staff, ent_b, closed=False),
        "privacy_version": settings.PRIVACY_NOTICE_VERSION, "now": now,
    }
    w["open_visit"] = {role: visit(users[role] if role in FIELD else users["staff"], enterprise, closed=False) for role in ROLES}
    for key, v in (("photo_a", w["visit_a"]), ("photo_b", w["visit_b"])):
        w[key] = VisitPhoto.objects.create(
            visit=v, client_id=uuid.uuid4(), image="x.jpg", thumbnail="x.jpg", content_type="image/jpeg",
            size_bytes=1, width=1, height=1, sha256="0",
        )
    w["trail_staff"] = {"own": users["staff"].id, "other": other_staff.id}

    from backend.notifications.models import Notice
    from backend.sites.models import Inquiry, OwnerUnit, SavedSearch, SitePhoto
    from sites_support import make_site

    other_unit = OwnerUnit.objects.create(code="OU002", name="南塘村经济合作社")
    w["site_a"], w["site_b"] = make_site(owner_unit), make_site(other_unit, name="南塘村厂房", lng=121.43)
    for key, site in (("site_photo_a", w["site_a"]), ("site_photo_b", w["site_b"])):
        w[key] = SitePhoto.objects.create(site=site, image="x.jpg", thumbnail="x.jpg", width=1, height=1, size_bytes=1, sha256="0")
    other_ent_user = make_user("other_ent", "enterprise", enterprise=ent_b, password="x" * 12)
    inquiry = dict(message="想了解", phone="13800001111")
    w["inquiry_a"] = Inquiry.objects.create(site=w["site_a"], user=users["enterprise"], enterprise=enterprise, **inquiry)
    w["inquiry_b"] = Inquiry.objects.create(site=w["site_b"], user=other_ent_user, enterprise=ent_b, **inquiry)
    w["saved"] = {r: SavedSearch.objects.create(user=users[r], name="订阅") for r in ROLES if r != "anonymous"}
    w["saved"]["anonymous"] = w["saved"]["staff"]
    w["saved_other"] = SavedSearch.objects.create(user=other_ent_user, name="别人的订阅")
    w["indicator"] = MonthlyIndicator.objects.create(
        enterprise=enterprise, month=dt.date(2026, 10, 1), tax=10,
        batch=ImportBatch.objects.create(file_name="m.xlsx", imported_by=users["admin"]))
    w["notice"] = {r: Notice.objects.create(user=users[r], kind="test", title="通知") for r in ROLES if r != "anonymous"}
    w["notice"]["anonymous"] = w["notice"]["staff"]
    w["notice_other"] = Notice.objects.create(user=other_ent_user, kind="test", title="别人的通知")
    from backend.notifications.services import batch_send

    w["batch"] = batch_send(key="matrix", kind="test.batch", title="批次", user_ids=[other_ent_user.id]).batch
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = "BMatrixPublicKey", "matrix-private-key"
    w["push_subscription"] = {
        "endpoint": "https://fcm.googleapis.com/fcm/send/matrix-device",
        "keys": {"p256dh": "BMqPHD4bEztreju7Vjrs_2_afyuxs4Jx53_LIZmuqyYF3ML6fmsKfPz09m8qnV2otfzPIt8c6oDi6gAf478MEL8",
                 "auth": "UzaN3cRQSjkHbxGn4IhHGA"},
    }

    from backend.demands.models import Demand

    def demands(ent, raiser, assignee, visit):
        # "pending" raised on a visit: in no manager's intake queue, only its team's.
        made = {"pending": Demand.objects.create(enterprise=ent, raised_by=raiser, channel="visit", visit=visit,
                                                 category="labour", description="招工")}
        for status in ("assigned", "verifying", "handling", "resolved"):
            made[status] = Demand.objects.create(enterprise=ent, raised_by=raiser, channel="visit", visit=visit,
                                                 category="labour", description="招工", status=status, assignee=assignee)
        return made

    w["demand"] = demands(enterprise, users["staff"], users["staff"], w["visit_a"])
    w["demand_b"] = demands(ent_b, other_staff, other_staff, w["visit_b"])
    w["site_demand"] = {
        key: Demand.objects.create(enterprise=ent, raised_by=staff, channel="visit", visit=v, category="site",
                                   description="要厂房", status="assigned", assignee=staff, site_types=["factory"],
                                   site_area_min_m2=500, site_area_max_m2=2000)
        for key, ent, staff, v in (("own", enterprise, users["staff"], w["visit_a"]), ("other", ent_b, other_staff, w["visit_b"]))
    }
    w["staff_id"] = users["staff"].id
    from backend.consultations.models import Consultation

    def consultations(ent, asker, official):
        start = timezone.now()
        return {
            action: Consultation.objects.create(
                asked_by=asker, enterprise=ent, category="policy", subject="补贴", official=official,
                deadline_from=start, working_days=2, deadline=start + dt.timedelta(days=2),
            )
            for action in ("get", "answer", "follow_up", "close", "reassign", "convert")
        }

    w["consult"] = consultations(enterprise, users["enterprise"], users["staff"])
    w["consult_b"] = consultations(ent_b, other_ent_user, other_staff)
    w["manager_id"] = users["manager"].id
    from backend.attachments.services import attachment_store

    for item in (w["demand"]["assigned"], w["demand_b"]["assigned"], w["consult"]["get"], w["consult_b"]["get"]):
        item.attachments.add(attachment_store(user=users["admin"], name="现场.jpg", data=jpeg()))
    from backend.projects.models import Project, StageRequest
    from backend.projects.selectors import stages_for

    stages = {st.code: st for st in stages_for(town_id=None)}

    def projects(lead, team):
        made = {}
        for action in ("get", "patch", "move", "decide", "reassign", "drop"):
            stage = stages["talks" if action == "decide" else "lead"]
            made[action] = Project.objects.create(name="项目", investor_name="某公司", investment_wan=100, source="fair",
                                                  lead=lead, team=team, stage=stage, probability=stage.probability, created_by=lead)
        StageRequest.objects.create(project=made["decide"], from_stage=stages["talks"], to_stage=stages["signed"], requested_by=lead)
        made["get"].attachments.add(attachment_store(user=lead, name="合同.jpg", data=jpeg()))
        return made

    w["project"] = projects(users["staff"], users["staff"].org_unit)
    w["project_b"] = projects(other_staff, other_team)
    from backend.join.models import Claim

    ent_mine = enterprise_create(uscc=valid_uscc("91310112MYNE000"), name="本组企业", lat=31.12, lng=121.42, industry="C",
                                 assigned_staff_id=users["staff"].id)
    ent_theirs = enterprise_create(uscc=valid_uscc("91310112THEM000"), name="别组企业", lat=31.12, lng=121.42, industry="C",
                                   assigned_staff_id=other_staff.id)
    w["claims"] = {
        key: Claim.objects.create(user=make_user(f"claimant_{key}", "enterprise", password="x" * 12), enterprise=ent, name=ent.name)
        for key, ent in (("approve", ent_mine), ("reject", ent_mine), ("other_approve", ent_theirs), ("other_reject", ent_theirs))
    }

    from backend.jobs.models import Job

    def done_job(user):
        return Job.objects.create(user=user, kind="test", title="导出", status="done", file="x.jpg", file_name="x.jpg",
                                  content_type="image/jpeg")

    w["job"] = {r: done_job(users[r]) for r in ROLES if r != "anonymous"}
    w["job"]["anonymous"] = w["job"]["staff"]
    w["job_other"] = done_job(other_ent_user)
    from backend.policies.models import Policy

    rules = {"match": "all", "conditions": [{"fact": "revenue", "op": ">=", "number": 2000, "clause": "第三条"}]}
    w["policy"] = Policy.objects.create(title="稳增长奖励", issuer="经发办", status="published", rules=rules)
    w["policy_draft"] = Policy.objects.create(title="草稿政策", issuer="经发办", status="draft", rules=rules)
    return w


def call(client: ApiClient, method: str, rule: Rule, w: dict, variant: str, *, missing: bool = False):
    path = rule.path(w)
    if missing:  # the same request for objects that do not exist
        path = re.sub(r"/[0-9]+(?=/|$)", "/987654321987", path)
        path = re.sub(r"/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?=/|$)", f"/{uuid.uuid4()}", path)
    query = dict(rule.query) | (rule.params(w) if rule.params else {})
    if path == "/api/trails":
        query["staff_id"] = 987654321987 if missing else w["trail_staff"][variant]
    if rule.multipart:
        data = rule.multipart(w)
        if "file" in data and not hasattr(data["file"], "name"):
            data["file"].name = "photo.jpg"
        return client.post(path, data, HTTP_X_CSRFTOKEN=client.token())
    if method == "GET":
        return client.get(path, query)
    body = rule.body(w) if rule.body else {}
    return client.generic(method, path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""),
                          data=__import__("json").dumps(body), content_type="application/json",
                          HTTP_X_CSRFTOKEN=client.token())


@pytest.mark.parametrize("role", ROLES)
def test_it_gives_each_role_exactly_its_rights(role, users, world, settings):
    settings.LOGIN_FAILURE_LIMIT = 10_000
    world["role"] = role
    world["me"] = users[role].username if role != "anonymous" else "nobody"
    unexpected, refused = [], []
    # Logout last: it ends the session the other calls need.
    for (method, path), variants in sorted(MATRIX.items(), key=lambda item: item[0][1] == "/api/auth/logout"):
        for variant, rule in variants.items():
            client = ApiClient()
            if role != "anonymous":
                client.force_login(users[role])
            response = call(client, method, rule, world, variant)
            ok = 200 <= response.status_code < 300
            if ok and role not in rule.allowed:
                unexpected.append(f"{method} {path} [{variant}] → {response.status_code}")
            if not ok and role in rule.allowed:
                refused.append(f"{method} {path} [{variant}] → {response.status_code} {response.content[:120]!r}")
    assert unexpected == [], f"{role} got 2xx where it must not"
    assert refused == [], f"{role} was refused where it is allowed"


# Another's object a role is not allowed to act on must look, to that role, exactly
# like one that does not exist: 403 for an existing visit and 404 otherwise let
# ids be enumerated. Listed here: the roles that may know an "other" object
# exists without being allowed to act on it (public sites; inquiries the town
# team reads but only the owner unit answers).
KNOWN_TO = {
    ("PATCH", "/api/sites/{site_id}"): ANY,
    ("POST", "/api/sites/{site_id}/confirm"): ANY,
    ("POST", "/api/sites/{site_id}/photos"): ANY,
    ("DELETE", "/api/sites/{site_id}/photos/{photo_id}"): ANY,
    ("POST", "/api/sites/inquiries/{inquiry_id}/answer"): FIELD,
    # Admins see every demand; only its enterprise rates one.
    ("POST", "/api/demands/{demand_id}/rate"): {"admin"},
    # Admins see every demand; only its enterprise sends a site inquiry from it.
    ("POST", "/api/demands/{demand_id}/site-inquiries"): {"admin"},
    # Admins see every consultation; only the asking enterprise follows up or closes one.
    ("POST", "/api/consultations/{consultation_id}/follow-up"): {"admin"},
    ("POST", "/api/consultations/{consultation_id}/close"): {"admin"},
}


@pytest.mark.parametrize("role", ROLES)
def test_it_answers_for_what_a_role_may_not_see_as_for_what_does_not_exist(role, users, world, settings):
    settings.LOGIN_FAILURE_LIMIT = 10_000
    world["role"] = role
    world["me"] = users[role].username if role != "anonymous" else "nobody"
    leaks = []
    for (method, path), variants in sorted(MATRIX.items()):
        rule = variants.get("other")
        if rule is None or role in rule.allowed or role in KNOWN_TO.get((method, path), set()):
            continue
        answers = []
        for missing in (False, True):
            client = ApiClient()
            if role != "anonymous":
                client.force_login(users[role])
            answers.append(call(client, method, rule, world, "other", missing=missing).status_code)
        if answers[0] != answers[1]:
            leaks.append(f"{method} {path}: {answers[0]} for another's, {answers[1]} for none")
    assert leaks == []
