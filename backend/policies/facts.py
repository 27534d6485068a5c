"""The facts a policy may ask about, and the size class (大/中/小/微) derived from them.

Pure Python, no Django: the matcher (engine.py), the API's fact catalogue, the editor's
form and the benchmark all read this one table.

Size classes follow 《统计上大中小微型企业划分办法（2017）》(国统字〔2017〕213号): per industry,
thresholds on 从业人员 (X, 人), 营业收入 (Y, 万元) and for a few industries 资产总额 (Z, 万元).
大、中、小型须同时满足所列指标的下限，否则下划一档；微型只须满足其中一项 — so the class is
the first of large/medium/small whose every lower bound is met, else micro.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Fact:
    key: str
    label: str
    kind: str  # number | code | choice | text | qualification
    unit: str = ""
    yearly: bool = False  # kept per year (revenue, tax): a condition names a year or means "last year"
    derived: bool = False  # computed from other facts when not recorded (size class)
    choices: tuple[tuple[str, str], ...] = ()
    short: str = ""  # in a shortfall sentence: "年营收还差 120 万元"

    @property
    def ops(self) -> tuple[str, ...]:
        return OPS_BY_KIND[self.kind]


OPS_BY_KIND = {
    "number": (">=", ">", "<=", "<", "=="),
    "code": ("in", "not_in"),
    "choice": ("in", "not_in"),
    "text": ("in", "not_in"),
    "qualification": ("held", "not_held"),
}
OP_LABELS = {
    ">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "=", "in": "属于", "not_in": "不属于",
    "held": "持有", "not_held": "未持有",
}

# GB/T 4754-2017: a section letter A–T, then division (2 digits), group (3), class (4).
INDUSTRY_CODE = re.compile(r"[A-T](?:[0-9]{2}(?:[0-9]{1,2})?)?")

SIZE_CHOICES = (("large", "大型"), ("medium", "中型"), ("small", "小型"), ("micro", "微型"))

FACTS: dict[str, Fact] = {f.key: f for f in (
    Fact("industry_code", "行业（GB/T 4754）", "code"),
    Fact("size_class", "企业规模", "choice", derived=True, choices=SIZE_CHOICES),
    Fact("registered_capital", "注册资本", "number", unit="万元", short="注册资本"),
    Fact("employees", "从业人员", "number", unit="人", short="从业人员"),
    Fact("revenue", "营业收入", "number", unit="万元", yearly=True, short="营收"),
    Fact("tax", "纳税额", "number", unit="万元", yearly=True, short="纳税"),
    Fact("total_assets", "资产总额", "number", unit="万元", yearly=True, short="资产总额"),
    Fact("village", "所在村（社区）", "text"),
    Fact("park", "所在园区", "text"),
    Fact("qual_high_tech", "高新技术企业", "qualification"),
    Fact("qual_tech_sme", "科技型中小企业", "qualification"),
    Fact("qual_srdi", "专精特新中小企业", "qualification"),
    Fact("qual_little_giant", "专精特新“小巨人”企业", "qualification"),
    Fact("qual_above_scale", "规模以上企业（规上）", "qualification"),
)}


# --- size class ------------------------------------------------------------------------------

@dataclass(frozen=True)
class SizeRule:
    name: str
    indicators: tuple[str, ...]  # fact keys: employees, revenue, total_assets
    # Lower bounds per class, in the indicators' order.
    large: tuple[float, ...]
    medium: tuple[float, ...]
    small: tuple[float, ...]
    prefixes: tuple[str, ...] = field(default=())


X, Y, Z = "employees", "revenue", "total_assets"
# Most specific prefix first: a code is matched against these in order.
SIZE_RULES: tuple[SizeRule, ...] = (
    SizeRule("农、林、牧、渔业", (Y,), (20000,), (500,), (50,), ("A",)),
    SizeRule("工业", (X, Y), (1000, 40000), (300, 2000), (20, 300), ("B", "C", "D")),
    SizeRule("建筑业", (Y, Z), (80000, 80000), (6000, 5000), (300, 300), ("E",)),
    SizeRule("批发业", (X, Y), (200, 40000), (20, 5000), (5, 1000), ("F51",)),
    SizeRule("零售业", (X, Y), (300, 20000), (50, 500), (10, 100), ("F52",)),
    SizeRule("仓储业", (X, Y), (200, 30000), (100, 1000), (20, 100), ("G59",)),
    SizeRule("邮政业", (X, Y), (1000, 30000), (300, 2000), (20, 100), ("G60",)),
    SizeRule("交通运输业", (X, Y), (1000, 30000), (300, 3000), (20, 200), ("G",)),
    SizeRule("住宿业", (X, Y), (300, 10000), (100, 2000), (10, 100), ("H61",)),
    SizeRule("餐饮业", (X, Y), (300, 10000), (100, 2000), (10, 100), ("H62",)),
    SizeRule("信息传输业", (X, Y), (2000, 100000), (100, 1000), (10, 100), ("I63", "I64")),
    SizeRule("软件和信息技术服务业", (X, Y), (300, 10000), (100, 1000), (10, 50), ("I65",)),
    SizeRule("房地产开发经营", (Y, Z), (200000, 10000), (1000, 5000), (100, 2000), ("K701",)),
    SizeRule("物业管理", (X, Y), (1000, 5000), (300, 1000), (100, 500), ("K702",)),
    SizeRule("租赁和商务服务业", (X, Z), (300, 120000), (100, 8000), (10, 100), ("L",)),
    SizeRule("其他未列明行业", (X,), (300,), (100,), (10,), ("",)),
)
# A section whose divisions fall under different rules: its letter alone does not say which.
_SPLIT_SECTIONS = {"F", "G", "H", "I", "K"}


def size_rule_for(code: str) -> SizeRule | None:
    """The rule for an industry code; None when only a section letter is known and the
    section's divisions have different rules (批发 vs 零售 under F)."""
    code = code.upper()
    if len(code) == 1 and code in _SPLIT_SECTIONS:
        return None
    for rule in SIZE_RULES:
        if any(code.startswith(p) for p in rule.prefixes):
            return rule
    return None


def size_class(rule: SizeRule, values: dict[str, float]) -> str:
    """large/medium/small/micro from the indicators' values (every indicator of `rule` present)."""
    for name, bounds in (("large", rule.large), ("medium", rule.medium), ("small", rule.small)):
        if all(values[k] >= b for k, b in zip(rule.indicators, bounds, strict=True)):
            return name
    return "micro"
