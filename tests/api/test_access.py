"""The access package is the only place that decides who sees whose data.

Three proofs: an AST scan that no module outside backend/access reads a user's
role, team or admin flag (a few ground-floor modules excepted, with reasons);
a spy over every selector/service that takes a user, each of which either goes
through an access rule or is classified as reading only the caller's own rows;
and the manager-without-org-unit rule, through the API.
"""

import ast
import datetime as dt
import importlib
import inspect
import pkgutil
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.functions import TruncMonth

import backend
from backend import access
from backend.accounts.models import OrgUnit, User
from backend.errors import Invalid, NotFound
from backend.demands.models import Demand
from backend.visits.models import Visit

pytestmark = pytest.mark.django_db

ROOT = Path(backend.__file__).parent
TZ = dt.timezone(dt.timedelta(hours=8))

# Modules allowed to read roles and teams themselves, and why.
ALLOWED = {
    "accounts": "the ground floor defines roles and org units; SMS login finds enterprise users; /me shows the role",
    "demo": "the demo loader creates the accounts of each role",
    "access": "the rules themselves",
}
ROLE_ATTRS = {"role", "is_admin", "is_superuser", "Role"}
USER_NAMES = {"user", "viewer", "reviewer", "staff", "subject", "rater", "owner"}


def _root(node: ast.AST) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _holder(node: ast.Attribute) -> str | None:
    """The name an attribute is read from: "user" for user.x and request.user.x."""
    value = node.value
    return value.id if isinstance(value, ast.Name) else value.attr if isinstance(value, ast.Attribute) else None


def _team_keyword(node: ast.keyword) -> bool:
    arg = node.arg
    if arg.startswith("owner_unit_id"):
        # Sites are filtered by their owner unit everywhere; only "the user's own unit" is a rule.
        return isinstance(node.value, ast.Attribute) and _holder(node.value) in USER_NAMES
    return any(arg == k or arg.startswith(k + "_") or f"__{k}" in arg for k in ("role", "org_unit"))


def _offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ROLE_ATTRS and _root(node) != "access":
            # request.user.role, user.is_admin, User.Role.MANAGER ...
            found.append(f"{path}:{node.lineno} .{node.attr}")
        elif isinstance(node, ast.keyword) and node.arg and _team_keyword(node):
            # .filter(role=...), .filter(staff__org_unit_id=...), .filter(owner_unit_id=user.owner_unit_id)
            found.append(f"{path}:{node.lineno} {node.arg}=")
        elif isinstance(node, ast.Compare):
            for side in [node.left, *node.comparators]:
                if (
                    isinstance(side, ast.Attribute)
                    and side.attr in {"org_unit_id", "enterprise_id", "owner_unit_id"}
                    and _holder(side) in USER_NAMES
                ):
                    # user.enterprise_id == visit.enterprise_id: a membership test belongs in access
                    found.append(f"{path}:{node.lineno} {_holder(side)}.{side.attr} compared")
    return found


def test_it_finds_no_role_or_team_check_outside_the_access_package():
    offences = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).parts
        if rel[0] in ALLOWED or "migrations" in rel:
            continue
        offences += _offences(path)
    assert not offences, "role/team checks outside backend/access:\n" + "\n".join(offences)


def test_it_would_catch_a_copied_rule(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "def f(user, qs):\n"
        "    if user.role == 'manager':\n"
        "        return qs.filter(staff__org_unit_id=user.org_unit_id)\n"
        "    return user.enterprise_id == 3\n"
    )
    assert len(_offences(bad)) == 3


# --- every selector that takes a user goes through access ---------------------------------------

