"""Three-valued matching of one enterprise's facts against one policy's conditions, with reasons.

Pure Python, no Django, no database: the same function answers the calculator, the staff
view, the golden cases and the benchmark. A condition is `met`, `failed` or `missing`
(the fact is not known); groups combine them in Kleene's three-valued logic:

- all: failed if any child failed (naming every failed child, and the unknown ones as well),
  else missing if any child is missing, else met;
- any: met if any child is met (an unknown sibling does not matter), else missing if any
  child is missing, else failed (naming every child).

So `ineligible` always names at least one failed condition whose fact is known, and a
missing fact can make an answer `unknown` but never `ineligible`.

Conditions (as stored on a Policy, validated by schemas.RulesIn):
    {"match": "all"|"any", "conditions": [leaf | {"match": ..., "conditions": [leaf, ...]}]}
    leaf: {"fact", "op", "number"?, "values"?, "year"?, "clause"}
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from .facts import FACTS, OP_LABELS, SIZE_CHOICES, size_class, size_rule_for

MET, FAILED, MISSING = "met", "failed", "missing"
OUTCOME = {MET: "eligible", FAILED: "ineligible", MISSING: "unknown"}
NEAR_MISS_SHARE = 0.2  # a numeric shortfall within 20 % of the threshold is a near miss
_SIZE_LABELS = dict(SIZE_CHOICES)


class Known(NamedTuple):
    """One recorded fact of one enterprise (a row of EnterpriseFact, without Django).
    A tuple: a town's re-match builds hundreds of thousands of them."""

    number: float | None = None
    text: str = ""
    held: bool | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    source: str = ""
    as_of: dt.date | None = None


# (fact key, year or 0) → Known
Facts = dict[tuple[str, int], Known]


@dataclass
class Result:
    outcome: str
    reasons: list[dict]  # the conditions that decided the outcome, each with its status
    checks: list[dict] = field(default_factory=list)  # every condition, in the policy's order
    near_miss: bool = False
    shortfalls: list[str] = field(default_factory=list)
    missing_facts: list[str] = field(default_factory=list)


def fmt(x: float) -> str:
    if abs(x - round(x)) < 1e-9:
        return f"{int(round(x)):,}"
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def default_year(today: dt.date) -> int:
    """A yearly fact without a year in the condition means the last complete year."""
    return today.year - 1


def _label(fact, year: int | None) -> str:
    return f"{year}年{fact.label}" if fact.yearly else fact.label


def _threshold_text(leaf: dict, fact) -> str:
    op = leaf["op"]
    if fact.kind == "number":
        return f"{OP_LABELS[op]} {fmt(leaf['number'])} {fact.unit}".rstrip()
    if fact.kind == "qualification":
        return OP_LABELS[op]
    shown = [_SIZE_LABELS.get(v, v) for v in leaf.get("values") or []]
    return f"{OP_LABELS[op]} {'、'.join(shown)}"


def _clause(leaf: dict) -> str:
    return f"（{leaf['clause']}）" if leaf.get("clause") else ""


def _reason(leaf: dict, fact, year, status: str, value: str | None, text: str, **extra) -> dict:
    return {
        "fact": leaf["fact"], "label": _label(fact, year), "op": leaf["op"], "threshold": _threshold_text(leaf, fact),
        "year": year, "value": value, "clause": leaf.get("clause", ""), "status": status, "text": text, **extra,
    }


def _code_in(code: str, prefixes: list[str]) -> str:
    """met/failed/missing for "industry code starts with one of prefixes"; a section letter
    alone (from the registry) settles a prefix of another section but not a division of its own."""
    code = code.upper()
    unsure = False
    for p in prefixes:
        p = p.upper()
        if code.startswith(p):
            return MET
        if p.startswith(code):
            unsure = True
    return MISSING if unsure else FAILED


def _size(facts: Facts, today: dt.date) -> tuple[str | None, str, list[str]]:
    """(size class or None, how it was found, the facts it still needs)."""
    recorded = facts.get(("size_class", 0))
    if recorded and recorded.text:
        return recorded.text, "登记", []
    code = facts.get(("industry_code", 0))
    if not code or not code.text:
        return None, "", [FACTS["industry_code"].label]
    rule = size_rule_for(code.text)
    if rule is None:
        return None, "", ["行业中类（门类下各行业标准不同）"]
    year = default_year(today)
    values, needs = {}, []
    for key in rule.indicators:
        f = FACTS[key]
        known = facts.get((key, year if f.yearly else 0))
        if known is None or known.number is None:
            needs.append(_label(f, year))
        else:
            values[key] = known.number
    if needs:
        return None, "", needs
    return size_class(rule, values), f"按{rule.name}标准测算", []


