"""The manager screens (issue 5): 团队 → 轨迹 → flag review, and 报表.

A team of its own — demo_manager and demo_staff — and one day of demo_staff's
visits written with the ORM: three visits, the second one flagged
outside_geofence. The manager works on a tablet; a phone gets a quick look too.
"""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
from e2e_support import PASSWORD, acknowledge_privacy, log_in, make_enterprise, offset, small_touch_targets, snap
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

SHANGHAI = ZoneInfo("Asia/Shanghai")
TABLET = {"viewport": {"width": 1024, "height": 768}, "is_mobile": True, "has_touch": True, "device_scale_factor": 1}


def the_day() -> dt.date:
    """Two days ago in Shanghai: a past day, whatever time the test runs."""
    return dt.datetime.now(SHANGHAI).date() - dt.timedelta(days=2)


def at(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), SHANGHAI)


def visit(staff, enterprise, start, minutes, where_in, where_out, *, flags=(), distance=12.0, rating=None, demands=0):
    from backend.demands.models import Demand
    from backend.visits.models import Visit

    end = start + dt.timedelta(minutes=minutes)
    made = Visit.objects.create(
        client_id=uuid.uuid4(), staff=staff, enterprise=enterprise,
        checkin_at=start, checkin_received_at=start, checkin_lat=where_in[0], checkin_lng=where_in[1], checkin_accuracy_m=12,
        distance_m=distance, within_geofence=not flags, flags=list(flags), purpose="service", summary="了解用工情况",
        checkout_client_id=uuid.uuid4(), checkout_at=end, checkout_received_at=end,
        checkout_lat=where_out[0], checkout_lng=where_out[1], checkout_accuracy_m=15, checkout_distance_m=20, checkout_flags=[],
        rating=rating,
    )
    Demand.objects.bulk_create([
        Demand(visit=made, enterprise=enterprise, raised_by=staff, channel="visit", category="labour", description="需要招聘熟练工")
        for _ in range(demands)
    ])
    return made


@pytest.fixture
def team_day(transactional_db, town):
    """demo_manager and demo_staff in one team, and demo_staff's day of visits."""
    from backend.accounts.models import OrgUnit, User

    team = OrgUnit.objects.create(code="e2e-mgr-team", name="招商一组", kind="team")
    manager = User.objects.create_user(username="demo_manager", password=PASSWORD, role="manager", display_name="李科长", org_unit=team)
    staff = User.objects.create_user(username="demo_staff", password=PASSWORD, role="staff", display_name="王小明", org_unit=team)
    acknowledge_privacy(manager, staff)
    a = make_enterprise("青枫精密机械有限公司", 31.121, 121.421, n=901, assigned_staff_id=staff.id)
    b = make_enterprise("青枫新材料科技有限公司", 31.130, 121.430, n=902, assigned_staff_id=staff.id)
    c = make_enterprise("青枫食品有限公司", 31.110, 121.410, n=903)
    day = the_day()
    visits = [
        visit(staff, a, at(day, 9), 40, (31.1211, 121.4211), offset(31.1211, 121.4211, north_m=25, east_m=25), rating=5),
        # Checked in 400 m from the enterprise: flagged for the manager.
        visit(staff, b, at(day, 11), 30, offset(31.130, 121.430, north_m=-400), offset(31.130, 121.430, north_m=-380, east_m=40),
              flags=["outside_geofence"], distance=400.0, demands=2),
        visit(staff, c, at(day, 14), 45, (31.1101, 121.4101), offset(31.1101, 121.4101, east_m=30)),
    ]
    return {"manager": manager, "staff": staff, "day": day, "visits": visits}


@pytest.fixture
def tablet(new_context):
    page = new_context(**TABLET).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert not errors, f"uncaught JavaScript errors: {errors}"


def open_team_range_with(page, day):
    """The team page shows this month; the day may be in last month (early in a month)."""
    expect(page.locator("#team-table")).to_be_visible()
    if day.month != dt.datetime.now(SHANGHAI).month:
        page.locator("#preset-lastMonth").click()
        expect(page.locator("#preset-lastMonth")).to_have_attribute("aria-pressed", "true")
        expect(page.locator("#team-table")).to_be_visible()


