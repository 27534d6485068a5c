"""The demands screens on a 360-px phone (issue 13 item 7): an enterprise raises a demand,
the manager assigns it from the intake queue, the official takes it through to 已办结,
the enterprise rates it 不满意 and it is back on the official's desk — each step on the
timeline, the deadline with how it was counted, a refused step's message as the server
wrote it, the overdue list, and the last list kept for offline."""

import datetime as dt
import re

import pytest
import time_machine
from e2e_support import log_in, small_touch_targets, snap
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
# The issue's own example: a Friday 16:00; Saturday 5月9日 is a make-up working day (调休).
FRIDAY = dt.datetime(2026, 5, 8, 15, 58, tzinfo=SHANGHAI)


def phone_of(new_context, username):
    context = new_context()
    context.clock.install(time=FRIDAY)  # the browser's "now" is the server's (overdue marks)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, username)
    return page, errors


def status(page):
    return page.locator("#demand-detail .dm-head .dm-status")


def test_it_takes_a_demand_from_the_enterprise_through_the_officials_and_back_on_a_bad_rating(new_context, users, town):
    from backend.demands import services
    from backend.demands.models import Demand

    with time_machine.travel(FRIDAY, tick=True):
        # The enterprise: 诉求与消息 → 我的诉求 → 提出诉求.
        ent, ent_errors = phone_of(new_context, "e2e_enterprise")
        ent.locator("#tabbar a[href='#/messages']").click()
        ent.locator("#messages-demands").click()
        expect(ent.locator("#demands-body [data-state=empty]")).to_contain_text("还没有提出过诉求")
        expect(ent.locator("#tabbar a[href='#/messages']")).to_have_attribute("aria-current", "page")
        ent.locator("#demand-raise").click()
        ent.locator("#raise-submit").click()
        expect(ent.locator("#raise-error")).to_have_text("请选择诉求类别")
        ent.locator("label[for=demand-category-labour]").click()
        ent.locator("#demand-description").fill("需要招聘20名熟练工，希望对接招聘会")
        assert small_touch_targets(ent) == []
        ent.locator("#raise-submit").click()
        expect(status(ent)).to_have_text("待交办")
        demand = Demand.objects.get()
        assert (demand.channel, demand.category, demand.enterprise.name) == ("app", "labour", "测试精密制造有限公司")
        assert ent.evaluate("location.hash") == f"#/demands/{demand.id}"
        expect(ent.locator("#demand-deadline")).to_have_text("交办后开始计时")
        expect(ent.locator("#demand-timeline .dm-step")).to_have_count(1)

        # The manager: 诉求 → 待交办 → assign to 王干部 with 3 working days.
        mgr, mgr_errors = phone_of(new_context, "e2e_manager")
        mgr.locator("#tabbar a[href='#/demands']").click()
        expect(mgr.locator("#demands-tab-intake")).to_have_attribute("aria-pressed", "true")
        mgr.locator(f"#demand-{demand.id}").click()
        expect(mgr.locator("#demand-verify-form")).to_have_count(0)  # only what the server offers
        select = mgr.locator("#demand-assignee-select")
        expect(select.locator(f"option[value='{users['staff'].id}']")).to_have_count(1)
        select.select_option(str(users["staff"].id))
        mgr.locator("#demand-working-days").fill("3")
        mgr.locator("#demand-assign-comment").fill("请三天内联系企业")
        assert small_touch_targets(mgr) == []
        snap(mgr, "demands-1-assign")
        mgr.locator("#demand-assign").click()
        expect(status(mgr)).to_have_text("已交办")
        expect(mgr.locator("#demand-assignee")).to_contain_text("王干部")
        expect(mgr.locator("#demand-deadline")).to_have_text(re.compile(r"5/12.*17:30|5月12日.*17:30"))
        # The deadline's derivation, one tap away.
        explained = mgr.locator("#demand-deadline-explained")
        expect(explained).to_be_hidden()
        mgr.locator("#demand-deadline-explain summary").click()
        expect(explained).to_be_visible()
        expect(explained).to_contain_text("加 3 个工作日；5月9日（周六）调休上班 → 5月12日 17:30")
        snap(mgr, "demands-2-deadline")

        # The official: 诉求 (交办给我) → open → verify; the manager was quicker: 409 as is.
        staff, staff_errors = phone_of(new_context, "e2e_staff")
        staff.locator("#tabbar a[href='#/demands']").click()
        card = staff.locator(f"#demand-{demand.id}")
        expect(card).to_contain_text("测试精密制造有限公司")
        expect(card).to_contain_text("办理时限")
        card.click()
        expect(staff.locator("#demand-verify")).to_be_visible()
        services.demand_verify(user=users["manager"], demand_id=demand.id, comment="")
        staff.locator("#demand-verify").click()
        expect(staff.locator("#demand-verify-error")).to_have_text("诉求当前为「核查研判」，不能进行「核查研判」")
        staff.locator("#demand-verify-refresh").click()
        expect(status(staff)).to_have_text("核查研判")
        staff.locator("#demand-handle-comment").fill("已联系人社所")
        staff.locator("#demand-handle").click()
        expect(status(staff)).to_have_text("处办中")
        staff.locator("#demand-resolve").click()
        expect(staff.locator("#demand-resolve-error")).to_have_text("请填写办理结果")
        staff.locator("#demand-resolution-text").fill("已推荐三场招聘会，企业已报名")
        staff.locator("#demand-resolve").click()
        expect(status(staff)).to_have_text("已办结")
        expect(staff.locator(".dm-action")).to_have_count(0)

        # The enterprise rates 不满意: back to 处办中, the step on the timeline, a new deadline.
        ent.reload()
        expect(status(ent)).to_have_text("已办结")
        expect(ent.locator("#demand-resolution")).to_contain_text("已推荐三场招聘会")
        ent.locator("label[for=demand-rating-unsatisfied]").click()
        ent.locator("#demand-rate-comment").fill("只推荐了招聘会，还没招到人")
        assert small_touch_targets(ent) == []
        snap(ent, "demands-3-rate")
        ent.locator("#demand-rate").click()
        expect(status(ent)).to_have_text("处办中")
        steps = ent.locator("#demand-timeline .dm-step")
        expect(steps).to_have_count(6)
        expect(steps.nth(1)).to_contain_text("交办：待交办 → 已交办")
        expect(steps.nth(1)).to_contain_text("李科长")
        expect(steps.nth(1)).to_contain_text("请三天内联系企业")
        expect(steps.nth(5)).to_contain_text("回访评价：已办结 → 处办中")
        expect(steps.nth(5)).to_contain_text("不满意")
        expect(steps.nth(5)).to_contain_text("只推荐了招聘会，还没招到人")
        expect(steps.nth(5)).to_contain_text("赵经理")
        ent.locator("#demand-deadline-explain summary").click()
        expect(ent.locator("#demand-deadline-explained")).to_contain_text("加 3 个工作日")
        assert ent.evaluate("document.documentElement.scrollWidth") <= 360

        demand.refresh_from_db()
        assert (demand.status, demand.rating, demand.assignee_id) == ("handling", "unsatisfied", users["staff"].id)
        staff.goto("/#/demands")
        expect(staff.locator(f"#demand-{demand.id} .dm-status")).to_have_text("处办中")
        assert ent_errors == mgr_errors == staff_errors == []


