"""Reads: policies, enterprise facts, and each enterprise's matches with their reasons.

Matching is the pure-Python engine (engine.py) over facts loaded in bulk; for one policy's
recipients among many enterprises, `policy_candidates` first narrows the enterprises in SQL
by the policy's top-level numeric conditions (docs/policies.md has the benchmark behind this).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from backend import access
from backend.accounts.models import User
from backend.enterprises.models import Enterprise
from backend.errors import NotFound

from . import engine
from .facts import FACTS, OP_LABELS
from .models import EnterpriseFact, Policy

OUTCOME_LABELS = {"eligible": "符合", "ineligible": "不符合", "unknown": "待补充"}


def policies_visible_to(*, user: User) -> QuerySet[Policy]:
    access.policies.require_policy_reader(user)
    return Policy.objects.filter(access.policies.policies_q(user))


def policy_list(*, user: User, status: str | None = None) -> QuerySet[Policy]:
    qs = policies_visible_to(user=user)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-updated_at", "-id")


def policy_get(*, user: User, policy_id: int) -> Policy:
    policy = policies_visible_to(user=user).filter(id=policy_id).first()
    if policy is None:
        raise NotFound("政策不存在或尚未发布")
    return policy


def conditions_text(rules: dict) -> list[str]:
    """The conditions in words, for the policy's page ("2025年营业收入 ≥ 2,000 万元（第三条）")."""
    out: list[str] = []

    def leaf(c: dict) -> str:
        fact = FACTS[c["fact"]]
        year = c.get("year") or ("上一年度" if fact.yearly else "")
        label = f"{year}{'年' if isinstance(year, int) else ''}{fact.label}"
        return f"{label} {engine._threshold_text(c, fact)}" + (f"（{c['clause']}）" if c.get("clause") else "")

    for c in (rules or {}).get("conditions", []):
        if "fact" in c:
            out.append(leaf(c))
        else:
            joiner = "，且" if c["match"] == "all" else "，或"
            out.append(("满足其一：" if c["match"] == "any" else "全部满足：") + joiner.join(leaf(x) for x in c["conditions"]))
    if (rules or {}).get("match") == "any" and len(out) > 1:
        out = ["以下满足其一："] + out
    return out


def catalogue() -> dict:
    return {
        "facts": [
            {"key": f.key, "label": f.label, "kind": f.kind, "unit": f.unit, "yearly": f.yearly, "derived": f.derived,
             "ops": list(f.ops), "choices": [{"value": v, "label": lbl} for v, lbl in f.choices]}
            for f in FACTS.values()
        ],
        "op_labels": OP_LABELS,
        "default_year": engine.default_year(timezone.localdate()),
    }


# --- facts ---------------------------------------------------------------------------------


def fact_list(*, user: User, enterprise_id: int | None) -> QuerySet[EnterpriseFact]:
    subject = access.policies.subject_enterprise(user, enterprise_id=enterprise_id)
    return EnterpriseFact.objects.filter(enterprise_id=subject).order_by("key", "-year")


def facts_of(enterprise_ids: Iterable[int]) -> dict[int, engine.Facts]:
    """Every recorded fact of these enterprises, as the engine reads them; the registry's
    industry section stands in for an industry code nobody has recorded."""
    ids = [int(i) for i in enterprise_ids]
    out: dict[int, engine.Facts] = defaultdict(dict)
    if not ids:
        return out
    # Plain SQL rather than the ORM: a town's re-match reads a few hundred thousand rows and
    # the ORM's per-row conversions were half the time (docs/policies.md). Not the source and
    # date either: the matcher does not read them.
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT enterprise_id, key, year, number, text, held, valid_from, valid_until "
            f"FROM {EnterpriseFact._meta.db_table} WHERE enterprise_id IN ({marks})", ids,
        )
        for ent, key, year, number, text, held, vf, vu in cursor.fetchall():
            out[ent][(key, year)] = engine.Known(
                number, text, None if held is None else bool(held), vf and _day(vf), vu and _day(vu)
            )
    for ent, section in Enterprise.objects.filter(id__in=ids).exclude(industry="").values_list("id", "industry"):
        out[ent].setdefault(("industry_code", 0), engine.Known(text=section, source="import"))
    return out


def _day(value) -> dt.date:
    # SQLite may hand a date back as text (by connection settings), PostgreSQL as a date.
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _facts_chunks(enterprise_ids: list[int], size: int = 2000):
    # Chunks keep `IN (...)` under SQLite's variable limit and memory flat for a city.
    for i in range(0, len(enterprise_ids), size):
        chunk = enterprise_ids[i : i + size]
        yield chunk, facts_of(chunk)


# --- matching ------------------------------------------------------------------------------


def live_policies(*, user: User, today: dt.date) -> QuerySet[Policy]:
    """Published (for admins: visible) policies still open on `today`."""
    return policies_visible_to(user=user).filter(status="published").filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    ).filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))


