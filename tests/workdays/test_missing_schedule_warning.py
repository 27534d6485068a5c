"""From 1 November the admins are told, once a day at most, that next year has no schedule."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from apisupport import run_tasks
from backend.jobs.worker import daily_enqueue_due
from backend.notifications.models import Notice
from backend.workdays.models import YearSchedule
from backend.workdays.services import missing_schedule_warn

pytestmark = pytest.mark.django_db

CST = dt.timezone(dt.timedelta(hours=8))


def warnings_for(user) -> list[Notice]:
    return list(Notice.objects.filter(user=user, kind="workdays.missing_schedule"))


def test_it_warns_every_admin_once_a_day_from_1_november(users):
    assert missing_schedule_warn(today=dt.date(2026, 10, 30)) == 0  # a Friday, before 1 November
    assert missing_schedule_warn(today=dt.date(2026, 11, 2)) == 1  # a Monday
    assert missing_schedule_warn(today=dt.date(2026, 11, 2)) == 0  # the same day again
    notices = warnings_for(users["admin"])
    assert len(notices) == 1 and notices[0].title == "2027年节假日安排尚未录入" and "待日历确认" in notices[0].body
    assert not Notice.objects.filter(user=users["staff"], kind="workdays.missing_schedule").exists()
    assert missing_schedule_warn(today=dt.date(2026, 11, 3)) == 1
    assert len(warnings_for(users["admin"])) == 2


def test_it_waits_for_a_working_day(users):
    assert missing_schedule_warn(today=dt.date(2026, 11, 7)) == 0  # a Saturday
    assert missing_schedule_warn(today=dt.date(2026, 11, 9)) == 1


def test_it_stops_once_the_year_is_entered(users):
    YearSchedule.objects.create(year=2027, holidays=[{"date": "2027-01-01", "name": "元旦"}], workdays=[])
    assert missing_schedule_warn(today=dt.date(2026, 12, 2)) == 0
    # And says nothing about a year chinesecalendar knows.
    assert missing_schedule_warn(today=dt.date(2025, 12, 2)) == 0


def test_it_runs_as_a_daily_job_of_the_workers(users):
    with time_machine.travel(dt.datetime(2026, 12, 2, 10, 0, tzinfo=CST), tick=False):
        assert "warn_missing_schedule" in daily_enqueue_due()
        assert "warn_missing_schedule" not in daily_enqueue_due()  # once a day, however many workers
        run_tasks()
    assert len(warnings_for(users["admin"])) == 1


def test_it_runs_from_cron_too(users, capsys):
    with time_machine.travel(dt.datetime(2026, 12, 2, 10, 0, tzinfo=CST), tick=False):
        call_command("warn_missing_schedule")
        call_command("warn_missing_schedule")
    assert len(warnings_for(users["admin"])) == 1
    assert "已发送" in capsys.readouterr().out