# Reads and writes of the caller's own rows only (filtered by user=user / user_id=user.id):
# nobody else's data, so no scope to apply.
OWN_ONLY = {
    # The uploader's own file; the item it is linked to was decided by the domain's may_attach.
    "attachments.services.attachment_add",
    "attachments.services.attachment_discard",
    "attachments.services.attachment_store",
    "attachments.services.attachment_take_upload_budget",
    "accounts.services.privacy_acknowledge",
    "jobs.selectors.job_get",
    "jobs.services.job_create",
    "join.selectors.claim_latest",  # the claimant's own claim
    "join.services.claim_create",  # the claimant's own claim; auto-verification asked of access.join
    "notifications.selectors.notice_list",
    "notifications.selectors.unread_count",
    "notifications.services.notice_create",
    "notifications.services.notice_mark_read",
    "notifications.services.notices_mark_all_read",
    "sites.selectors.saved_search_list",
    "sites.services.saved_search_create",
    "sites.services.saved_search_delete",
    "sites.services.site_contact_reveal",  # public sites; the reveal is rate-limited per user
    "sites.selectors.site_detail",  # public sites; can_manage inside is spied below
    "sites.services.inquiry_create",  # the sender's own inquiry
    "visits.selectors.access_log_for",
    "visits.selectors.own_visit_get",
    "visits.services.visit_check_in",
    "visits.services.visit_check_out",
    "visits.services.flag_explain",
    "visits.services.visit_rate",  # standing decided by visits.rating_standing before
}


# Writes whose `user` argument is the subject, not a caller: the admin site and the demo loader call them.
SUBJECT_ONLY = {
    "enterprises.services.enterprise_member_add",
    "sites.services.owner_unit_member_add",
}


def _all_user_functions() -> set[str]:
    names = set()
    for app in pkgutil.iter_modules(backend.__path__):
        if not app.ispkg or app.name in ("access", "demo"):
            continue
        for module in ("selectors", "services", "trails", "nearby", "board"):
            try:
                mod = importlib.import_module(f"backend.{app.name}.{module}")
            except ModuleNotFoundError:
                continue
            for name, fn in inspect.getmembers(mod, inspect.isfunction):
                if fn.__module__ != mod.__name__ or name.startswith("_"):
                    continue
                if {"user", "viewer", "reviewer", "staff", "rater"} & set(inspect.signature(fn).parameters):
                    names.add(f"{app.name}.{module}.{name}")
    return names


def _visit(staff, enterprise, when, demands=0):
    visit = Visit.objects.create(
        client_id=uuid.uuid4(), staff=staff, enterprise=enterprise,
        checkin_at=when, checkin_received_at=when, checkin_lat=31.12, checkin_lng=121.42,
        distance_m=10, within_geofence=True, flags=["poor_accuracy"],
    )
    Demand.objects.bulk_create([
        Demand(visit=visit, enterprise=enterprise, raised_by=staff, channel="visit", category="labour", description="招工")
        for _ in range(demands)
    ])
    return visit


@pytest.fixture
def world(users, enterprise, owner_unit):
    from sites_support import make_site
    from backend.notifications.models import Batch
    from backend.sites.models import Inquiry

    day = dt.datetime(2026, 11, 10, 10, tzinfo=TZ)
    visit = _visit(users["staff"], enterprise, day, demands=1)
    site = make_site(owner_unit)
    inquiry = Inquiry.objects.create(site=site, user=users["enterprise"], enterprise=enterprise, message="想租", phone="13800001234")
    batch = Batch.objects.create(key="access-test", kind="t", title="t", channels="inbox")
    return {
        "visit": visit, "demand": visit.demands.get(), "site": site, "inquiry": inquiry, "batch": batch, "day": day.date(),
        "start": day - dt.timedelta(days=1), "end": day + dt.timedelta(days=1),
    }


def _not_found(fn, **kwargs):
    from backend.errors import NotFound

    with pytest.raises(NotFound):
        fn(**kwargs)


def _conflict(fn, **kwargs):
    from backend.errors import Conflict

    with pytest.raises(Conflict):
        fn(**kwargs)


def _jpeg() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 90, 200)).save(out, "JPEG")
    return out.getvalue()


def _consultation(users, enterprise):
    from django.utils import timezone

    from backend.consultations.models import Consultation

    now = timezone.now()
    return Consultation.objects.create(
        asked_by=users["enterprise"], enterprise=enterprise, category="policy", subject="补贴", official=users["staff"],
        deadline_from=now, working_days=2, deadline=now + dt.timedelta(days=2),
    )


