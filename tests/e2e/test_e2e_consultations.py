"""The consultation screens on a 360-px phone (issue 13 items 4 and 7, acceptance 4): an
enterprise asks from 诉求与消息 → 在线咨询 and sees at once the answer-by time (with how it
was counted) and the named official; that official finds it under 待我回复 and answers before
the answer-by time; the enterprise reads the answer in the thread, the answer is judged on
time, and it asks a follow-up. A refused step shows the server's message as written; the
desk lists the most overdue first, keeps the last list for offline, hands a consultation on
and turns one into a demand."""

import datetime as dt
import re

import pytest
import time_machine
from e2e_support import log_in, small_touch_targets, snap
from playwright.sync_api import expect

from photo_support import phone_jpeg

pytestmark = pytest.mark.e2e

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
# A Friday 16:00; Saturday 5月9日 is a make-up working day (调休) and counts.
FRIDAY = dt.datetime(2026, 5, 8, 15, 58, tzinfo=SHANGHAI)


def phone_of(new_context, username, when=FRIDAY):
    context = new_context()
    context.clock.install(time=when)  # the browser's "now" is the server's (overdue marks)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, username)
    return page, errors


def status(page):
    return page.locator("#consultation-detail .cs-head .cs-status")


@pytest.fixture
def assigned(users):
    """The company's own 店小二 (王干部, 招商一组) is the named official of its questions."""
    from backend.enterprises.models import Enterprise

    Enterprise.objects.filter(members__user=users["enterprise"]).update(assigned_staff=users["staff"])
    return users