def test_it_lists_overdue_demands_first_and_keeps_the_last_list_for_offline(new_context, users, town):
    from django.utils import timezone

    from backend.demands import services
    from backend.demands.models import Demand
    from backend.enterprises.models import Enterprise

    ent = Enterprise.objects.get()

    def assigned(text, deadline):
        d = services.demand_raise(user=users["staff"], category="site", description=text, enterprise_id=ent.id)
        services.demand_assign(user=users["manager"], demand_id=d.id, assignee_id=users["staff"].id)
        Demand.objects.filter(id=d.id).update(deadline=deadline)
        return d

    now = timezone.now()
    later = assigned("想租500平方米的仓库", now + dt.timedelta(days=3))
    late = assigned("厂房漏水，需协调业主维修", now - dt.timedelta(days=1))

    staff = new_context().new_page()
    log_in(staff, "e2e_staff")
    staff.goto("/#/demands")
    cards = staff.locator("#demands-list .dm-card")
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_have_attribute("id", f"demand-{late.id}")  # due soonest (here: overdue) first
    expect(cards.nth(0)).to_have_class(re.compile(r"\bis-overdue\b"))
    expect(cards.nth(0)).to_contain_text("已超期")
    expect(cards.nth(1)).not_to_contain_text("已超期")
    snap(staff, "demands-4-assigned-to-me")

    mgr = new_context().new_page()
    log_in(mgr, "e2e_manager")
    mgr.goto("/#/demands")
    mgr.locator("#demands-tab-overdue").click()
    expect(mgr.locator("#demands-list .dm-card")).to_have_count(1)
    expect(mgr.locator(f"#demand-{late.id}")).to_contain_text("已超期")
    assert later.id  # on time: not on the overdue list

    # Offline: the list last seen, said to be a cached one; raising says it was not sent.
    staff.context.set_offline(True)
    staff.evaluate("location.hash = '#/demands?tab=assigned'")  # the app re-renders the route, no page load
    expect(staff.locator("#demands-cached")).to_contain_text("离线")
    expect(staff.locator("#demands-list .dm-card")).to_have_count(2)
