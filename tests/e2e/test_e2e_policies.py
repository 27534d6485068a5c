"""The 政策计算器 on a 360-px phone (issue 14 item 4): an enterprise opens its 政策 tab and sees
the policies it meets, a near miss with what is short, one that needs data (not called 不符合),
opens why, and asks about the near miss — a consultation opens. Staff open the same answers
from a visit's enterprise."""

import datetime as dt

import pytest
from e2e_support import log_in, small_touch_targets, snap
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def calculator(users, town):
    from django.utils import timezone

    from backend.enterprises.models import Enterprise
    from backend.policies.models import EnterpriseFact, Policy

    ent = Enterprise.objects.get(members__user=users["enterprise"])
    ent.assigned_staff = users["staff"]  # the named official of its questions
    ent.save()
    last = timezone.localdate().year - 1
    for key, year, values in (
        ("industry_code", 0, {"text": "C3911"}), ("employees", 0, {"number": 120.0}),
        ("revenue", last, {"number": 1880.0}), ("tax", last, {"number": 150.0}),
    ):
        EnterpriseFact.objects.create(enterprise=ent, key=key, year=year, source="import", as_of=dt.date(2026, 3, 31), **values)

    def leaf(fact, op, clause, **extra):
        return {"fact": fact, "op": op, "clause": clause, **extra}

    made = {
        "small": Policy.objects.create(title="小微企业吸纳就业补贴", issuer="青枫镇人民政府", status="published", benefits="每人 2000 元",
                                       rules={"match": "all", "conditions": [leaf("size_class", "in", "第二条", values=["small", "micro"])]}),
        "growth": Policy.objects.create(title="镇级经济贡献奖励（稳增长）", issuer="青枫镇人民政府", status="published", benefits="奖励 20 万元",
                                        rules={"match": "all", "conditions": [leaf("revenue", ">=", "第三条（一）", number=2000),
                                                                              leaf("tax", ">=", "第三条（二）", number=100)]}),
        "srdi": Policy.objects.create(title="专精特新企业培育奖励", issuer="青枫镇人民政府", status="published",
                                      rules={"match": "any", "conditions": [leaf("qual_srdi", "held", "第二条（一）"),
                                                                            leaf("qual_little_giant", "held", "第二条（二）")]}),
        "hq": Policy.objects.create(title="总部经济奖励", issuer="青枫镇人民政府", status="published",
                                    rules={"match": "all", "conditions": [leaf("revenue", ">=", "第二条", number=50000)]}),
    }
    return {"enterprise": ent, "policies": made, "last": last}


def test_it_shows_an_enterprise_what_it_meets_nearly_meets_and_must_supply_and_asks_about_one(new_context, calculator):
    page = new_context().new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "e2e_enterprise")
    page.locator("#tabbar a[href='#/policies']").click()
    expect(page.locator("#title")).to_have_text("政策计算器")
    ids = {k: p.id for k, p in calculator["policies"].items()}

    eligible = page.locator("#policies-eligible")
    expect(eligible.locator(f"#policy-{ids['small']}")).to_be_visible()
    # The size class is derived (工业: 120 人, 1,880 万元 → 小型) and said so.
    expect(eligible.locator(f"#policy-{ids['small']} .pol-why")).to_contain_text("小型")

    near = page.locator(f"#policies-near #policy-{ids['growth']}")
    expect(near.locator(".pol-shortfall")).to_have_text(f"{calculator['last']}年营收还差 120 万元")
    expect(near.locator(".pol-why li[data-status=failed]")).to_contain_text("第三条（一）")

    unknown = page.locator(f"#policies-unknown #policy-{ids['srdi']}")
    expect(unknown.locator(".pol-needs")).to_contain_text("专精特新中小企业")
    expect(unknown).not_to_contain_text("不符合")

    # 暂不符合 is folded until asked for.
    expect(page.locator("#policies-ineligible")).to_be_hidden()
    page.locator("#policies-show-ineligible").click()
    expect(page.locator(f"#policies-ineligible #policy-{ids['hq']}")).to_contain_text("还差")

    # Why, in full: every condition with its status.
    near.locator(".pol-all summary").click()
    expect(near.locator(".pol-conditions li")).to_have_count(2)
    expect(near.locator(".pol-conditions li[data-status=met]")).to_contain_text("纳税额")
    snap(page, "policies-calculator")
    assert small_touch_targets(page) == []

    near.locator(f"#policy-ask-{ids['growth']}").click()
    page.locator(f"#policy-ask-send-{ids['growth']}").click()
    expect(near.locator(".field-error")).to_have_text("请写下想咨询的问题")
    page.locator(f"#policy-ask-text-{ids['growth']}").fill("营收差一点，今年还能申请吗？")
    page.locator(f"#policy-ask-send-{ids['growth']}").click()
    page.wait_for_url("**/#/consultations/*")
    expect(page.locator("#consultation-detail")).to_contain_text("政策咨询：镇级经济贡献奖励（稳增长）")
    assert errors == []


def test_it_shows_staff_the_same_answers_from_a_visit(new_context, calculator):
    page = new_context().new_page()
    log_in(page, "e2e_staff")
    page.goto(f"/#/policies?enterprise={calculator['enterprise'].id}")
    expect(page.locator("#policies-for")).to_contain_text("测试精密制造有限公司")
    growth = calculator["policies"]["growth"].id
    expect(page.locator(f"#policies-near #policy-{growth} .pol-shortfall")).to_contain_text("还差 120 万元")
    # Staff do not ask on the company's behalf.
    expect(page.locator(f"#policy-ask-{growth}")).to_have_count(0)
