"""Joining on a phone (issue 13 item 7, issue 12's walkthrough): a visitor starts on the
public site map with 企业注册 / 登录; a new company registers with its mobile, claims
itself and is verified at once when the mobile is the registry's contact; another
claims and the staff member in charge approves it in 企业认领审核; the SMS forms say
what to do when no code comes, in the same words for every number."""

import re

import pytest
from e2e_support import log_in, small_touch_targets
from playwright.sync_api import expect

from apisupport import valid_uscc

pytestmark = pytest.mark.e2e

MATCHING_MOBILE = "13911112222"
OTHER_MOBILE = "13922223333"
THIRD_MOBILE = "13933334444"


def code_sent_to(mobile):
    from backend.sms.backends import LocmemSmsBackend

    sent = [m for m in LocmemSmsBackend.outbox if m["mobile"] == mobile]
    assert sent, f"no SMS to {mobile}"
    return re.search(r"验证码是(\d{6})", sent[-1]["text"]).group(1)


@pytest.fixture
def registry(users):
    """Companies in the registry that nobody acts for yet, in the e2e staff member's care."""
    from backend.enterprises.models import Enterprise

    def company(prefix, name, mobile=""):
        return Enterprise.objects.create(
            uscc=valid_uscc(prefix), name=name, address="工业路9号", lat=31.12, lng=121.42, industry="C", size="small",
            assigned_staff=users["staff"], contact_mobile=mobile,
        )

    return {
        "matching": company("91310112JMJX001", "上海青枫精密机械有限公司", MATCHING_MOBILE),
        "other": company("91310112JMJX002", "上海青枫包装材料有限公司", "13800009999"),
        "third": company("91310112JMJX003", "上海青枫五金制品有限公司"),
    }


def register(page, mobile):
    """企业注册 through the screen, past the first-use privacy notice, onto 企业认证."""
    page.goto("/#/join")
    page.locator("#join-mobile").fill(mobile)
    page.locator("#join-send").click()
    expect(page.locator("#join-info")).to_be_visible()
    expect(page.locator("#join-nocode")).to_contain_text("1分钟")
    expect(page.locator("#join-send")).to_be_disabled()
    page.locator("#join-code").fill(code_sent_to(mobile))
    page.locator("#join-submit").click()
    page.locator("#privacy-agree").click()
    expect(page.locator("#app")).to_have_attribute("data-route", "join-company")


def claim(page, company):
    page.locator("#claim-name").fill(company.name)
    page.locator("#claim-uscc").fill(company.uscc.lower())
    page.locator("#claim-submit").click()


def test_it_starts_a_visitor_on_the_site_map_with_a_way_to_an_account(page, town):
    # Often the session's first page: the live server and the browser start cold on a busy machine.
    page.goto("/", timeout=30_000)
    expect(page.locator("#app")).to_have_attribute("data-route", "sites")
    expect(page.locator("#join-banner")).to_be_visible()
    expect(page.locator("#tabbar .tab-label")).to_have_text(["找场地", "企业注册", "登录"])
    assert small_touch_targets(page) == []
    page.locator("#join-banner-register").click()
    expect(page.locator("#join-screen")).to_be_visible()
    expect(page.locator("#title")).to_have_text("企业注册")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # A private screen is not a wall either: it asks to log in and comes back afterwards.
    page.goto("/#/team")
    expect(page.locator("#login-submit")).to_be_visible()
    assert page.evaluate("location.hash") == "#/login?next=team"


