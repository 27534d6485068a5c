"""The demo town's policies and enterprise facts (called by backend/demo at load time).

Deterministic: the policies are fixed; each company's facts come from a generator seeded by
its 统一社会信用代码, with years and validity dates relative to the load date (as the demo
visits are). demo_enterprise's company gets hand-made facts so that its 政策计算器 shows each
kind of answer: policies it meets, a near miss ("2025年营收还差 120 万元"), data it still has to
supply, an expired 高新技术企业 certificate, and policies that are not for it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random

from .models import EnterpriseFact, Policy

ISSUER = "青枫镇人民政府"
VILLAGES = ["东湾村", "南塘村", "西河村", "北桥村", "青枫社区", "新华村"]
PARKS = ["青枫智造园", "青枫工业园区", "", "", ""]
CODES = {
    "C": ["C3911", "C3471", "C2929", "C3985", "C3831", "C1713"], "F": ["F5124", "F5137", "F5211", "F5261"],
    "I": ["I6513", "I6421", "I6550"], "M": ["M7320", "M7512"], "G": ["G5438", "G5932"], "L": ["L7212", "L7281"],
    "E": ["E4790"], "H": ["H6210", "H6110"], "K": ["K7020"], "O": ["O8011"],
}


def _leaf(fact, op, clause, number=None, values=None, year=None) -> dict:
    c = {"fact": fact, "op": op, "clause": clause}
    if number is not None:
        c["number"] = number
    if values is not None:
        c["values"] = values
    if year is not None:
        c["year"] = year
    return c


def policies(today: dt.date) -> list[dict]:
    end = dt.date(today.year, 12, 31)
    return [
        dict(title="青枫镇促进软件和信息技术服务业发展扶持办法", document_no="青府发〔2025〕12号", benefits="按上年度地方财力贡献的 50% 给予扶持，最高 100 万元",
             summary="在本镇注册纳税的软件和信息技术服务企业，上年度营业收入 1000 万元以上、纳税 50 万元以上。",
             rules={"match": "all", "conditions": [
                 _leaf("industry_code", "in", "第二条", values=["I63", "I64", "I65"]),
                 _leaf("revenue", ">=", "第四条（一）", number=1000), _leaf("tax", ">=", "第四条（二）", number=50)]}),
        dict(title="高新技术企业认定奖励", document_no="青府发〔2025〕8号", benefits="首次认定奖励 20 万元，重新认定奖励 10 万元",
             summary="在有效期内的高新技术企业。",
             rules={"match": "all", "conditions": [_leaf("qual_high_tech", "held", "第三条")]}),
        dict(title="科技型中小企业研发费用补贴", document_no="青科〔2026〕2号", benefits="按研发费用的 10% 补贴，最高 30 万元",
             summary="入库的科技型中小企业，且按统计标准为小型或微型企业。",
             rules={"match": "all", "conditions": [
                 _leaf("qual_tech_sme", "held", "第二条（一）"), _leaf("size_class", "in", "第二条（二）", values=["small", "micro"])]}),
        dict(title="镇级经济贡献奖励（稳增长）", document_no="青府发〔2026〕3号", benefits="一次性奖励 20 万元",
             summary="上年度营业收入 2000 万元以上且纳税 100 万元以上。",
             rules={"match": "all", "conditions": [_leaf("revenue", ">=", "第三条（一）", number=2000), _leaf("tax", ">=", "第三条（二）", number=100)]}),
        dict(title="专精特新企业培育奖励", document_no="青经发〔2026〕5号", benefits="市级专精特新奖励 30 万元，国家级“小巨人”奖励 50 万元",
             summary="获评专精特新中小企业或专精特新“小巨人”企业，均在有效期内。",
             rules={"match": "any", "conditions": [_leaf("qual_srdi", "held", "第二条（一）"), _leaf("qual_little_giant", "held", "第二条（二）")]}),
        dict(title="小升规企业奖励", document_no="青经发〔2026〕6号", benefits="首次纳入规模以上统计的企业奖励 10 万元",
             summary="当年首次纳入规模以上企业统计。",
             rules={"match": "all", "conditions": [_leaf("qual_above_scale", "held", "第二条")]}),
        dict(title="园区入驻企业租金补贴", document_no="青经发〔2026〕9号", benefits="前两年租金补贴 30%，每年最高 15 万元",
             summary="入驻青枫智造园或青枫工业园区、从业人员 10 人以上的企业。",
             rules={"match": "all", "conditions": [
                 _leaf("park", "in", "第二条（一）", values=["青枫智造园", "青枫工业园区"]), _leaf("employees", ">=", "第二条（二）", number=10)]}),
        dict(title="小微企业吸纳就业补贴", document_no="青人社〔2026〕1号", benefits="每新增 1 名本地户籍员工补贴 2000 元",
             summary="小型、微型企业，从业人员 10 人以上。",
             rules={"match": "all", "conditions": [
                 _leaf("size_class", "in", "第二条", values=["small", "micro"]), _leaf("employees", ">=", "第三条", number=10)]}),
        dict(title="制造业技术改造补贴", document_no="青经发〔2026〕2号", benefits="按设备投资额的 10% 补贴，最高 200 万元",
             summary="本镇制造业企业，注册资本 100 万元以上。",
             rules={"match": "all", "conditions": [
                 _leaf("industry_code", "in", "第二条", values=["C"]), _leaf("registered_capital", ">=", "第三条", number=100)]}),
        dict(title="总部经济奖励", document_no="青府发〔2024〕20号", benefits="按地方财力贡献分档奖励",
             summary="上年度营业收入 5 亿元以上、注册资本 5000 万元以上的总部企业。",
             rules={"match": "all", "conditions": [_leaf("revenue", ">=", "第二条（一）", number=50000),
                                                   _leaf("registered_capital", ">=", "第二条（二）", number=5000)]}),
        dict(title="批发零售业限上企业奖励", document_no="青商〔2026〕4号", benefits="新增限上企业奖励 5 万元",
             summary="批发业营业收入 2000 万元以上，或零售业营业收入 500 万元以上。",
             rules={"match": "any", "conditions": [
                 {"match": "all", "conditions": [_leaf("industry_code", "in", "第二条（一）", values=["F51"]), _leaf("revenue", ">=", "第二条（一）", number=2000)]},
                 {"match": "all", "conditions": [_leaf("industry_code", "in", "第二条（二）", values=["F52"]), _leaf("revenue", ">=", "第二条（二）", number=500)]}]}),
        dict(title="数字化转型专项（征求意见稿）", document_no="", status="draft", benefits="待定",
             summary="征求意见中，尚未发布。",
             rules={"match": "all", "conditions": [_leaf("employees", ">=", "第二条", number=20)]}),
    ], end


def _seeded(uscc: str) -> random.Random:
    return random.Random(int(hashlib.sha256(uscc.encode()).hexdigest()[:12], 16))


def _facts_for(ent, today: dt.date) -> list[EnterpriseFact]:
    rng = _seeded(ent.uscc)
    last = today.year - 1
    as_of = dt.date(today.year, 3, 31) if today >= dt.date(today.year, 3, 31) else dt.date(last, 12, 31)
    out = []

    def fact(key, *, year=0, source="import", **values):
        out.append(EnterpriseFact(enterprise_id=ent.id, key=key, year=year, source=source, as_of=as_of, **values))

    codes = CODES.get(ent.industry)
    if codes:
        fact("industry_code", text=rng.choice(codes))
    employees = int(rng.lognormvariate(3.0, 1.0)) + 1
    fact("employees", number=float(employees))
    fact("registered_capital", number=float(rng.choice([10, 50, 100, 200, 500, 1000, 3000])))
    fact("village", text=rng.choice(VILLAGES))
    park = rng.choice(PARKS)
    if park:
        fact("park", text=park)
    if rng.random() < 0.85:  # the rest have not filed last year's figures yet
        for year in (last, last - 1):
            revenue = round(employees * rng.uniform(15, 60), 2)
            fact("revenue", year=year, number=revenue)
            fact("tax", year=year, number=round(revenue * rng.uniform(0.02, 0.07), 2))
    for key, share in (("qual_high_tech", 0.15), ("qual_tech_sme", 0.3), ("qual_srdi", 0.08), ("qual_above_scale", 0.2)):
        if rng.random() < share:
            until = today + dt.timedelta(days=rng.randint(-300, 900))
            fact(key, held=True, valid_from=until - dt.timedelta(days=3 * 365), valid_until=until, source="staff")
    return out


def _featured(ent, today: dt.date) -> list[EnterpriseFact]:
    """demo_enterprise's company: one of each kind of answer (see the module's docstring)."""
    last = today.year - 1
    as_of = dt.date(today.year, 3, 31) if today >= dt.date(today.year, 3, 31) else dt.date(last, 12, 31)

    def fact(key, *, year=0, source="import", **values):
        return EnterpriseFact(enterprise_id=ent.id, key=key, year=year, source=source, as_of=as_of, **values)

    return [
        fact("industry_code", text="I6513"),
        fact("employees", number=68.0),
        fact("registered_capital", number=500.0),
        fact("village", text="青枫社区"),
        fact("revenue", year=last, number=1880.0),
        fact("revenue", year=last - 1, number=1520.0),
        fact("tax", year=last, number=96.0),
        fact("tax", year=last - 1, number=71.0),
        fact("qual_tech_sme", held=True, valid_from=today - dt.timedelta(days=160), valid_until=today + dt.timedelta(days=205), source="staff"),
        # Lapsed six weeks ago: 高新技术企业认定奖励 says 已于…过期 rather than 待补充.
        fact("qual_high_tech", held=True, valid_from=today - dt.timedelta(days=3 * 365 + 42), valid_until=today - dt.timedelta(days=42), source="staff"),
        fact("qual_above_scale", held=False, source="enterprise"),
    ]


def demo_policies_load(*, enterprises, featured_id: int | None, admin_id: int | None, today: dt.date) -> tuple[int, int]:
    """The demo policies, and facts for `enterprises` (demo_enterprise's company hand-made)."""
    made, end = policies(today)
    Policy.objects.bulk_create([
        Policy(issuer=ISSUER, status=p.pop("status", "published"), valid_from=dt.date(today.year - 1, 1, 1), valid_until=end,
               created_by_id=admin_id, **p)
        for p in made
    ])
    rows = []
    for ent in enterprises:
        rows += _featured(ent, today) if ent.id == featured_id else _facts_for(ent, today)
    EnterpriseFact.objects.bulk_create(rows, batch_size=2000)
    return len(made), len(rows)
