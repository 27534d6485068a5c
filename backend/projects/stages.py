"""The default pipeline (town NULL): seeded by migration 0002, the rows a town copies to change."""

DEFAULT_STAGES = [
    # code, name, phase, probability %, stale days, evidence, needs approval
    ("lead", "线索", "lead", 10, 14, "", False),
    ("talks", "洽谈", "talks", 30, 14, "", False),
    ("signed", "签约", "signed", 60, 14, "contract", True),
    ("registered", "注册", "landed", 80, 14, "licence", False),
    ("started", "开工", "landed", 90, 14, "", False),
    ("producing", "投产", "landed", 100, 14, "", False),
]