def test_it_registers_a_company_that_claims_itself_and_is_verified_at_once(page, town, registry):
    register(page, MATCHING_MOBILE)
    expect(page.locator("#claim-form")).to_be_visible()
    # The check character is checked on the phone first (the server checks again).
    page.locator("#claim-name").fill(registry["matching"].name)
    page.locator("#claim-uscc").fill(registry["matching"].uscc[:17] + ("0" if registry["matching"].uscc[17] != "0" else "1"))
    expect(page.locator("#claim-error")).to_have_text("统一社会信用代码校验位不正确，请核对后重新输入")
    claim(page, registry["matching"])
    expect(page.locator("#join-status")).to_have_attribute("data-status", "approved")
    expect(page.locator("#join-status-text")).to_have_text("已通过")
    expect(page.locator("#claim-form")).to_have_count(0)
    # The account now acts for the company; 我的 says so.
    page.locator("#tabbar a[href='#/me']").click()
    expect(page.locator("#join-company-value")).to_have_text("已通过")


def test_it_lets_the_staff_member_in_charge_approve_or_reject_a_claim(page, new_context, town, users, registry):
    from backend.join.models import Claim

    register(page, OTHER_MOBILE)
    claim(page, registry["other"])
    expect(page.locator("#join-status")).to_have_attribute("data-status", "pending")
    expect(page.locator("#join-status-text")).to_have_text("待核实")
    # Meanwhile: the sites, asking online, the messages.
    expect(page.locator("#join-browse")).to_be_visible()
    expect(page.locator("#join-ask")).to_be_visible()

    third = new_context().new_page()
    register(third, THIRD_MOBILE)
    claim(third, registry["third"])
    expect(third.locator("#join-status-text")).to_have_text("待核实")

    staff = new_context().new_page()
    log_in(staff, "e2e_staff")
    staff.locator("#tabbar a[href='#/me']").click()
    expect(staff.locator("#join-review-count")).to_have_text("2")
    staff.locator("#join-review-row").click()
    expect(staff.locator("#title")).to_have_text("企业认领审核")
    first, second = Claim.objects.get(user__mobile=OTHER_MOBILE), Claim.objects.get(user__mobile=THIRD_MOBILE)
    card = staff.locator(f"#claim-{first.id}")
    expect(card).to_contain_text(OTHER_MOBILE)
    expect(card).to_contain_text("91310112JMJX002")
    assert small_touch_targets(staff) == []
    staff.locator(f"#approve-{first.id}").click()
    expect(card).to_have_count(0)

    staff.locator(f"#reject-{second.id}").click()
    staff.locator(f"#reject-confirm-{second.id}").click()
    expect(staff.locator(f"#claim-{second.id} .form-error")).to_have_text("请填写原因（至少2个字）")
    staff.locator(f"#reason-{second.id}").fill("营业执照上的名称与填写不一致")
    staff.locator(f"#reject-confirm-{second.id}").click()
    expect(staff.locator(f"#claim-{second.id}")).to_have_count(0)
    expect(staff.locator("#claim-list [data-state=empty]")).to_be_visible()
    staff.locator("#claims-all").click()
    expect(staff.locator("#claim-list .claim-card")).to_have_count(2)

    page.reload()
    expect(page.locator("#join-status-text")).to_have_text("已通过")
    third.reload()
    expect(third.locator("#join-status-text")).to_have_text("未通过")
    expect(third.locator("#join-status-reason")).to_have_text("原因：营业执照上的名称与填写不一致")
    expect(third.locator("#claim-form")).to_be_visible()  # claim again


def test_it_says_what_to_do_without_a_code_alike_for_registered_and_unknown_numbers(page, users):
    page.goto("/#/login?via=sms")
    hints = []
    for mobile in (users["enterprise"].mobile, "13955556666"):
        page.reload()
        page.locator("#mobile").fill(mobile)
        page.locator("#sms-send").click()
        expect(page.locator("#sms-nocode")).to_be_visible()
        hints.append((page.locator("#sms-info").inner_text(), page.locator("#sms-nocode").inner_text()))
    assert hints[0] == hints[1]
    assert "验证码已发送" not in hints[0][0]
    assert "企业注册" in hints[0][1] and "1分钟" in hints[0][1]
    assert small_touch_targets(page) == []
    page.locator("#sms-nocode-register").click()
    expect(page.locator("#join-screen")).to_be_visible()