def match_out(policy: Policy, result: engine.Result) -> dict:
    def reason(r: dict) -> dict:
        return {k: r.get(k) for k in ("fact", "label", "op", "threshold", "year", "value", "clause", "status", "text", "shortfall")}

    return {
        "policy_id": policy.id, "title": policy.title, "issuer": policy.issuer, "benefits": policy.benefits,
        "valid_until": policy.valid_until, "outcome": result.outcome, "outcome_label": OUTCOME_LABELS[result.outcome],
        "near_miss": result.near_miss, "shortfalls": result.shortfalls, "missing_facts": result.missing_facts,
        "reasons": [reason(r) for r in result.reasons], "conditions": [reason(r) for r in result.checks],
    }


_ORDER = {"eligible": 0, "unknown": 1, "ineligible": 2}


def policy_matches(*, user: User, enterprise_id: int | None) -> tuple[Enterprise, list[dict]]:
    """Every live policy against one enterprise: 符合 first, then 待补充, near misses, the rest."""
    subject = access.policies.subject_enterprise(user, enterprise_id=enterprise_id)
    enterprise = Enterprise.objects.get(id=subject)
    today = timezone.localdate()
    facts = facts_of([subject])[subject]
    rows = []
    for policy in live_policies(user=user, today=today).order_by("id"):
        rows.append(match_out(policy, engine.evaluate(policy.rules, facts, today=today)))
    rows.sort(key=lambda m: (_ORDER[m["outcome"]], not m["near_miss"], m["policy_id"]))
    return enterprise, rows


_SQL_OPS = {">=": "gte", ">": "gt", "<=": "lte", "<": "lt", "==": "exact"}


def _prefilter_leaf(c: dict, today: dt.date) -> Q | None:
    fact = FACTS.get(c.get("fact", ""))
    if fact is None or fact.derived:
        return None
    # `id IN (SELECT enterprise_id … WHERE key = … AND …)`, not a correlated EXISTS: SQLite
    # ran EXISTS through the (key, year, number) index once per enterprise (16 s for one
    # policy over 20,000); the IN list is one range scan of that index on both databases.
    rows = EnterpriseFact.objects.filter(key=fact.key)
    if fact.kind == "number":
        year = (c.get("year") or engine.default_year(today)) if fact.yearly else 0
        rows = rows.filter(year=year, **{f"number__{_SQL_OPS[c['op']]}": c["number"]})
    elif fact.kind == "qualification" and c["op"] == "held":
        rows = rows.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today), Q(valid_from__isnull=True) | Q(valid_from__lte=today), held=True,
        )
    elif fact.kind == "text" and c["op"] == "in":
        rows = rows.filter(text__in=c["values"])
    else:
        return None  # industry codes (prefixes, the registry's section letter), not_in, not_held: the engine's
    return Q(id__in=rows.values("enterprise_id"))


def prefilter_q(rules: dict, *, today: dt.date) -> Q:
    """A necessary condition for `eligible`, in SQL: every top-level condition of an all-group
    that SQL can state exactly (a number, a qualification held, a village or park) must be
    recorded and met; an any-group's conditions are OR-ed when each can be stated. Everything
    else is left to the engine, so the filter never drops an eligible enterprise."""
    q = Q()
    if not rules or not rules.get("conditions"):
        return q
    parts = []
    for c in rules.get("conditions", []):
        if "fact" in c:
            part = _prefilter_leaf(c, today)
        elif c["match"] == "all":
            part = prefilter_q(c, today=today) or None
        else:
            subs = [_prefilter_leaf(x, today) if "fact" in x else None for x in c["conditions"]]
            part = None if any(x is None for x in subs) else _or(subs)
        parts.append(part)
    if rules.get("match", "all") == "all":
        for part in parts:
            if part is not None:
                q &= part
        return q
    return Q() if any(p is None for p in parts) else _or(parts)


def _or(parts: list[Q]) -> Q:
    out = parts[0]
    for p in parts[1:]:
        out |= p
    return out


def policy_outcomes(*, policy: Policy, enterprise_ids: Iterable[int] | None = None, prefilter: bool = True,
                    today: dt.date | None = None) -> dict[int, str]:
    """Each enterprise's outcome (all of them, or `enterprise_ids`), without reasons (engine.evaluate
    explains a pair someone opens); with `prefilter`, only over the enterprises SQL cannot rule
    out — for selecting the eligible: the others are left out, not answered."""
    today = today or timezone.localdate()
    qs = Enterprise.objects.all()
    if enterprise_ids is not None:
        qs = qs.filter(id__in=list(enterprise_ids))
    if prefilter:
        qs = qs.filter(prefilter_q(policy.rules, today=today))
    ids = list(qs.order_by("id").values_list("id", flat=True))
    decide = engine.compile_outcome(policy.rules, today=today)
    out = {}
    for chunk, facts in _facts_chunks(ids):
        for ent in chunk:
            out[ent] = decide(facts.get(ent, {}))
    return out
