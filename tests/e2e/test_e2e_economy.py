"""经济指标 on a 360-px phone (issue 16, browser acceptance 1): a manager opens the indicators
from 报表, taps a 同比 figure and lands on the enterprises it compares — the ones that make
the rate, and the one left out with the month it lacks."""

from decimal import Decimal

import pytest
from e2e_support import log_in, make_enterprise, small_touch_targets, snap
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def figures(users):
    from backend.economy.compare import shift_months
    from backend.economy.models import ImportBatch, MonthlyIndicator
    from django.utils import timezone

    last = shift_months(timezone.localdate().replace(day=1), -1)
    year_before = shift_months(last, -12)
    batch = ImportBatch.objects.create(file_name="镇统计月报.xlsx", imported_by=users["admin"])
    firms = [make_enterprise(name, 31.12, 121.42, n=i) for i, name in enumerate(["青枫精密", "东湾纺织", "南塘新材"], start=1)]
    for firm, (now_tax, then_tax) in zip(firms, [(120, 100), (60, 40), (30, None)], strict=True):
        MonthlyIndicator.objects.create(enterprise=firm, month=last, above_scale=True, tax=Decimal(now_tax), batch=batch)
        if then_tax is not None:
            MonthlyIndicator.objects.create(enterprise=firm, month=year_before, above_scale=True, tax=Decimal(then_tax), batch=batch)
    return {"firms": firms, "month": f"{last:%Y-%m}"}


def test_a_manager_taps_a_yoy_figure_and_sees_the_enterprises_behind_it(new_context, users, town, figures):
    page = new_context().new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "e2e_manager")
    page.locator("#tabbar a[href='#/reports']").click()
    page.locator("#report-economy").click()
    expect(page.locator("#economy-heading")).to_contain_text("税收")
    # 120 + 60 + 30 this month; the rate on the two with last year: 180 against 140.
    expect(page.locator("#economy-total-value")).to_have_text("210 万元")
    expect(page.locator("#economy-total-yoy")).to_contain_text("+28.6%")
    expect(page.locator("#economy-total")).to_contain_text("1 家缺基期数据")
    assert small_touch_targets(page) == []
    snap(page, "economy-1")

    page.locator("#economy-total-yoy").click()
    expect(page.locator("#economy-rows-title")).to_contain_text("同比")
    rows = page.locator("#economy-rows .ec-source")
    expect(rows).to_have_count(3)
    left_out = page.locator(f"#economy-rows [data-enterprise='{figures['firms'][2].id}']")
    expect(left_out).to_have_attribute("data-comparable", "false")
    expect(left_out).to_contain_text("未计入增速")
    expect(page.locator("#economy-rows [data-comparable='true']")).to_have_count(2)
    expect(page.locator("#economy-rows").first).to_contain_text("镇统计月报.xlsx")
    snap(page, "economy-2-rows")
    assert errors == []