def test_a_manager_reviews_a_flagged_point_of_a_staff_members_day(tablet, team_day):
    from backend.visits.models import FlagReview, LocationAccess

    page, staff, day = tablet, team_day["staff"], team_day["day"]
    flagged = team_day["visits"][1]
    log_in(page, "demo_manager")

    # 团队: the sortable table with the staff member's figures and the totals.
    expect(page.locator("#app")).to_have_attribute("data-route", "team")
    open_team_range_with(page, day)
    row = page.locator(f"#team-table tbody tr[data-staff='{staff.id}']")
    expect(row.locator(".team-person-name")).to_have_text("王小明")
    expect(row.locator("td").nth(0)).to_have_text("3")  # visits
    expect(row.locator(".coverage .num")).to_have_text("100%")  # both assigned enterprises visited
    expect(row.locator(".flagged-some .num")).to_have_text("1")
    expect(page.locator("#total-visits")).to_have_text("3")
    page.locator("[data-sort=staff_name]").click()
    expect(page.locator("#team-table th[aria-sort=ascending] [data-sort=staff_name]")).to_be_visible()
    expect(page.locator("#export-team-xlsx")).to_have_attribute("href", re_contains("format=xlsx"))
    assert small_touch_targets(page) == []
    snap(page, "manager-team-tablet")

    # 轨迹: pick the person from the table, then the day.
    row.locator("a.team-person").click()
    expect(page.locator("#app")).to_have_attribute("data-route", "trails")
    expect(page.locator("#trail-staff")).to_have_value(str(staff.id))
    page.locator("#trail-date").fill(day.isoformat())
    expect(page.locator("#trail-map .dxe-trail-pin")).to_have_count(6)
    expect(page.locator("#trail-map path.dxe-trail-path")).to_have_count(1)
    expect(page.locator("#trail-map path.dxe-boundary")).to_have_count(1)
    expect(page.locator("#timeline .timeline-item")).to_have_count(6)
    expect(page.locator("#timeline .timeline-item").nth(2)).to_have_attribute("data-flagged", "true")
    expect(page.locator("#trail-who")).to_have_text("王小明")
    expect(page.locator("#trail-distance")).to_contain_text("公里")
    expect(page.locator("#trail-day")).to_contain_text(f"{day.month}月{day.day}日")
    expect(page.locator("#trail-pending .trail-stat-value")).to_have_text("1")
    # Map beside the timeline on a tablet.
    map_box = page.locator("#trail-map").bounding_box()
    side_box = page.locator("#trail-side").bounding_box()
    assert side_box["x"] >= map_box["x"] + map_box["width"] - 1
    assert small_touch_targets(page) == []
    snap(page, "manager-trail-tablet")

    # Step a day back and forward again.
    page.locator("#day-prev").click()
    expect(page.locator("#trail-empty")).to_contain_text("这一天没有签到记录")
    page.locator("#day-next").click()
    expect(page.locator("#trail-map .dxe-trail-pin")).to_have_count(6)

    # The flagged point on the map → the visit and its review form.
    page.locator("#trail-map .dxe-trail-pin.is-flagged").click()
    sheet = page.locator("#review-sheet")
    expect(sheet.locator("#review-staff")).to_have_text("王小明")
    form = sheet.locator(".review-form[data-flag=outside_geofence]")
    form.locator("button[data-status=rejected]").click()
    form.locator("textarea").fill("签到位置离企业400米，请说明")
    snap(page, "manager-review-tablet")
    form.locator(".review-save").click()
    expect(sheet.locator(".review-flag[data-flag=outside_geofence] .chip[data-status=rejected]")).to_be_visible()
    sheet.locator(".sheet-close").click()
    expect(page.locator("#timeline .timeline-flag[data-flag=outside_geofence]")).to_have_attribute("data-status", "rejected")
    expect(page.locator("#trail-pending .trail-stat-value")).to_have_text("0")
    expect(page.locator("#trail-map .dxe-trail-pin.review-rejected")).to_have_count(1)

    review = FlagReview.objects.get(visit=flagged, flag="outside_geofence")
    assert (review.status, review.reviewer_id, review.comment) == ("rejected", team_day["manager"].id, "签到位置离企业400米，请说明")
    logged = LocationAccess.objects.filter(viewer=team_day["manager"], subject=staff)
    assert logged.filter(what="trail", detail=day.isoformat()).exists()
    assert logged.filter(what="visit", detail=str(flagged.id)).exists()

    # 报表: the month's dashboard with its numbers, and a trend chart.
    page.goto(f"/#/reports?month={day:%Y-%m}")
    expect(page.locator("#dash-visits .dash-number")).to_have_text("3")
    expect(page.locator("#trend-chart[data-periods='12']")).to_be_visible()
    assert page.evaluate("Boolean(window.Chart && Chart.getChart(document.getElementById('trend-chart')))")
    snap(page, "manager-reports-tablet")
    expect(page.locator("#dash-enterprises_visited .dash-number")).to_have_text("3")
    expect(page.locator("#dash-demands .dash-number")).to_have_text("2")
    expect(page.locator("#dash-rating .dash-number")).to_have_text("5")
    expect(page.locator("#dash-visits-mom .change-value")).to_have_text(re_any(r"^—$", r"%$"))
    expect(page.locator("#dash-enterprises #dash-registered")).to_have_text("0")
    page.locator("#grain-week").click()
    expect(page.locator("#trend-chart[data-granularity=week]")).to_have_attribute("data-periods", "12")
    assert page.evaluate("Chart.getChart(document.getElementById('trend-chart')).data.labels.length") == 12
    assert small_touch_targets(page) == []
    page.locator("#trend-card").scroll_into_view_if_needed()
    snap(page, "manager-trend-tablet")


