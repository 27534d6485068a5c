"""The deadline rules at their edges, and the words that explain a deadline."""

import datetime as dt

import pytest

from backend.workdays.engine import WorkCalendar, YearPlan, official_is_workday, official_plan

CST = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(scope="module")
def calendar():
    return WorkCalendar.from_plans({y: official_plan(y) for y in range(2019, 2028)}.get)


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=CST)


def test_it_explains_the_issues_example_word_for_word(calendar):
    deadline = calendar.deadline_after(at(2026, 5, 8, 16, 0), 3)
    assert deadline.at == at(2026, 5, 12, 17, 30)
    assert deadline.explained == "5月8日 16:00 提交，加 3 个工作日；5月9日（周六）调休上班 → 5月12日 17:30"


def test_it_counts_a_receipt_at_exactly_1730_from_the_next_working_day(calendar):
    deadline = calendar.deadline_after(at(2026, 5, 8, 17, 30), 3)
    assert deadline.at == at(2026, 5, 13, 17, 30)
    assert "已过 17:30 下班时间" in deadline.explained and "从 5月9日 起算" in deadline.explained
    # One microsecond earlier it is still day 0.
    assert calendar.deadline_after(at(2026, 5, 8, 17, 29, 59, 999999), 3).at == at(2026, 5, 12, 17, 30)


def test_it_counts_the_day_of_a_receipt_at_0900_and_at_midnight_as_day_0(calendar):
    assert calendar.deadline_after(at(2026, 6, 10, 9, 0), 1).at == at(2026, 6, 11, 17, 30)
    midnight = calendar.deadline_after(at(2026, 6, 10, 0, 0), 1)
    assert midnight.at == at(2026, 6, 11, 17, 30)
    assert midnight.explained == "6月10日 00:00 提交，加 1 个工作日 → 6月11日 17:30"


def test_it_ends_a_zero_day_deadline_the_same_evening(calendar):
    assert calendar.deadline_after(at(2026, 6, 10, 16, 0), 0).at == at(2026, 6, 10, 17, 30)


def test_it_treats_a_make_up_saturday_as_a_working_day_0(calendar):
    deadline = calendar.deadline_after(at(2026, 5, 9, 10, 0), 1)  # Saturday 9 May 2026: 调休上班
    assert deadline.at == at(2026, 5, 11, 17, 30)
    assert "5月9日（周六）调休上班" in deadline.explained and "起算" not in deadline.explained


def test_it_starts_a_receipt_in_the_spring_festival_after_the_holiday(calendar):
    deadline = calendar.deadline_after(at(2026, 2, 17, 10, 0), 2)  # 春节 2026: 15–23 February
    assert deadline.at == at(2026, 2, 26, 17, 30)
    assert "（当天放假），从 2月24日 起算" in deadline.explained and "春节放假" in deadline.explained


def test_it_names_the_holidays_it_skipped(calendar):
    deadline = calendar.deadline_after(at(2026, 4, 30, 18, 0), 3)
    assert deadline.at == at(2026, 5, 9, 17, 30)
    assert deadline.explained == (
        "4月30日 18:00 提交（已过 17:30 下班时间），从 5月6日 起算，加 3 个工作日；"
        "5月1日至5月5日 劳动节放假，5月9日（周六）调休上班 → 5月9日 17:30"
    )


def test_it_says_an_ordinary_weekend_is_a_weekend(calendar):
    deadline = calendar.deadline_after(at(2026, 6, 13, 11, 0), 1)  # a Saturday
    assert deadline.at == at(2026, 6, 16, 17, 30)
    assert deadline.explained == "6月13日 11:00 提交（周六休息），从 6月15日 起算，加 1 个工作日 → 6月16日 17:30"


def test_it_converts_a_receipt_from_another_time_zone(calendar):
    # 08:00 UTC is 16:00 in Shanghai: before the end of the day, so day 0.
    start = dt.datetime(2026, 5, 8, 8, 0, tzinfo=dt.timezone.utc)
    assert calendar.deadline_after(start, 3).at == at(2026, 5, 12, 17, 30)


def test_it_waits_for_the_calendar_across_2026_into_2027(calendar):
    deadline = calendar.deadline_after(at(2026, 12, 29, 10, 0), 5)
    assert deadline.at is None and deadline.pending_year == 2027
    assert "2027年" in deadline.explained and "待日历确认" in deadline.explained
    # Even the next day when 31 December is after hours: never a Monday–Friday guess.
    assert calendar.deadline_after(at(2026, 12, 31, 18, 0), 0).at is None
    assert calendar.deadline_after(at(2026, 12, 31, 9, 0), 0).at == at(2026, 12, 31, 17, 30)


def test_it_resolves_the_same_deadline_once_2027_is_known():
    plan_2027 = YearPlan(year=2027, holidays={dt.date(2027, 1, 1): "元旦"})
    plans = {y: official_plan(y) for y in range(2019, 2027)} | {2027: plan_2027}
    deadline = WorkCalendar.from_plans(plans.get).deadline_after(at(2026, 12, 29, 10, 0), 5)
    assert deadline.at == at(2027, 1, 6, 17, 30)
    assert "2027年1月1日 元旦放假" in deadline.explained and deadline.explained.endswith("→ 2027年1月6日 17:30")


def test_it_answers_working_time_and_the_next_working_moment(calendar):
    assert calendar.is_working_time(at(2026, 5, 9, 10, 0)) is True  # make-up Saturday
    assert calendar.is_working_time(at(2026, 5, 1, 10, 0)) is False  # 劳动节
    assert calendar.is_working_time(at(2026, 5, 8, 17, 30)) is False
    assert calendar.is_working_time(at(2027, 3, 1, 10, 0)) is None
    assert calendar.next_working_moment(at(2026, 9, 30, 18, 0)) == at(2026, 10, 8, 9, 0)
    assert calendar.next_working_moment(at(2026, 5, 8, 7, 0)) == at(2026, 5, 8, 9, 0)
    assert calendar.next_working_moment(at(2026, 5, 8, 12, 0)) == at(2026, 5, 8, 12, 0)
    assert calendar.next_working_moment(at(2026, 12, 31, 18, 0)) is None


def test_it_takes_a_day_by_day_source_and_configurable_hours():
    calendar = WorkCalendar(is_workday=official_is_workday, start=dt.time(8, 30), end=dt.time(17, 0))
    deadline = calendar.deadline_after(at(2026, 5, 8, 17, 0), 1)
    assert deadline.at == at(2026, 5, 11, 17, 0)
    assert "已过 17:00 下班时间" in deadline.explained
    assert calendar.next_working_moment(at(2026, 5, 11, 8, 0)) == at(2026, 5, 11, 8, 30)


def test_it_refuses_a_naive_start_and_a_negative_count(calendar):
    with pytest.raises(ValueError):
        calendar.deadline_after(dt.datetime(2026, 5, 8, 16, 0), 3)
    with pytest.raises(ValueError):
        calendar.deadline_after(at(2026, 5, 8, 16, 0), -1)