def _leaf(leaf: dict, facts: Facts, today: dt.date) -> tuple[str, dict]:
    fact = FACTS[leaf["fact"]]
    op, clause = leaf["op"], _clause(leaf)
    year = (leaf.get("year") or default_year(today)) if fact.yearly else None
    if fact.key == "size_class":
        value, how, needs = _size(facts, today)
        if value is None:
            text = f"缺少{'、'.join(needs)}，无法判断企业规模是否{_threshold_text(leaf, fact)}{clause}"
            return MISSING, _reason(leaf, fact, year, MISSING, None, text, needs=needs)
        hit = value in (leaf.get("values") or [])
        ok = hit if op == "in" else not hit
        shown = f"{_SIZE_LABELS[value]}（{how}）"
        text = f"企业规模为{shown}，{'满足' if ok else '不满足'}{_threshold_text(leaf, fact)}{clause}"
        return (MET if ok else FAILED), _reason(leaf, fact, year, MET if ok else FAILED, shown, text)

    known = facts.get((fact.key, year or 0))
    label = _label(fact, year)
    if fact.kind == "qualification":
        if known is None or known.held is None:
            text = f"缺少{label}资格信息，无法判断是否{OP_LABELS[op]}{clause}"
            return MISSING, _reason(leaf, fact, year, MISSING, None, text, needs=[label])
        held, shown, why = bool(known.held), "持有" if known.held else "未持有", ""
        if held and known.valid_until and known.valid_until < today:
            held, shown = False, f"已于 {known.valid_until.isoformat()} 过期"
            why = "，过期视为未持有"
        elif held and known.valid_from and known.valid_from > today:
            held, shown = False, f"自 {known.valid_from.isoformat()} 起有效，尚未生效"
        elif held and known.valid_until:
            shown = f"持有（有效期至 {known.valid_until.isoformat()}）"
        ok = held if op == "held" else not held
        status = MET if ok else FAILED
        text = f"{label}：{shown}{why}，{'满足' if ok else '不满足'}「{OP_LABELS[op]}」{clause}"
        return status, _reason(leaf, fact, year, status, shown, text, expired=shown.startswith("已于"))

    if fact.kind == "number":
        if known is None or known.number is None:
            text = f"缺少{label}，无法判断是否{_threshold_text(leaf, fact)}{clause}"
            return MISSING, _reason(leaf, fact, year, MISSING, None, text, needs=[label])
        v, t = known.number, leaf["number"]
        ok = {">=": v >= t, ">": v > t, "<=": v <= t, "<": v < t, "==": v == t}[op]
        shown = f"{fmt(v)} {fact.unit}".rstrip()
        if ok:
            text = f"{label} {shown}，满足 {_threshold_text(leaf, fact)}{clause}"
            return MET, _reason(leaf, fact, year, MET, shown, text)
        gap, near = _gap(op, v, t, fact, year)
        text = f"{label} {shown}，不满足 {_threshold_text(leaf, fact)}{clause}" + (f"：{gap}" if gap else "")
        return FAILED, _reason(leaf, fact, year, FAILED, shown, text, shortfall=gap, near=near)

    # code / text: membership
    values = leaf.get("values") or []
    if known is None or not known.text:
        # The registry's section letter stands in for an industry code nobody recorded yet.
        text = f"缺少{label}，无法判断是否{_threshold_text(leaf, fact)}{clause}"
        return MISSING, _reason(leaf, fact, year, MISSING, None, text, needs=[label])
    if fact.kind == "code":
        hit = _code_in(known.text, values)
        if hit == MISSING:
            text = f"仅知行业门类 {known.text}，需要更细的行业代码才能判断是否{_threshold_text(leaf, fact)}{clause}"
            return MISSING, _reason(leaf, fact, year, MISSING, known.text, text, needs=["行业代码（大类/中类）"])
        hit = hit == MET
    else:
        hit = known.text in values
    ok = hit if op == "in" else not hit
    status = MET if ok else FAILED
    text = f"{label}为 {known.text}，{'满足' if ok else '不满足'}{_threshold_text(leaf, fact)}{clause}"
    return status, _reason(leaf, fact, year, status, known.text, text)


def _gap(op: str, v: float, t: float, fact, year) -> tuple[str, bool]:
    """The shortfall in words ("2025年营收还差 120 万元") and whether it is a near miss."""
    name = f"{year}年{fact.short}" if fact.yearly else fact.short
    unit = fact.unit
    if op in (">=", ">"):
        diff = t - v
        words = f"{name}还差 {fmt(diff)} {unit}" if diff > 0 else f"{name}需超过 {fmt(t)} {unit}"
        if op == ">" and diff > 0:
            words += "以上"
    elif op in ("<=", "<"):
        diff = v - t
        words = f"{name}超出 {fmt(diff)} {unit}" if diff > 0 else f"{name}需低于 {fmt(t)} {unit}"
    else:
        return "", False
    near = abs(diff) <= abs(t) * NEAR_MISS_SHARE if t else False
    return words.strip(), near