def test_it_has_an_enterprise_ask_and_the_named_official_answer_in_time(new_context, assigned, town, tmp_path):
    from django.utils import timezone

    from backend.consultations import selectors, services
    from backend.consultations.models import Consultation

    users = assigned
    with time_machine.travel(FRIDAY, tick=True):
        # The enterprise: 诉求与消息 → 在线咨询 → 提问.
        ent, ent_errors = phone_of(new_context, "e2e_enterprise")
        ent.locator("#tabbar a[href='#/messages']").click()
        ent.locator("#messages-consultations").click()
        expect(ent.locator("#consultations-body [data-state=empty]")).to_contain_text("还没有提过问题")
        expect(ent.locator("#tabbar a[href='#/messages']")).to_have_attribute("aria-current", "page")
        ent.locator("#consultation-ask").click()
        ent.locator("#ask-submit").click()
        expect(ent.locator("#ask-error")).to_have_text("请选择咨询类别")
        ent.locator("label[for=consultation-category-policy]").click()
        ent.locator("#consultation-subject").fill("研发费用补贴")
        ent.locator("#consultation-text").fill("今年的研发费用补贴怎么申请？需要准备哪些材料？")
        assert small_touch_targets(ent) == []
        snap(ent, "consultations-1-ask")
        ent.locator("#ask-submit").click()

        # At once: the answer-by time, how it was counted, and who answers.
        expect(status(ent)).to_have_text("待回复")
        c = Consultation.objects.get()
        assert (c.asked_by_id, c.official_id, c.category) == (users["enterprise"].id, users["staff"].id, "policy")
        assert ent.evaluate("location.hash") == f"#/consultations/{c.id}?asked=1"
        when = timezone.localtime(c.deadline)
        expect(ent.locator("#consultation-answer-by")).to_have_text(re.compile(rf"{when.month}/{when.day}.*{when:%H:%M}|{when.month}月{when.day}日.*{when:%H:%M}"))
        expect(ent.locator("#consultation-official")).to_have_text("由 招商一组 王干部 负责答复")
        explained = ent.locator("#consultation-explained")
        expect(explained).to_be_visible()  # opened right after asking, no tap needed
        expect(explained).to_contain_text("加 2 个工作日")
        expect(explained).to_contain_text(c.deadline_explained)
        expect(ent.locator("#consultation-thread .cs-msg")).to_have_count(1)
        expect(ent.locator("#consultation-answer-form")).to_have_count(0)  # only what the server offers
        # The material the question is about, as a photo taken on the spot (cleaned on the server).
        material = tmp_path / "审计报告封面.jpg"
        material.write_bytes(phone_jpeg(size=(900, 1200)))
        ent.locator("#consultation-attachments-input").set_input_files(str(material))
        expect(ent.locator("#consultation-attachments-list .att-image")).to_have_count(1)
        assert small_touch_targets(ent) == []
        assert ent.evaluate("document.documentElement.scrollWidth") <= 360
        snap(ent, "consultations-2-asked")

        # The named official: 咨询 → 待我回复 → open → answer.
        staff, staff_errors = phone_of(new_context, "e2e_staff")
        staff.locator("#tabbar a[href='#/consultations']").click()
        expect(staff.locator("#consultations-tab-due")).to_have_attribute("aria-pressed", "true")
        card = staff.locator(f"#consultation-{c.id}")
        expect(card).to_contain_text("研发费用补贴")
        expect(card).to_contain_text("测试精密制造有限公司")
        expect(card).to_contain_text("答复时限")
        expect(card).not_to_contain_text("已超期")
        card.click()
        expect(staff.locator("#consultation-thread")).to_contain_text("需要准备哪些材料")
        expect(staff.locator("#consultation-attachments-list .att-image img")).to_have_attribute("alt", "审计报告封面.jpg")
        expect(staff.locator("#consultation-reassign-form")).to_be_visible()
        expect(staff.locator("#consultation-convert-form")).to_be_visible()
        expect(staff.locator("#consultation-follow_up-form")).to_have_count(0)
        staff.locator("#consultation-answer").click()
        expect(staff.locator("#consultation-answer-error")).to_have_text("请填写答复内容")
        staff.locator("#consultation-answer-text").fill("请在“一网通办”提交研发费用专项审计报告，本月底截止。")
        assert small_touch_targets(staff) == []
        snap(staff, "consultations-3-answer")
        staff.locator("#consultation-answer").click()
        expect(status(staff)).to_have_text("已回复")
        expect(staff.locator("#consultation-judged")).to_have_attribute("data-on-time", "true")

        # Judged on time: before answer_by, counted in the official's monthly rate.
        c.refresh_from_db()
        assert c.answered_on_time is True and c.first_answer_at <= c.deadline
        assert c.first_answer_by_id == users["staff"].id
        rates = selectors.on_time_rates(user=users["manager"], month=f"{timezone.localtime(c.deadline):%Y-%m}")
        mine = [r for r in rates["officials"] if r["official_id"] == users["staff"].id]
        assert [(r["due"], r["on_time"], r["rate"]) for r in mine] == [(1, 1, 1.0)]

        # The enterprise reads the answer in the thread and asks again.
        ent.reload()
        expect(status(ent)).to_have_text("已回复")
        messages = ent.locator("#consultation-thread .cs-msg")
        expect(messages).to_have_count(2)
        expect(messages.nth(0)).to_have_attribute("data-kind", "question")
        expect(messages.nth(1)).to_have_attribute("data-kind", "answer")
        expect(messages.nth(1)).to_contain_text("王干部")
        expect(messages.nth(1)).to_contain_text("研发费用专项审计报告")
        expect(ent.locator("#consultation-judged")).to_contain_text("按时答复")
        ent.locator("#consultation-follow_up-text").fill("审计报告必须由哪类机构出具？")
        assert small_touch_targets(ent) == []
        ent.locator("#consultation-follow_up").click()
        expect(status(ent)).to_have_text("待回复")
        expect(messages).to_have_count(3)
        expect(messages.nth(2)).to_have_attribute("data-kind", "follow_up")
        expect(messages.nth(2)).to_contain_text("审计报告必须由哪类机构出具？")
        snap(ent, "consultations-4-thread")

        # Meanwhile the enterprise closes it elsewhere: the official's answer is refused, as written.
        staff.reload()
        expect(status(staff)).to_have_text("待回复")
        services.consultation_close(user=users["enterprise"], consultation_id=c.id)
        staff.locator("#consultation-answer-text").fill("会计师事务所即可。")
        staff.locator("#consultation-answer").click()
        expect(staff.locator("#consultation-answer-error")).to_have_text("咨询当前为「已关闭」，不能进行「答复」")
        staff.locator("#consultation-answer-refresh").click()
        expect(status(staff)).to_have_text("已关闭")
        expect(staff.locator(".cs-action")).to_have_count(0)
        c.refresh_from_db()
        assert c.answered_on_time is True  # the first answer's judgement stands
        assert ent_errors == staff_errors == []


