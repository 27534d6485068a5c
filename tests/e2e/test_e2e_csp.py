"""Every screen of the PWA, for every role, under the Content-Security-Policy the
app itself sends (issue #6, acceptance 5): no violation event, no CSP message in
the console, no uncaught error. A route added to nav.js without a visit here fails.

The policy comes from settings.CONTENT_SECURITY_POLICY, which does not depend on
DEBUG or HTTPS: the live server sends what production sends (production adds the
map-tile origins to img-src only when MAP_TILES is set).
"""

import datetime as dt
import re
import uuid
from pathlib import Path

import pytest
from e2e_support import log_in, wait_until
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

FRONTEND = Path(__file__).resolve().parents[2] / "frontend_static"
WATCH_CSP = (
    "window.__csp = []; document.addEventListener('securitypolicyviolation',"
    " (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
)
# The screen is this route's and no visible spinner is left (hidden ones wait for later use).
SETTLED = (
    "(route) => document.querySelector('#app').dataset.route === route"
    " && ![...document.querySelectorAll('#screen [data-state=loading]')].some((e) => e.offsetParent !== null)"
)


def route_names() -> set[str]:
    """Every route of every domain's registry (<domain>/routes.js)."""
    names = set()
    for path in FRONTEND.glob("*/routes.js"):
        names |= set(re.findall(r'^\s+"?([\w-]+)"?: \{\s*screen:', path.read_text(), re.M))
    return names


@pytest.fixture
def world(users, town):
    """One of everything a screen can show: a finished visit with its rating link,
    a site of the owner's unit, an enterprise's inquiry about it and its consultation."""
    from django.utils import timezone

    from backend.consultations.services import consultation_ask

    from backend.enterprises.models import Enterprise
    from backend.sites.models import OwnerUnit, Site
    from backend.sites.services import inquiry_create, site_derive
    from backend.visits.services import visit_check_in, visit_check_out

    staff, enterprise = users["staff"], Enterprise.objects.get(members__user=users["enterprise"])
    now = timezone.now()
    visit, _ = visit_check_in(
        staff=staff, client_id=uuid.uuid4(), enterprise_id=enterprise.id, lat=31.1211, lng=121.4211, accuracy_m=10,
        speed=None, heading=None, captured_at=now - dt.timedelta(hours=1), queued=False, ip=None, digest="csp-in",
    )
    visit, _ = visit_check_out(
        staff=staff, visit_ref=str(visit.id), client_id=uuid.uuid4(), lat=31.1212, lng=121.4212, accuracy_m=10,
        captured_at=now - dt.timedelta(minutes=20), purpose="demand_collection", people_met="李总",
        summary="了解扩产需求", demands=[{"category": "labour", "text": "需要招聘20名熟练工"}], digest="csp-out",
    )
    site = site_derive(
        Site(
            owner_unit=OwnerUnit.objects.get(members__user=users["owner"]), name="测试村西厂房", type="factory", status="vacant",
            lng=121.415, lat=31.118, building_area_m2=800, rent_value=0.9, rent_unit="yuan_m2_day",
            address="测试镇工业路2号", village="测试村", contact_name="胡春倩", contact_mobile="13912345678",
            last_confirmed=timezone.localdate(),
        )
    )
    site.save()
    inquiry_create(user=users["enterprise"], site_id=site.id, message="想了解租金和层高")
    enterprise.assigned_staff = staff  # the named official: the staff member (their manager sees it too)
    enterprise.save()
    consultation = consultation_ask(user=users["enterprise"], category="policy", subject="研发补贴", text="怎么申请？")
    from backend.projects.services import project_create

    project = project_create(user=staff, name="电池包项目", enterprise_id=enterprise.id, investment_wan=1000, source="visit",
                             visit_ids=[visit.id])
    return {"visit": visit, "site": site, "staff": staff, "consultation": consultation, "project": project}


def screens_by_role(world) -> dict:
    visit, site, staff = world["visit"], world["site"], world["staff"]
    demand = visit.demands.get().id  # recorded at the check-out: 待交办
    asked = world["consultation"].id
    project = world["project"].id
    return {
        None: ["login", "help", "sites", f"sites/{site.id}", f"rate/{visit.rating_token}", "join"],
        "staff": ["nearby", "visits", f"visit/{visit.id}", "demands", f"demands/{demand}", "demands/new", "consultations", f"consultations/{asked}", "my-trail", "me", "privacy", "help", "join-review",
                  f"policies?enterprise={visit.enterprise_id}", "projects", f"projects/{project}", f"projects/new?visit={visit.id}"],
        "manager": ["team", f"trails?staff={staff.id}", "reports", "demands?tab=overdue", f"demands/{demand}", "consultations?tab=unit", f"consultations/{asked}", "me", "join-review?status=all",
                    "demand-board", "demand-board/list?due=overdue", "demand-rates?kind=consultations",
                    "economy", "economy-rows?metric=tax&month=2026-10&kind=ytd&scope=all&by=none&group=all&which=yoy",
                    "projects?stage=talks", f"projects/{project}", "projects/packet"],
        "admin": ["team", f"team-trail?staff={staff.id}", "reports", "sites", "demands", "consultations?tab=waiting", "me", "join-review", "demand-rates", "economy?by=size", "projects/packet"],
        "enterprise": ["sites", f"sites/{site.id}", "messages", "demands", f"demands/{demand}", "demands/new", "consultations", f"consultations/{asked}", "consultations/new", "me", "join-company", "policies"],
        "owner": ["my-sites", f"my-sites/{site.id}", "inquiries", "me"],
    }


def test_it_opens_every_screen_for_every_role_without_a_csp_violation(new_context, world):
    plan = screens_by_role(world)
    covered = {re.split(r"[/?]", path)[0] for paths in plan.values() for path in paths}
    assert covered == route_names(), "a route in a routes.js has no visit in this test (or the other way round)"

    for role, paths in plan.items():
        context = new_context(geolocation={"latitude": 31.1213, "longitude": 121.4212, "accuracy": 15}, permissions=["geolocation"])
        # Six roles' screens in one test: on a loaded CI machine one step may take longer.
        context.set_default_timeout(20_000)
        page = context.new_page()
        page.add_init_script(WATCH_CSP)
        console, errors = [], []
        page.on("console", lambda message: console.append(message.text) if "Content Security Policy" in message.text else None)
        page.on("pageerror", lambda error: errors.append(str(error)))

        response = page.goto("/")
        policy = response.headers["content-security-policy"]
        script_src = re.search(r"script-src ([^;]+)", policy).group(1)
        assert script_src.strip() == "'self'", policy
        assert "unsafe-eval" not in policy

        if role:
            try:
                log_in(page, f"e2e_{role}")
            except Exception as error:
                state = page.evaluate(
                    "({hash: location.hash, error: document.querySelector('#login-error')?.textContent,"
                    " route: document.querySelector('#app')?.dataset.route})"
                )
                raise AssertionError(f"{role} could not log in: {state}; page errors {errors}") from error
        for path in paths:
            page.goto(f"/#/{path}")
            name = re.split(r"[/?]", path)[0]
            wait_until(page, f"({SETTLED})({name!r})")
            expect(page.locator("#screen")).not_to_be_empty()
            # Maps, charts and lazy parts finish after the first data arrives.
            page.wait_for_timeout(300)
            assert page.evaluate("window.__csp") == [], f"{role or 'anonymous'} {path}"
        assert console == [], f"{role or 'anonymous'}: {console}"
        assert errors == [], f"{role or 'anonymous'}: {errors}"
        context.close()