def _node(node: dict, facts: Facts, today: dt.date, checks: list[dict]) -> tuple[str, list[dict]]:
    if "fact" in node:
        status, reason = _leaf(node, facts, today)
        checks.append(reason)
        return status, [reason]
    results = [_node(child, facts, today, checks) for child in node.get("conditions", [])]
    by = {s: [r for st, rs in results if st == s for r in rs] for s in (MET, FAILED, MISSING)}
    if node.get("match", "all") == "all":
        if by[FAILED]:
            return FAILED, by[FAILED] + by[MISSING]
        if by[MISSING]:
            return MISSING, by[MISSING]
        return MET, by[MET]
    if by[MET]:
        # One option met is enough: its reasons only (the others neither help nor hurt).
        first = next(rs for st, rs in results if st == MET)
        return MET, first
    if by[MISSING]:
        return MISSING, by[MISSING] + by[FAILED]
    return FAILED, by[FAILED]


def evaluate(rules: dict, facts: Facts, *, today: dt.date) -> Result:
    checks: list[dict] = []
    if not rules or not rules.get("conditions"):
        return Result("eligible", [], [])
    status, reasons = _node(rules, facts, today, checks)
    failed = [r for r in reasons if r["status"] == FAILED]
    result = Result(OUTCOME[status], reasons, checks)
    if status == FAILED:
        # A near miss: every decisive failure is a number a little short (no wrong industry, no
        # missing qualification) — the company could get there.
        result.near_miss = all(r.get("near") for r in failed)
        result.shortfalls = [r["shortfall"] for r in failed if r.get("shortfall")]
    needs = []
    for r in reasons:
        if r["status"] == MISSING:
            needs += [n for n in r.get("needs", []) if n not in needs]
    result.missing_facts = needs
    return result


# --- the outcome alone, fast ------------------------------------------------------------------
# Selecting a policy's recipients, or re-matching a town, needs only the outcome of each
# pair; the reasons (Chinese sentences) are written for the pairs someone looks at. `compile`
# turns a policy's rules into nested closures once; each call then reads a few dict entries
# and stops at the first condition that settles its group. tests/policies/test_golden.py
# checks it against `evaluate` on every golden case, and the benchmark on 600,000 pairs.

_CMP = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt, "==": operator.eq}
_M, _F, _U = 0, 1, 2  # met, failed, missing
_STATUS = {_M: MET, _F: FAILED, _U: MISSING}


def _compile_leaf(leaf: dict, today: dt.date) -> Callable[[Facts], int]:
    fact = FACTS[leaf["fact"]]
    op = leaf["op"]
    if fact.key == "size_class":
        wanted = set(leaf.get("values") or [])

        def size(facts):
            value = _size(facts, today)[0]
            if value is None:
                return _U
            return _M if (value in wanted) == (op == "in") else _F
        return size
    key = (fact.key, (leaf.get("year") or default_year(today)) if fact.yearly else 0)
    if fact.kind == "number":
        cmp, t = _CMP[op], leaf["number"]

        def number(facts):
            k = facts.get(key)
            if k is None or k.number is None:
                return _U
            return _M if cmp(k.number, t) else _F
        return number
    if fact.kind == "qualification":
        want = op == "held"

        def qualification(facts):
            k = facts.get(key)
            if k is None or k.held is None:
                return _U
            held = bool(k.held) and not (k.valid_until and k.valid_until < today) and not (k.valid_from and k.valid_from > today)
            return _M if held == want else _F
        return qualification
    values = leaf.get("values") or []
    inside = op == "in"
    if fact.kind == "code":
        def code(facts):
            k = facts.get(key)
            if k is None or not k.text:
                return _U
            hit = _code_in(k.text, values)
            if hit == MISSING:
                return _U
            return _M if (hit == MET) == inside else _F
        return code
    members = set(values)

    def text(facts):
        k = facts.get(key)
        if k is None or not k.text:
            return _U
        return _M if (k.text in members) == inside else _F
    return text


def _compile_node(node: dict, today: dt.date) -> Callable[[Facts], int]:
    if "fact" in node:
        return _compile_leaf(node, today)
    children = [_compile_node(c, today) for c in node.get("conditions", [])]
    if node.get("match", "all") == "all":
        def all_of(facts):
            status = _M
            for child in children:
                s = child(facts)
                if s == _F:
                    return _F
                if s == _U:
                    status = _U
            return status
        return all_of

    def any_of(facts):
        status = _F
        for child in children:
            s = child(facts)
            if s == _M:
                return _M
            if s == _U:
                status = _U
        return status
    return any_of


def compile_outcome(rules: dict, *, today: dt.date) -> Callable[[Facts], str]:
    """A function facts → "eligible"/"ineligible"/"unknown", the same answer as `evaluate`."""
    if not rules or not rules.get("conditions"):
        return lambda facts: "eligible"
    fn = _compile_node(rules, today)
    return lambda facts: OUTCOME[_STATUS[fn(facts)]]