def _site_demand(users, enterprise, world) -> int:
    """A 场地 demand, made when first asked (the world's demand counts stay as other tests expect)."""
    from backend.demands.models import Demand

    if "site_demand" not in world:
        world["site_demand"] = Demand.objects.create(
            enterprise=enterprise, raised_by=users["enterprise"], channel="app", category="site", description="要厂房",
            site_types=["factory"],
        )
    return world["site_demand"].id


def _policy(world):
    from backend.policies.models import Policy

    if "policy" not in world:
        world["policy"] = Policy.objects.create(title="稳增长奖励", issuer="经发办", status="published", rules={
            "match": "all", "conditions": [{"fact": "revenue", "op": ">=", "number": 2000, "clause": "第三条"}]})
    return world["policy"]


def _project(users, world, key="project"):
    """A project led by the world's staff member, made when first asked."""
    from backend.projects.services import project_create

    if key not in world:
        world[key] = project_create(user=users["staff"], name="项目", investor_name="某公司", investment_wan=100, source="fair")
    return world[key]


def _calls(users, enterprise, world):
    from backend.consultations import selectors as cs
    from backend.consultations import services as cserv
    from backend.demands import selectors as ds
    from backend.demands import board as ds_board
    from backend.demands import services as dserv
    from backend.economy import selectors as econ
    from backend.economy import services as econserv
    from backend.enterprises import nearby
    from backend.enterprises import selectors as es
    from backend.join import selectors as js
    from backend.join import services as jserv
    from backend.notifications import selectors as ns
    from backend.policies import selectors as ps
    from backend.policies import services as pserv
    from backend.reports import selectors as rs
    from backend.reports import services as rserv
    from backend.sites import selectors as ss
    from backend.sites import services as sserv
    from backend.visits import selectors as vs
    from backend.visits import services as vserv
    from backend.visits import trails
    from backend.workdays import services as wserv
    from backend.projects import selectors as prs
    from backend.projects import services as prserv

    m, a, own, o = users["manager"], users["admin"], users["enterprise"], users["owner"]
    d = world["day"]
    return {
        # name: (call, the access rule it must go through)
        "consultations.selectors.consultations_visible_to": (
            lambda: list(cs.consultations_visible_to(user=m)), "consultations.consultations_q"
        ),
        "consultations.selectors.consultation_list": (
            lambda: list(cs.consultation_list(user=m, held_by_me=True)), "consultations.held_by_q"
        ),
        "consultations.selectors.consultation_get": (
            lambda: cs.consultation_get(user=own, consultation_id=_consultation(users, enterprise).id), "consultations.consultations_q"
        ),
        "consultations.selectors.consultation_actions": (
            lambda: cs.consultation_actions(user=m, consultation=_consultation(users, enterprise)), "consultations.relations"
        ),
        "consultations.selectors.on_time_rates": (lambda: cs.on_time_rates(user=m, month="2026-11"), "consultations.stats_scope"),
        "consultations.selectors.on_time_rows": (lambda: list(cs.on_time_rows(user=m, month="2026-11")), "consultations.stats_scope"),
        "consultations.services.consultation_ask": (
            lambda: cserv.consultation_ask(user=own, category="policy", subject="补贴", text="怎么申请"), "consultations.asker_enterprise"
        ),
        "consultations.services.consultation_answer": (
            lambda: cserv.consultation_answer(user=users["staff"], consultation_id=_consultation(users, enterprise).id, text="答"),
            "consultations.relations",
        ),
        "consultations.services.consultation_follow_up": (
            lambda: cserv.consultation_follow_up(user=own, consultation_id=_consultation(users, enterprise).id, text="再问"),
            "consultations.relations",
        ),
        "consultations.services.consultation_close": (
            lambda: cserv.consultation_close(user=own, consultation_id=_consultation(users, enterprise).id), "consultations.relations"
        ),
        "consultations.services.consultation_reassign": (
            lambda: cserv.consultation_reassign(user=m, consultation_id=_consultation(users, enterprise).id, official_id=m.id),
            "consultations.reassign_target",
        ),
        "consultations.services.consultation_convert": (
            lambda: cserv.consultation_convert(user=users["staff"], consultation_id=_consultation(users, enterprise).id),
            "consultations.relations",
        ),
        "policies.selectors.policies_visible_to": (lambda: list(ps.policies_visible_to(user=own)), "policies.policies_q"),
        "policies.selectors.policy_list": (lambda: list(ps.policy_list(user=own)), "policies.policies_q"),
        "policies.selectors.policy_get": (lambda: ps.policy_get(user=own, policy_id=_policy(world).id), "policies.policies_q"),
        "policies.selectors.live_policies": (lambda: list(ps.live_policies(user=own, today=d)), "policies.policies_q"),
        "policies.selectors.fact_list": (lambda: list(ps.fact_list(user=m, enterprise_id=enterprise.id)), "policies.subject_enterprise"),
        "policies.selectors.policy_matches": (lambda: ps.policy_matches(user=own, enterprise_id=None), "policies.subject_enterprise"),
        "policies.services.policy_create": (
            lambda: pserv.policy_create(user=a, title="新政策", issuer="经发办", rules={"match": "all", "conditions": []}),
            "policies.require_policy_editor",
        ),
        "policies.services.policy_update": (
            lambda: pserv.policy_update(user=a, policy_id=_policy(world).id, changes={"benefits": "奖励"}),
            "policies.require_policy_editor",
        ),
        "policies.services.fact_record": (
            lambda: pserv.fact_record(user=own, enterprise_id=None, key="employees", number=12), "policies.subject_enterprise"
        ),
        "policies.services.policy_ask": (
            lambda: pserv.policy_ask(user=own, policy_id=_policy(world).id, text="怎么申请"), "policies.policies_q"
        ),
        "demands.selectors.demands_visible_to": (lambda: list(ds.demands_visible_to(user=own)), "demands.demands_q"),
        "demands.selectors.demand_counts_by_staff": (
            lambda: ds.demand_counts_by_staff(user=m, start=world["start"], end=world["end"]),
            "core.staff_scope",
        ),
        "demands.selectors.demand_counts_by_period": (
            lambda: list(ds.demand_counts_by_period(user=m, start=world["start"], end=world["end"], trunc=TruncMonth)),
            "core.staff_scope",
        ),
        "demands.selectors.desk_counts_by_staff": (
            lambda: ds.desk_counts_by_staff(user=m, start=world["start"], end=world["end"]), "core.staff_scope"
        ),
        "demands.selectors.desk_counts_by_period": (
            lambda: list(ds.desk_counts_by_period(user=m, start=world["start"], end=world["end"], trunc=TruncMonth, metric="demands_resolved")),
            "core.staff_scope",
        ),
        "demands.board.demand_board": (lambda: ds_board.demand_board(user=m), "demands.board_scope"),
        "demands.selectors.demands_for_export": (
            lambda: list(ds.demands_for_export(user=m, start=world["start"], end=world["end"])), "demands.ledger_export_q"
        ),
        "reports.selectors.demands_for_export": (lambda: list(rs.demands_for_export(user=m, date_from=d, date_to=d)), "demands.ledger_export_q"),
        "reports.selectors.demands_export_size": (lambda: rs.demands_export_size(user=m, date_from=d, date_to=d), "demands.ledger_export_q"),
        "demands.selectors.demand_list": (lambda: list(ds.demand_list(user=m, assigned_to_me=True)), "demands.assigned_to_q"),
        "demands.selectors.demand_get": (lambda: ds.demand_get(user=own, demand_id=world["demand"].id), "demands.demands_q"),
        "demands.selectors.demand_actions": (lambda: ds.demand_actions(user=m, demand=world["demand"]), "demands.relations"),
        "demands.selectors.demand_can_attach": (lambda: ds.demand_can_attach(user=m, demand=world["demand"]), "demands.may_attach"),
        "demands.services.demand_attach": (
            lambda: dserv.demand_attach(user=own, demand_id=world["demand"].id, name="a.jpg", data=_jpeg()), "demands.may_attach"
        ),
        "consultations.selectors.reassign_targets": (lambda: cs.reassign_targets(user=m), "consultations.reassign_targets"),
        "consultations.selectors.consultation_can_attach": (
            lambda: cs.consultation_can_attach(user=m, consultation=_consultation(users, enterprise)), "consultations.may_attach"
        ),
        "consultations.services.consultation_attach": (
            lambda: cserv.consultation_attach(
                user=own, consultation_id=_consultation(users, enterprise).id, name="a.jpg", data=_jpeg()
            ),
            "consultations.may_attach",
        ),
        "demands.services.demand_raise": (
            lambda: dserv.demand_raise(user=own, category="labour", description="招工"), "demands.raise_for"
        ),
        # One demand through its whole life, in order.
        "demands.services.demand_assign": (
            lambda: dserv.demand_assign(user=m, demand_id=world["demand"].id, assignee_id=users["staff"].id), "demands.relations"
        ),
        "demands.services.demand_verify": (lambda: dserv.demand_verify(user=users["staff"], demand_id=world["demand"].id), "demands.relations"),
        "demands.services.demand_handle": (lambda: dserv.demand_handle(user=users["staff"], demand_id=world["demand"].id), "demands.relations"),
        "demands.services.demand_resolve": (
            lambda: dserv.demand_resolve(user=users["staff"], demand_id=world["demand"].id, resolution="已解决"), "demands.relations"
        ),
        "demands.services.demand_rate": (
            lambda: dserv.demand_rate(user=own, demand_id=world["demand"].id, rating="satisfied"), "demands.relations"
        ),
        "demands.selectors.site_suggestions": (
            lambda: ds.site_suggestions(user=own, demand_id=_site_demand(users, enterprise, world)), "demands.can_inquire_for"
        ),
        "demands.services.demand_site_needs_set": (
            lambda: dserv.demand_site_needs_set(user=m, demand_id=_site_demand(users, enterprise, world), needs={"types": ["factory"]}),
            "demands.can_set_site_needs",
        ),
        "demands.services.demand_site_inquiry": (
            lambda: dserv.demand_site_inquiry(user=own, demand_id=_site_demand(users, enterprise, world), site_id=world["site"].id, message="想租"),
            "demands.can_inquire_for",
        ),
        "join.selectors.claim_list": (lambda: list(js.claim_list(reviewer=m)), "join.claims_q"),
        # No such claim: the scope is still asked first, and the answer is a 404.
        "join.services.claim_approve": (lambda: _not_found(jserv.claim_approve, reviewer=m, claim_id=987654321), "join.claims_q"),
        "join.services.claim_reject": (lambda: _not_found(jserv.claim_reject, reviewer=m, claim_id=987654321, reason="不符"), "join.claims_q"),
        "enterprises.selectors.enterprises_visible_to": (lambda: list(es.enterprises_visible_to(user=own)), "enterprises.enterprises_q"),
        "enterprises.selectors.enterprise_list": (lambda: list(es.enterprise_list(user=m)), "enterprises.require_directory_reader"),
        "enterprises.selectors.enterprise_get": (lambda: es.enterprise_get(user=own, enterprise_id=enterprise.id), "enterprises.enterprises_q"),
        "enterprises.nearby.enterprises_nearby": (lambda: nearby.enterprises_nearby(user=m, lat=31.12, lng=121.42), "enterprises.require_nearby_reader"),
        "notifications.selectors.batch_get": (lambda: ns.batch_get(user=a, batch_id=world["batch"].id), "core.require_admin"),
        "reports.selectors.team_members": (lambda: list(rs.team_members(user=m)), "core.staff_scope"),
        "reports.selectors.team_report": (lambda: rs.team_report(user=m, date_from=d, date_to=d), "core.staff_scope"),
        "reports.selectors.team_scope": (lambda: rs.team_scope(user=m), "core.staff_scope"),
        "reports.selectors.visits_for_export": (lambda: list(rs.visits_for_export(user=m, date_from=d, date_to=d)), "core.staff_scope"),
        "reports.selectors.visits_export_size": (lambda: rs.visits_export_size(user=m, date_from=d, date_to=d), "core.staff_scope"),
        "reports.selectors.visits_export_subjects": (lambda: rs.visits_export_subjects(user=m, date_from=d, date_to=d), "core.staff_scope"),
        "reports.services.export_request": (
            lambda: rserv.export_request(user=m, kind="visits", date_from=d, date_to=d, fmt="csv", ip=None),
            "core.staff_scope",
        ),
        "reports.selectors.trends": (lambda: rs.trends(user=m, metric="demands", granularity="month", date_from=d, date_to=d), "core.staff_scope"),
        "reports.selectors.dashboard": (lambda: rs.dashboard(user=m, month=d.replace(day=1)), "reports.require_report_reader"),
        "sites.selectors.can_answer": (lambda: ss.can_answer(user=o, inquiry=world["inquiry"]), "sites.can_manage_site"),
        "sites.selectors.can_manage": (lambda: ss.can_manage(user=o, site=world["site"]), "sites.can_manage_site"),
        "sites.selectors.site_as_dict": (lambda: ss.site_as_dict(world["site"], user=o), "sites.can_manage_site"),
        "sites.selectors.inquiries_visible_to": (lambda: list(ss.inquiries_visible_to(user=o)), "sites.inquiries_q"),
        "sites.selectors.inquiry_list": (lambda: list(ss.inquiry_list(user=o)), "sites.inquiries_q"),
        "sites.selectors.inquiry_get": (lambda: ss.inquiry_get(user=o, inquiry_id=world["inquiry"].id), "sites.inquiries_q"),
        "sites.selectors.sites_managed_by": (lambda: list(ss.sites_managed_by(user=o)), "sites.managed_sites_q"),
        "sites.selectors.site_for_manager": (lambda: ss.site_for_manager(user=o, site_id=world["site"].id), "sites.managed_sites_q"),
        "sites.services.site_update": (lambda: sserv.site_update(user=o, site_id=world["site"].id, changes={}), "sites.managed_sites_q"),
        "sites.services.site_confirm": (lambda: sserv.site_confirm(user=o, site_id=world["site"].id), "sites.managed_sites_q"),
        "sites.services.inquiry_answer": (lambda: sserv.inquiry_answer(user=o, inquiry_id=world["inquiry"].id, answer="可以"), "sites.can_manage_site"),
        "visits.selectors.visits_visible_to": (lambda: list(vs.visits_visible_to(user=m)), "core.staff_scope"),
        "visits.selectors.visit_list": (lambda: list(vs.visit_list(user=m)), "core.staff_scope"),
        "visits.selectors.visit_get": (lambda: vs.visit_get(user=m, visit_id=world["visit"].id), "core.staff_scope"),
        "visits.selectors.rating_standing": (lambda: vs.rating_standing(visit=world["visit"], user=own, official_device=False), "visits.rating_standing"),
        "visits.trails.field_staff_visible_to": (lambda: trails.field_staff_visible_to(viewer=m, staff_id=users["staff"].id), "core.staff_scope"),
        "visits.trails.trail_get": (lambda: trails.trail_get(viewer=m, staff_id=users["staff"].id, day=d, ip=None), "core.staff_scope"),
        "workdays.services.year_schedule_set": (
            lambda: wserv.year_schedule_set(user=a, year=2027, holidays=[], workdays=[]),
            "workdays.require_calendar_editor",
        ),
        "projects.selectors.projects_visible_to": (lambda: list(prs.projects_visible_to(user=m)), "projects.projects_q"),
        "projects.selectors.project_list": (lambda: list(prs.project_list(user=m, stale=True)), "projects.projects_q"),
        "projects.selectors.project_get": (
            lambda: prs.project_get(user=m, project_id=_project(users, world).id), "projects.projects_q"
        ),
        "projects.selectors.project_actions": (
            lambda: prs.project_actions(user=m, project=_project(users, world)), "projects.is_supervisor"
        ),
        "projects.selectors.dashboard": (lambda: prs.dashboard(user=m), "projects.projects_q"),
        "projects.selectors.packet_build": (lambda: prs.packet_build(user=m, since=d), "projects.projects_q"),
        "projects.services.project_create": (
            lambda: prserv.project_create(user=m, name="项目", investor_name="某公司", investment_wan=1, source="fair"),
            "projects.lead_for",
        ),
        "projects.services.project_update": (
            lambda: prserv.project_update(user=m, project_id=_project(users, world).id, changes={"plot": "东区"}), "projects.projects_q"
        ),
        "projects.services.project_attach": (
            lambda: prserv.project_attach(user=m, project_id=_project(users, world).id, name="a.jpg", data=_jpeg()),
            "projects.projects_q",
        ),
        "projects.services.follow_up_add": (
            lambda: prserv.follow_up_add(user=m, project_id=_project(users, world).id, note="沟通"), "projects.projects_q"
        ),
        "projects.services.project_move": (
            lambda: prserv.project_move(user=m, project_id=_project(users, world).id, to="talks"), "projects.projects_q"
        ),
        "projects.services.project_reassign": (
            lambda: prserv.project_reassign(user=m, project_id=_project(users, world).id, lead_id=m.id), "projects.require_reassigner"
        ),
        "projects.services.project_drop": (
            lambda: prserv.project_drop(user=m, project_id=_project(users, world, "dropped").id, comment="撤回"), "projects.projects_q"
        ),
        "projects.services.project_decide": (
            lambda: _conflict(prserv.project_decide, user=m, project_id=_project(users, world, "undecided").id, approve=True),
            "projects.projects_q",
        ),
        "visits.services.flag_review_set": (
            lambda: vserv.flag_review_set(reviewer=m, visit_id=world["visit"].id, flag="poor_accuracy", status="accepted", comment=""),
            "visits.require_flag_reviewer",
        ),
        "economy.selectors.economy_figures": (
            lambda: econ.economy_figures(user=m, metric="tax", month=dt.date(2026, 10, 1), kind="month", scope="all", by="industry"),
            "economy.require_economy_reader",
        ),
        "economy.selectors.economy_rows": (
            lambda: econ.economy_rows(user=m, metric="tax", month=dt.date(2026, 10, 1), kind="ytd", scope="all", by="none", group="all"),
            "economy.require_economy_reader",
        ),
        "economy.selectors.economy_trend": (
            lambda: econ.economy_trend(user=m, metric="tax", end=dt.date(2026, 10, 1), months=12, scope="all"),
            "economy.require_economy_reader",
        ),
        "economy.selectors.indicator_out": (
            lambda: _suppress(NotFound, lambda: econ.indicator_out(user=m, indicator_id=1)),
            "economy.require_economy_reader",
        ),
        "economy.services.indicator_correct": (
            lambda: _suppress(NotFound, lambda: econserv.indicator_correct(user=a, indicator_id=1, field="tax", value=None, reason="x")),
            "economy.require_economy_editor",
        ),
        "economy.services.indicators_import_upload": (
            lambda: _suppress(Invalid, lambda: econserv.indicators_import_upload(user=a, upload=SimpleUploadedFile("x.xlsx", b"not a workbook"), dry_run=True)),
            "economy.require_economy_editor",
        ),
    }


