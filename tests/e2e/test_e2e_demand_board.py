"""The manager's 督办看板 on a 360-px phone (issue 13 items 7 and 8): the overdue figure
matches the ledger, explains itself in one tap, and opens exactly the demands it counts
(not a demand the manager sees elsewhere); the consultations' on-time rates with how each
row was judged; the ledger exported from the list."""

import datetime as dt

import pytest
from e2e_support import log_in, small_touch_targets, snap
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def ledger(users):
    from django.utils import timezone

    from apisupport import make_user
    from backend.accounts.models import OrgUnit
    from backend.consultations.models import Consultation
    from backend.demands.models import Demand, DemandTransition
    from backend.enterprises.models import Enterprise

    ent = Enterprise.objects.get()
    now = timezone.now()
    other_unit = OrgUnit.objects.create(code="e2e-team-2", name="招商二组", kind="team")
    elsewhere = make_user("e2e_other_staff", "staff", org_unit=other_unit)

    def demand(text, *, assignee, deadline, status="handling"):
        return Demand.objects.create(
            enterprise=ent, category="labour", description=text, channel="phone", raised_by=users["manager"],
            assignee=assignee, status=status, deadline=deadline, deadline_explained="测试时限",
        )

    month_start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)

    def past(delta):
        # Within this month, so the team report and the dashboard count them too.
        return max(month_start + dt.timedelta(minutes=1), now - delta)

    overdue = [
        demand("厂房漏水，需协调业主维修", assignee=users["staff"], deadline=past(dt.timedelta(days=2))),
        demand("用工缺口 20 人", assignee=users["staff"], deadline=past(dt.timedelta(hours=3)), status="assigned"),
        demand("贷款贴息申请", assignee=users["staff"], deadline=past(dt.timedelta(minutes=30)), status="verifying"),
    ]
    on_time = demand("仓库租赁", assignee=users["staff"], deadline=now + dt.timedelta(days=20))
    # Handed by our manager to another team: the manager sees it, their board does not count it.
    theirs = demand("另一组的超期诉求", assignee=elsewhere, deadline=now - dt.timedelta(days=1))
    DemandTransition.objects.create(demand=theirs, actor=users["manager"], action="assign", from_status="pending", to_status="assigned")

    def consultation(subject, *, deadline, answered, on_time):
        return Consultation.objects.create(
            asked_by=users["enterprise"], enterprise=ent, category="policy", subject=subject, official=users["staff"],
            status="answered", deadline=deadline, deadline_explained="提交起 2 个工作日", deadline_from=deadline - dt.timedelta(days=2),
            working_days=2, first_answer_at=answered, first_answer_by=users["staff"], answered_on_time=on_time,
        )

    deadline = max(month_start + dt.timedelta(minutes=1), now - dt.timedelta(hours=1))
    answered = [
        consultation("稳岗补贴怎么申请", deadline=deadline, answered=deadline - dt.timedelta(hours=5), on_time=True),
        consultation("高新企业认定材料", deadline=deadline, answered=deadline + dt.timedelta(minutes=10), on_time=False),
    ]
    return {"overdue": overdue, "on_time": on_time, "theirs": theirs, "consultations": answered}


def test_a_manager_opens_the_board_explains_the_overdue_figure_and_gets_exactly_those_demands(new_context, users, town, ledger):
    page = new_context().new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "e2e_manager")

    page.locator("#tabbar a[href='#/demands']").click()
    page.locator("#demands-to-board").click()
    expect(page.locator("#tabbar a[href='#/demands']")).to_have_attribute("aria-current", "page")
    expect(page.locator("#board-overdue-value")).to_have_text("3")
    expect(page.locator("#board-open-value")).to_have_text("4")
    row = page.locator(f"#board-row-official-{users['staff'].id}")
    expect(row).to_contain_text("王干部")
    expect(row.locator("[data-due=overdue]")).to_have_text("3")
    assert small_touch_targets(page) == []
    snap(page, "board-1")

    # "How is this counted?" — one tap, the server's own words.
    page.locator("#board-overdue-why").click()
    sheet = page.locator("#board-why-sheet")
    expect(sheet).to_be_visible()
    expect(sheet.locator("#board-why-text")).to_contain_text("办理时限早于")
    expect(sheet.locator("#board-why-open")).to_have_text("查看这 3 件诉求")
    snap(page, "board-2-why")
    sheet.locator(".sheet-close").click()
    expect(sheet).to_have_count(0)

    # The figure opens exactly those demands, the earliest deadline first.
    page.locator("#board-overdue-open").click()
    cards = page.locator("#board-list .dm-card")
    expect(cards).to_have_count(3)
    assert cards.evaluate_all("cards => cards.map((c) => c.id)") == [f"demand-{d.id}" for d in ledger["overdue"]]
    expect(page.locator("#board-list-count")).to_have_attribute("data-count", "3")
    expect(page.locator(f"#demand-{ledger['theirs'].id}")).to_have_count(0)
    snap(page, "board-3-overdue")

    # The plain 已超期 list shows the demand handed elsewhere too: the board's list is the board's scope.
    page.goto("/#/demands?tab=overdue")
    expect(page.locator("#demands-list .dm-card")).to_have_count(4)

    # An official's row: their overdue demands.
    page.goto("/#/demand-board")
    page.locator(f"#board-row-official-{users['staff'].id} [data-due=overdue]").click()
    expect(page.locator("#board-list-title")).to_contain_text("王干部")
    expect(page.locator("#board-list .dm-card")).to_have_count(3)
    assert not errors, errors