def test_the_manager_screens_fit_a_phone(page, gate, team_day):
    staff, day = team_day["staff"], team_day["day"]
    log_in(page, "demo_manager")
    open_team_range_with(page, day)
    assert small_touch_targets(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    snap(page, "manager-team-phone")

    page.goto(f"/#/trails?staff={staff.id}&date={day.isoformat()}")
    expect(page.locator("#trail-map .dxe-trail-pin")).to_have_count(6)
    # The timeline comes below the map on a phone.
    assert page.locator("#trail-side").bounding_box()["y"] > page.locator("#trail-map").bounding_box()["y"]
    assert small_touch_targets(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    snap(page, "manager-trail-phone")
    page.locator("#timeline .timeline-item[data-flagged=true]").click()
    expect(page.locator("#review-sheet .review-form[data-flag=outside_geofence]")).to_be_visible()
    snap(page, "manager-review-phone")
    page.locator("#review-sheet .sheet-close").click()

    page.locator("#tabbar a[href='#/reports']").click()
    expect(page.locator("#dash-visits .dash-number")).to_be_visible()
    expect(page.locator("#trend-chart[data-periods='12']")).to_be_visible()
    assert small_touch_targets(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    snap(page, "manager-reports-phone")

    # Offline: each screen says so, with a retry that works once the network is back.
    gate.block()
    page.locator("#tabbar a[href='#/team']").click()
    expect(page.locator("#team-body [data-state=offline]")).to_be_visible()
    gate.open()
    page.locator("#team-body [data-state=offline] button").click()
    expect(page.locator("#team-table")).to_be_visible()


def test_a_staff_member_sees_only_their_own_trail(page, team_day):
    log_in(page, "demo_staff")
    page.locator("#tabbar a[href='#/me']").click()
    page.locator("#my-trail-row").click()
    expect(page.locator("#app")).to_have_attribute("data-route", "my-trail")
    page.locator("#trail-date").fill(team_day["day"].isoformat())
    expect(page.locator("#trail-map .dxe-trail-pin")).to_have_count(6)
    expect(page.locator("#trail-staff")).to_have_count(0)
    page.locator("#timeline .timeline-item[data-flagged=true]").click()
    sheet = page.locator("#review-sheet")
    expect(sheet.locator(".review-flag[data-flag=outside_geofence]")).to_be_visible()
    expect(sheet.locator(".review-form")).to_have_count(0)  # staff explain on the visit screen, not review
    # Managers-only routes stay closed.
    page.goto("/#/team")
    expect(page.locator("#app")).to_have_attribute("data-route", "nearby")


def re_contains(text):
    import re

    return re.compile(re.escape(text))


def re_any(*patterns):
    import re

    return re.compile("|".join(f"(?:{p})" for p in patterns))
