"""Reminders before a demand's deadline and escalation after it, only in working time."""

import datetime as dt
import random
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
import time_machine

from apisupport import make_user, run_tasks
from backend.demands.models import Demand
from backend.demands.reminders import reminders_send
from backend.demands.services import _deadline
from backend.jobs.worker import periodic_enqueue_due
from backend.notifications.models import Notice

pytestmark = pytest.mark.django_db
CST = ZoneInfo("Asia/Shanghai")
KINDS = ("demands.remind", "demands.overdue")


def at(*args):
    return dt.datetime(*args, tzinfo=CST)


def working_time(moment: dt.datetime) -> bool:
    """Independently of backend/workdays: chinesecalendar's day, 09:00 ≤ time < 17:30."""
    local = moment.astimezone(CST)
    return chinese_calendar.is_workday(local.date()) and dt.time(9) <= local.time() < dt.time(17, 30)


@pytest.fixture
def desk(users, enterprise, town):
    return {"staff": users["staff"], "manager": users["manager"], "enterprise": enterprise, "raiser": users["staff"]}


def assigned(desk, *, when: dt.datetime, days: int, **fields) -> Demand:
    demand = Demand.objects.create(
        enterprise=desk["enterprise"], raised_by=desk["raiser"], channel="phone", category="labour",
        description="招工", status="assigned", assignee=fields.pop("assignee", desk["staff"]), created_at=when, **fields,
    )
    Demand.objects.filter(id=demand.id).update(**_deadline(start=when, working_days=days))
    demand.refresh_from_db()
    return demand


def notices(kind, user=None):
    qs = Notice.objects.filter(kind=kind)
    return qs.filter(user=user) if user else qs


def test_it_reminds_the_assignee_on_the_morning_it_falls_due_and_tells_the_manager_once_overdue(desk):
    d = assigned(desk, when=at(2026, 11, 2, 10), days=2)  # due Wednesday 11-04 17:30
    assert d.deadline == at(2026, 11, 4, 17, 30)
    with time_machine.travel(at(2026, 11, 3, 16), tick=False):
        assert reminders_send() == {"reminded": 0, "escalated": 0}  # not yet due today
    with time_machine.travel(at(2026, 11, 4, 9, 0), tick=False):
        assert reminders_send() == {"reminded": 1, "escalated": 0}
        assert reminders_send() == {"reminded": 0, "escalated": 0}  # once
    assert notices("demands.remind", desk["staff"]).count() == 1
    assert "17:30 到期" in notices("demands.remind").get().title
    with time_machine.travel(at(2026, 11, 4, 17, 29), tick=False):
        assert reminders_send()["escalated"] == 0
    with time_machine.travel(at(2026, 11, 5, 9, 0), tick=False):
        assert reminders_send() == {"reminded": 0, "escalated": 1}
        assert reminders_send()["escalated"] == 0
    assert notices("demands.overdue", desk["manager"]).count() == 1
    assert notices("demands.overdue", desk["staff"]).count() == 1


def test_it_holds_an_escalation_past_friday_evening_until_monday_morning(desk):
    d = assigned(desk, when=at(2026, 11, 4, 10), days=2)  # due Friday 11-06 17:30
    for moment in (at(2026, 11, 6, 17, 30), at(2026, 11, 6, 20), at(2026, 11, 7, 10), at(2026, 11, 8, 12), at(2026, 11, 9, 8, 59)):
        with time_machine.travel(moment, tick=False):
            assert reminders_send()["escalated"] == 0, moment
    with time_machine.travel(at(2026, 11, 9, 9, 0), tick=False):
        assert reminders_send()["escalated"] == 1
    assert Demand.objects.get(id=d.id).escalated_at == at(2026, 11, 9, 9, 0)


def test_it_sends_nothing_for_a_deadline_still_pending_a_calendar(desk):
    d = assigned(desk, when=at(2026, 12, 29, 10), days=5)
    assert d.deadline is None and "待日历确认" in d.deadline_explained
    with time_machine.travel(at(2026, 12, 31, 10), tick=False):
        assert reminders_send() == {"reminded": 0, "escalated": 0}


def test_it_reminds_a_department_and_escalates_to_its_manager(desk, town):
    colleague = make_user("colleague", "staff", org_unit=town["team"])
    assigned(desk, when=at(2026, 11, 2, 10), days=1, assignee=None, assignee_unit=town["team"])
    with time_machine.travel(at(2026, 11, 3, 9, 15), tick=False):
        assert reminders_send()["reminded"] == 1
    assert set(notices("demands.remind").values_list("user_id", flat=True)) >= {desk["staff"].id, colleague.id}
    with time_machine.travel(at(2026, 11, 4, 9, 15), tick=False):
        assert reminders_send()["escalated"] == 1
    assert notices("demands.overdue", desk["manager"]).count() == 1


def test_it_stops_reminding_once_the_demand_is_resolved(desk):
    d = assigned(desk, when=at(2026, 11, 2, 10), days=1)
    Demand.objects.filter(id=d.id).update(status="resolved")
    with time_machine.travel(at(2026, 11, 4, 10), tick=False):
        assert reminders_send() == {"reminded": 0, "escalated": 0}


def test_it_queues_the_reminders_every_15_minutes_through_the_worker(desk, settings):
    settings.JOBS_EVERY = [job for job in settings.JOBS_EVERY if job[0] == "demand_reminders"]
    assigned(desk, when=at(2026, 11, 2, 10), days=2)
    with time_machine.travel(at(2026, 11, 4, 9, 5), tick=False):
        assert periodic_enqueue_due() == ["demand_reminders"]
        assert periodic_enqueue_due() == []  # a second worker in the same slot
        run_tasks()
    with time_machine.travel(at(2026, 11, 4, 9, 20), tick=False):
        assert periodic_enqueue_due() == ["demand_reminders"]
        run_tasks()
    assert notices("demands.remind").count() == 1


def test_it_sends_nothing_outside_working_hours_in_a_simulated_year(desk, town):
    """Issue 13 acceptance 2: a year of 15-minute ticks under a frozen clock."""
    rng = random.Random(20261202)
    other_unit_staff = make_user("solo", "staff")  # no unit, no manager: the admins hear of it
    start = at(2026, 1, 1)
    demands = []
    for _ in range(120):
        when = start + dt.timedelta(minutes=rng.randrange(0, 350 * 24 * 60))
        who = rng.choice([desk["staff"], other_unit_staff])
        demands.append(assigned(desk, when=when, days=rng.randint(1, 10), assignee=who))
    sent_at = []
    with time_machine.travel(start, tick=False) as clock:
        moment = start
        while moment < at(2027, 1, 1):
            result = reminders_send()
            if result["reminded"] or result["escalated"]:
                sent_at.append(moment)
            moment += dt.timedelta(minutes=15)
            clock.move_to(moment)
    sent = Notice.objects.filter(kind__in=KINDS)
    assert sent.exists() and sent_at
    outside = [n.created_at for n in sent if not working_time(n.created_at)]
    assert outside == [], outside[:5]
    assert all(working_time(m) for m in sent_at)
    # And nothing was simply skipped: every deadline known in 2026 was reminded and escalated once.
    for demand in Demand.objects.filter(id__in=[d.id for d in demands], deadline__lt=at(2026, 12, 31, 9)):
        assert demand.escalated_at is not None and working_time(demand.escalated_at), demand.id
        assert notices("demands.overdue").filter(url=f"#/demands/{demand.id}").values("user").distinct().count() >= 1
