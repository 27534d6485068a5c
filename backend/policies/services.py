"""Writes: policies (an admin's editor form), enterprise facts (with their provenance), and
"ask about this policy" (a consultation of category 政策, routed like any other)."""

from django.db import transaction
from django.utils import timezone

from backend import access
from backend.accounts.models import User
from backend.consultations.services import consultation_ask
from backend.errors import Invalid

from . import selectors
from .facts import FACTS, INDUSTRY_CODE
from .models import EnterpriseFact, Policy


def policy_create(*, user: User, rules: dict, **fields) -> Policy:
    access.policies.require_policy_editor(user)
    return Policy.objects.create(created_by=user, rules=_clean_rules(rules), **fields)


def policy_update(*, user: User, policy_id: int, changes: dict) -> Policy:
    access.policies.require_policy_editor(user)
    with transaction.atomic():
        policy = selectors.policies_visible_to(user=user).select_for_update().filter(id=policy_id).first()
        if policy is None:
            selectors.policy_get(user=user, policy_id=policy_id)  # the 404
        if "rules" in changes and changes["rules"] is not None:
            changes["rules"] = _clean_rules(changes["rules"])
        for name, value in changes.items():
            setattr(policy, name, value)
        if policy.valid_from and policy.valid_until and policy.valid_until < policy.valid_from:
            raise Invalid("截止日期不能早于起始日期", field="valid_until")
        policy.save()
    return policy


def _clean_rules(rules: dict) -> dict:
    """Store only what the engine reads (None fields dropped), so stored rules stay small and stable."""
    def leaf(c: dict) -> dict:
        return {k: v for k, v in c.items() if v not in (None, "") or k == "clause"}

    return {
        "match": rules.get("match", "all"),
        "conditions": [
            leaf(c) if "fact" in c else {"match": c["match"], "conditions": [leaf(x) for x in c["conditions"]]}
            for c in rules.get("conditions", [])
        ],
    }


def fact_record(*, user: User, enterprise_id: int | None, key: str, year: int | None = None, number: float | None = None,
                text: str | None = None, held: bool | None = None, valid_from=None, valid_until=None, as_of=None) -> EnterpriseFact:
    """Record (or correct) one fact; it keeps who said it: 企业自报 or 工作人员登记, and when."""
    subject = access.policies.subject_enterprise(user, enterprise_id=enterprise_id)
    fact = FACTS[key]
    if fact.yearly and year is None:
        raise Invalid(f"「{fact.label}」按年度记录，请填写年度", field="year")
    if not fact.yearly and year is not None:
        raise Invalid(f"「{fact.label}」不按年度记录", field="year")
    if fact.kind == "number" and number is None:
        raise Invalid(f"请填写「{fact.label}」的数值", field="number")
    if fact.kind in ("code", "choice", "text") and not text:
        raise Invalid(f"请填写「{fact.label}」", field="text")
    if fact.kind == "code" and not INDUSTRY_CODE.fullmatch((text or "").upper()):
        raise Invalid("行业代码应为 GB/T 4754 代码：门类字母加 2–4 位数字，如 C3911", field="text")
    if fact.choices and text not in dict(fact.choices):
        raise Invalid(f"「{fact.label}」应为：{'、'.join(k for k, _ in fact.choices)}", field="text")
    if fact.kind == "qualification" and held is None:
        raise Invalid(f"请说明是否持有「{fact.label}」", field="held")
    if valid_from and valid_until and valid_until < valid_from:
        raise Invalid("有效期截止日期不能早于起始日期", field="valid_until")
    values = {
        "number": number if fact.kind == "number" else None,
        "text": (text or "").upper() if fact.kind == "code" else (text or ""),
        "held": held if fact.kind == "qualification" else None,
        "valid_from": valid_from if fact.kind == "qualification" else None,
        "valid_until": valid_until if fact.kind == "qualification" else None,
        "source": access.policies.fact_source(user), "as_of": as_of or timezone.localdate(), "recorded_by": user,
    }
    row, _ = EnterpriseFact.objects.update_or_create(enterprise_id=subject, key=key, year=year or 0, defaults=values)
    return row


def policy_ask(*, user: User, policy_id: int, text: str):
    """"咨询这条政策": a consultation of category 政策 naming the policy, routed and timed as any other."""
    policy = selectors.policy_get(user=user, policy_id=policy_id)
    subject = f"政策咨询：{policy.title}"
    if len(subject) > 100:
        subject = subject[:99] + "…"
    return consultation_ask(user=user, category="policy", subject=subject, text=f"【关于政策「{policy.title}」（编号 {policy.id}）】\n{text}")