def _suppress(error, call):
    """Runs a call that is refused after its access check (no such row, a bad file)."""
    with pytest.raises(error):
        call()


def test_it_sends_every_selector_of_other_peoples_data_through_access(users, enterprise, world):
    calls = _calls(users, enterprise, world)
    unclassified = _all_user_functions() - set(calls) - OWN_ONLY - SUBJECT_ONLY
    assert not unclassified, f"classify these: spy them in _calls or list them in OWN_ONLY: {sorted(unclassified)}"
    for name, (call, expected) in calls.items():
        with access.core.trace() as seen:
            call()
        assert expected in seen, f"{name} did not go through access.{expected} (saw {seen})"


# --- a manager without an org unit ------------------------------------------------------------


@pytest.fixture
def unitless(users, enterprise):
    manager = User.objects.create_user(username="lone_manager", password="pw-12345678", role="manager", org_unit=None)
    loose = User.objects.create_user(username="loose_staff", password="pw-12345678", role="staff", org_unit=None)
    day = dt.datetime(2026, 11, 10, 10, tzinfo=TZ)
    _visit(manager, enterprise, day)
    _visit(loose, enterprise, day + dt.timedelta(hours=1), demands=2)  # another unit-less person
    _visit(users["staff"], enterprise, day + dt.timedelta(hours=2))  # someone in a team
    return {"manager": manager, "loose": loose}