def test_an_admin_opens_a_departments_board_from_the_citys_and_its_overdue_demands(new_context, users, town, ledger):
    from backend.accounts.models import OrgUnit

    page = new_context().new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "e2e_admin")
    page.goto("/#/demand-board")
    expect(page.locator("#board-overdue-value")).to_have_text("4")  # the city: ours and the other team's
    team = OrgUnit.objects.get(code="e2e-team")
    row = page.locator(f"#board-row-unit-{team.id}")
    expect(row.locator("[data-due=overdue]")).to_have_text("3")
    row.locator(".mb-name").click()
    expect(page.locator("#board-scope")).to_contain_text("招商一组")
    expect(page.locator("#board-overdue-value")).to_have_text("3")
    page.locator("#board-overdue-open").click()
    expect(page.locator("#board-list .dm-card")).to_have_count(3)
    page.locator("#board-list-back").click()
    expect(page.locator("#board-to-city")).to_be_visible()
    assert not errors, errors


def test_a_manager_reads_the_consultations_on_time_rates_and_how_each_row_was_judged(new_context, users, town, ledger):
    page = new_context().new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "e2e_manager")
    page.goto("/#/demand-board")
    page.locator("#board-to-rates").click()
    page.locator("#rates-kind-consultations").click()
    expect(page.locator("#rates-explain")).to_contain_text("2 个工作日")
    official = page.locator(f"#rate-official-{users['staff'].id}")
    expect(official).to_contain_text("王干部")
    expect(official).to_contain_text("50%")
    expect(official).to_contain_text("计入 2 · 按时 1 · 超时 1")
    assert small_touch_targets(page) == []
    official.click()
    rows = page.locator("#rates-rows-sheet #rates-rows > li")
    expect(rows).to_have_count(2)
    on_time, late = ledger["consultations"]
    expect(page.locator(f"#consultation-{on_time.id}")).to_have_attribute("data-verdict", "on_time")
    expect(page.locator(f"#consultation-{late.id}")).to_have_attribute("data-verdict", "late")
    expect(page.locator(f"#consultation-{late.id}")).to_contain_text("超时")
    snap(page, "board-4-consult-rates")
    assert not errors, errors


def test_a_manager_exports_the_ledger_from_the_list(new_context, users, town, ledger):
    page = new_context().new_page()
    log_in(page, "e2e_manager")
    page.goto("/#/demands")
    page.locator("#demands-export").click()
    expect(page.locator("#export-sheet")).to_be_visible()
    assert small_touch_targets(page) == []
    with page.expect_download() as info:
        page.locator("#export-csv").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    text = open(download.path(), encoding="utf-8-sig").read()
    assert "厂房漏水" in text and "办理时限" in text
    expect(page.locator("#export-saved")).to_be_visible()


def test_a_manager_sees_the_ledger_in_the_team_report_and_the_trends(new_context, users, town, ledger):
    page = new_context().new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "e2e_manager")
    page.goto("/#/team")
    expect(page.locator("#total-demands-overdue-card .stat-value")).to_have_text("3")
    expect(page.locator("#team-table [data-sort=demands_overdue]")).to_have_text("逾期↕")
    expect(page.locator("#total-demands_overdue")).to_have_text("3")
    expect(page.locator("#team-demands-hint")).to_contain_text("诉求台账")
    snap(page, "board-5-team")

    page.locator("#tabbar a[href='#/reports']").click()
    expect(page.locator("#dash-demands_overdue .dash-number")).to_have_text("3")
    page.locator("#dash-demands_overdue-why").click()
    expect(page.locator("#dash-why-text")).to_contain_text("未在时限前办结")
    page.locator("#dash-why-sheet .sheet-close").click()
    page.locator("#trend-metric").select_option("demands_overdue")
    expect(page.locator("#trend-hint")).to_contain_text("办理时限落在该期")
    snap(page, "board-6-trends")
    assert not errors, errors