def test_it_lists_the_most_overdue_first_hands_one_on_converts_one_and_keeps_the_list_offline(new_context, assigned, town):
    from django.utils import timezone

    from backend.consultations import services
    from backend.consultations.models import Consultation
    from backend.demands.models import Demand

    users = assigned
    ask = lambda subject: services.consultation_ask(user=users["enterprise"], category="site", subject=subject, text="详情见标题")  # noqa: E731
    later = ask("想租500平方米的仓库")
    late = ask("厂房漏水，业主不维修怎么办")
    Consultation.objects.filter(id=late.id).update(deadline=timezone.now() - dt.timedelta(hours=2))

    staff = new_context().new_page()
    log_in(staff, "e2e_staff")
    staff.goto("/#/consultations")
    cards = staff.locator("#consultations-list .cs-card")
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_have_attribute("id", f"consultation-{late.id}")  # asked last, but overdue: first
    expect(cards.nth(0)).to_have_class(re.compile(r"\bis-overdue\b"))
    expect(cards.nth(0)).to_contain_text("已超期")
    expect(cards.nth(1)).not_to_contain_text("已超期")
    assert small_touch_targets(staff) == []
    snap(staff, "consultations-5-due")

    # Hand the warehouse question on to the manager's department choice list: to 李科长.
    cards.nth(1).click()
    select = staff.locator("#consultation-reassign-select")
    expect(select.locator(f"option[value='official:{users['manager'].id}']")).to_have_count(1)
    expect(select.locator(f"option[value='official:{users['staff'].id}']")).to_have_count(0)  # not to oneself
    select.select_option(f"official:{users['manager'].id}")
    staff.locator("#consultation-reassign-comment").fill("场地问题请科长统筹")
    staff.locator("#consultation-reassign").click()
    expect(staff.locator("#consultation-official")).to_contain_text("李科长")
    expect(staff.locator("#consultation-thread [data-kind=reassign]")).to_contain_text("场地问题请科长统筹")

    # The manager (本部门待回复) turns it into a demand and follows the link to it.
    mgr = new_context().new_page()
    log_in(mgr, "e2e_manager")
    mgr.goto("/#/consultations?tab=unit")
    expect(mgr.locator("#consultations-list .cs-card")).to_have_count(2)
    mgr.goto(f"/#/consultations/{later.id}")
    mgr.locator("#consultation-convert-comment").fill("转入台账，交办招商一组")
    mgr.locator("#consultation-convert").click()
    link = mgr.locator("#consultation-demand")
    expect(link).to_contain_text("已转为诉求")
    demand = Demand.objects.get()
    expect(link).to_have_attribute("href", f"#/demands/{demand.id}")
    expect(mgr.locator("#consultation-convert-form")).to_have_count(0)
    assert (demand.status, demand.category, demand.raised_by_id) == ("pending", "site", users["enterprise"].id)
    link.click()
    expect(mgr.locator("#demand-description")).to_contain_text("想租500平方米的仓库")

    # Offline: the list last seen, said to be a cached one.
    staff.goto("/#/consultations")
    expect(staff.locator("#consultations-list .cs-card")).to_have_count(1)  # the other one was handed on
    staff.locator("#consultations-tab-all").click()
    expect(staff.locator("#consultations-list .cs-card")).to_have_count(2)  # one handed on: took part
    staff.context.set_offline(True)
    staff.locator("#consultations-tab-due").click()
    expect(staff.locator("#consultations-cached")).to_contain_text("离线")
    expect(staff.locator("#consultations-list .cs-card")).to_have_count(1)
    expect(staff.locator(f"#consultation-{late.id}")).to_contain_text("已超期")