def test_it_shows_a_manager_without_an_org_unit_only_themselves_and_says_why(client, users, unitless):
    client.login_as("lone_manager", "pw-12345678")
    month = {"date_from": "2026-11-01", "date_to": "2026-11-30"}
    report = client.get("/api/reports/team", month).json()
    assert [r["staff_id"] for r in report["rows"]] == [unitless["manager"].id]
    assert report["totals"]["visits"] == 1 and report["totals"]["demands"] == 0
    assert report["scope"]["kind"] == "self"
    assert "尚未设置所属科室" in report["scope"]["explanation"]
    trends = client.get("/api/reports/trends", {**month, "metric": "visits"}).json()["series"]
    assert trends[0]["value"] == 1

    trail = client.get("/api/trails", {"staff_id": unitless["manager"].id, "date": "2026-11-10"}).json()
    assert trail["scope"]["kind"] == "self" and "尚未设置所属科室" in trail["scope"]["explanation"]
    for other in (unitless["loose"], users["staff"]):
        assert client.get("/api/trails", {"staff_id": other.id, "date": "2026-11-10"}).status_code == 404
    visits = client.get("/api/visits", {"date_from": "2026-11-01", "date_to": "2026-11-30"}).json()
    assert {v["staff_id"] for v in visits["items"]} == {unitless["manager"].id}

    export = client.get("/api/reports/visits/export", {**month, "format": "csv"})
    assert export.status_code == 200
    assert export.content.decode("utf-8-sig").count("\n") == 3  # header, one visit, totals


