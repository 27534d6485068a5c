"""The manager's figures on the 2nd of a month (issue 12, "What a user hit"): 本月至今
was compared with whole months (red ↓98.7 %), months without data were drawn as 0,
and 团队 opened on 本月 — a table of zeros early in a month."""

import datetime as dt
import uuid

import pytest
import time_machine
from e2e_support import log_in, make_enterprise, snap
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
DEC_2 = dt.datetime(2026, 12, 2, 15, 0, tzinfo=SHANGHAI)
# November: two visits on its first two days and five later; December so far: two.
DAYS = [(2026, 11, 1), (2026, 11, 2), *[(2026, 11, 20 + i) for i in range(5)], (2026, 12, 1), (2026, 12, 2)]


def visit(staff, enterprise, when):
    from backend.visits.models import Visit

    end = when + dt.timedelta(minutes=30)
    return Visit.objects.create(
        client_id=uuid.uuid4(), staff=staff, enterprise=enterprise,
        checkin_at=when, checkin_received_at=when, checkin_lat=31.121, checkin_lng=121.421, checkin_accuracy_m=12,
        distance_m=10, within_geofence=True, flags=[], purpose="service",
        checkout_client_id=uuid.uuid4(), checkout_at=end, checkout_received_at=end,
        checkout_lat=31.121, checkout_lng=121.421, checkout_accuracy_m=12, checkout_distance_m=10, checkout_flags=[],
    )


@pytest.fixture
def december_2nd(new_context, users):
    target = make_enterprise("青枫精密机械有限公司", 31.121, 121.421, n=1)
    for day in DAYS:
        visit(users["staff"], target, dt.datetime(*day, 10, 0, tzinfo=SHANGHAI))
    with time_machine.travel(DEC_2, tick=True):
        context = new_context(service_workers="block")
        context.clock.install(time=DEC_2)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page
        assert not errors, f"uncaught JavaScript errors: {errors}"


def test_it_compares_this_month_so_far_with_the_same_days_of_last_month(december_2nd):
    page = december_2nd
    log_in(page, "e2e_manager")
    page.goto("/#/reports")
    expect(page.locator("#report-month")).to_have_value("2026-12")
    card = page.locator("#dash-visits")
    expect(card.locator(".dash-number")).to_have_text("2")
    # 2 visits on December 1–2 against 2 on November 1–2: flat, not ↓71.4 % against November's 7.
    expect(page.locator("#dash-visits-mom .change-value")).to_have_text("0%")
    expect(page.locator("#dash-visits-mom")).to_have_attribute("data-direction", "flat")
    expect(page.locator("#report-partial")).to_contain_text("本月至今（2 天）")
    expect(page.locator("#report-partial")).to_contain_text("上月同期")
    snap(page, "walk-8-dashboard-like-for-like")


def test_it_draws_months_without_data_as_a_gap_not_as_zero(december_2nd):
    page = december_2nd
    log_in(page, "e2e_manager")
    page.goto("/#/reports")
    canvas = page.locator("#trend-chart")
    expect(canvas).to_have_attribute("data-metric", "visits")
    lines = page.evaluate(
        """() => {
            const chart = Chart.getChart(document.querySelector('#trend-chart'));
            return chart.data.datasets.map((d) => ({ type: d.type, data: d.data, spanGaps: d.spanGaps }));
        }"""
    )
    bars, last_year = lines
    # The town's data begins in November 2026: a year before is unknown, drawn as nothing.
    assert last_year["type"] == "line" and last_year["spanGaps"] is False
    assert last_year["data"] and all(v is None for v in last_year["data"]), last_year
    assert bars["data"][-2:] == [7, 2] and all(v is None for v in bars["data"][:-2]), bars
    snap(page, "walk-8-trend-gaps")


def test_it_opens_the_team_report_on_the_last_30_days(december_2nd):
    page = december_2nd
    log_in(page, "e2e_manager")
    page.goto("/#/team")
    expect(page.locator("#preset-last30")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#team-from")).to_have_value("2026-11-03")
    expect(page.locator("#team-to")).to_have_value("2026-12-02")
    # November 20–24 and December 1–2: not the two of 本月.
    expect(page.locator("#total-visits")).to_have_text("7")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    snap(page, "walk-8-team-last-30-days")
