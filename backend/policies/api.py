from django.http import HttpRequest
from ninja import Query, Router, Status

from backend.kernel.paging import page

from . import selectors, services
from .models import EnterpriseFact, Policy
from .schemas import (
    AskPolicyIn, AskPolicyOut, CatalogueOut, FactIn, FactOut, FactPageOut, FactQuery, MatchPageOut, MatchQuery,
    PolicyIn, PolicyListQuery, PolicyOut, PolicyPageOut, PolicyPatchIn,
)
from .facts import FACTS

router = Router(tags=["policies"])
me_router = Router(tags=["policies"])


def policy_out(p: Policy) -> dict:
    return {
        "id": p.id, "title": p.title, "issuer": p.issuer, "document_no": p.document_no, "summary": p.summary,
        "benefits": p.benefits, "valid_from": p.valid_from, "valid_until": p.valid_until, "status": p.status,
        "status_label": p.get_status_display(), "rules": p.rules, "conditions_text": selectors.conditions_text(p.rules),
        "updated_at": p.updated_at,
    }


def fact_out(f: EnterpriseFact) -> dict:
    return {
        "id": f.id, "enterprise_id": f.enterprise_id, "key": f.key, "label": FACTS[f.key].label, "year": f.year or None,
        "number": f.number, "text": f.text, "held": f.held, "valid_from": f.valid_from, "valid_until": f.valid_until,
        "source": f.source, "source_label": f.get_source_display(), "as_of": f.as_of, "recorded_at": f.recorded_at,
    }


@router.get("", response=PolicyPageOut, summary="Policies I may read (admins: drafts too)")
def list_policies(request: HttpRequest, params: Query[PolicyListQuery]):
    qs = selectors.policy_list(user=request.user, status=params.status)
    return page(qs, limit=params.limit, offset=params.offset, shape=policy_out)


@router.post("", response={201: PolicyOut}, summary="Create a policy with structured conditions (admins)")
def create_policy(request: HttpRequest, payload: PolicyIn):
    data = payload.model_dump()
    policy = services.policy_create(user=request.user, **data)
    return Status(201, policy_out(policy))


@router.get("/catalogue", response=CatalogueOut, summary="The facts a condition may use, with their comparisons (the editor's form)")
def catalogue(request: HttpRequest):
    selectors.policies_visible_to(user=request.user)  # readers only
    return selectors.catalogue()


@router.get("/facts", response=FactPageOut, summary="An enterprise's recorded facts with their source and date")
def list_facts(request: HttpRequest, params: Query[FactQuery]):
    qs = selectors.fact_list(user=request.user, enterprise_id=params.enterprise_id)
    return page(qs, limit=params.limit, offset=params.offset, shape=fact_out)


@router.post("/facts", response={201: FactOut}, summary="Record or correct a fact (an enterprise: its own, marked 企业自报)")
def record_fact(request: HttpRequest, payload: FactIn):
    fact = services.fact_record(user=request.user, **payload.model_dump())
    return Status(201, fact_out(fact))


@router.get("/{id:policy_id}", response=PolicyOut, summary="One policy")
def get_policy(request: HttpRequest, policy_id: int):
    return policy_out(selectors.policy_get(user=request.user, policy_id=policy_id))


@router.patch("/{id:policy_id}", response=PolicyOut, summary="Change a policy (admins)")
def update_policy(request: HttpRequest, policy_id: int, payload: PolicyPatchIn):
    changes = payload.model_dump(exclude_unset=True)
    return policy_out(services.policy_update(user=request.user, policy_id=policy_id, changes=changes))


@router.post("/{id:policy_id}/ask", response={201: AskPolicyOut}, summary="Ask about this policy: opens a consultation (enterprise accounts)")
def ask(request: HttpRequest, policy_id: int, payload: AskPolicyIn):
    c = services.policy_ask(user=request.user, policy_id=policy_id, text=payload.text)
    return Status(201, {"consultation_id": c.id, "url": f"#/consultations/{c.id}"})


@me_router.get("/policy-matches", response=MatchPageOut, summary="政策计算器: every live policy against my enterprise (staff: ?enterprise_id=)")
def policy_matches(request: HttpRequest, params: Query[MatchQuery]):
    enterprise, rows = selectors.policy_matches(user=request.user, enterprise_id=params.enterprise_id)
    counts = {k: sum(1 for r in rows if r["outcome"] == k) for k in ("eligible", "unknown", "ineligible")}
    counts["near_miss"] = sum(1 for r in rows if r["near_miss"])
    if params.outcome:
        rows = [r for r in rows if r["outcome"] == params.outcome]
    return page(rows, limit=params.limit, offset=params.offset, enterprise_id=enterprise.id,
                enterprise_name=enterprise.name, counts=counts)