def test_it_tells_a_manager_with_a_unit_that_they_see_their_unit(client, users):
    client.login_as("demo_manager")
    report = client.get("/api/reports/team", {"date_from": "2026-11-01", "date_to": "2026-11-30"}).json()
    assert report["scope"]["kind"] == "unit"
    assert {r["staff_id"] for r in report["rows"]} == {users["staff"].id, users["manager"].id}


def test_it_writes_the_same_scope_as_a_queryset_filter_and_as_sql(users, unitless, enterprise):
    from django.db import connection

    for user in (users["admin"], users["manager"], users["staff"], unitless["manager"], users["owner"]):
        scope = access.staff_scope(user)
        by_orm = set(Visit.objects.filter(scope.q("staff__")).values_list("id", flat=True))
        predicate, params = scope.sql("v.staff_id")
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT v.id FROM visits_visit v WHERE {predicate}", params)
            by_sql = {row[0] for row in cursor.fetchall()}
        assert by_orm == by_sql, user.username
    assert access.staff_scope(users["owner"]).kind == "none"


def test_it_shows_demands_to_their_enterprise_and_the_visiting_team_only(users, enterprise, world):
    from backend.demands.selectors import demands_visible_to

    other_team = OrgUnit.objects.create(code="T9", name="别组", kind="team")
    outsider = User.objects.create_user(username="other_manager", password="pw-12345678", role="manager", org_unit=other_team)
    assert demands_visible_to(user=users["enterprise"]).count() == 1
    assert demands_visible_to(user=users["manager"]).count() == 1
    assert demands_visible_to(user=users["admin"]).count() == 1
    assert demands_visible_to(user=outsider).count() == 0
    assert demands_visible_to(user=users["owner"]).count() == 0
