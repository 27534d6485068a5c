"""Online consultations through the API: ask, the named official and answer_by, the thread,
reassigning, converting to a demand, the monthly on-time rates, reminders."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from apisupport import ApiClient, make_user, valid_uscc
from backend.accounts.models import OrgUnit
from backend.consultations.models import Consultation, ConsultationMessage
from backend.consultations.reminders import reminders_send
from backend.consultations.services import _deadline, consultations_auto_close, deadlines_recompute
from backend.demands.models import Demand
from backend.enterprises.services import enterprise_create
from backend.notifications.models import Notice
from backend.workdays.hooks import registered

pytestmark = pytest.mark.django_db
CST = ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2026, 11, 2, 10, 0, tzinfo=CST)  # 2 working days → Wed 4 Nov 17:30


def at(*args):
    return dt.datetime(*args, tzinfo=CST)


def as_(user) -> ApiClient:
    client = ApiClient()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def cast(users, enterprise, town):
    enterprise.assigned_staff = users["staff"]
    enterprise.save()
    other_team = OrgUnit.objects.create(code="T2", name="政策服务组", kind="team")
    other_ent = enterprise_create(uscc=valid_uscc("91310112QTHER00"), name="别家企业", lat=31.13, lng=121.43, industry="F")
    return {
        **users,
        "teammate": make_user("teammate", "staff", org_unit=town["team"], display_name="李四"),
        "other_manager": make_user("other_manager", "manager", org_unit=other_team, display_name="赵主任"),
        "other_staff": make_user("other_staff", "staff", org_unit=other_team),
        "other_enterprise": make_user("other_ent_user", "enterprise", enterprise=other_ent),
        "joining": make_user("joining", "enterprise", mobile="13900001111"),  # registered, not verified yet
        "other_team": other_team,
        "team": town["team"],
    }


def ask(user, when=MONDAY, **body):
    with time_machine.travel(when, tick=False):
        response = as_(user).post_json(
            "/api/consultations", {"category": "policy", "subject": "研发补贴", "text": "今年的研发费用补贴怎么申请？", **body}
        )
    assert response.status_code == 201, response.content
    return response.json()


def act(user, cid, action, body=None, when=None):
    with time_machine.travel(when or MONDAY + dt.timedelta(hours=1), tick=False):
        return as_(user).post_json(f"/api/consultations/{cid}/{action}", body or {})


def test_it_shows_the_named_official_and_the_answer_by_time_at_submission(cast):
    c = ask(cast["enterprise"])
    assert c["status"] == "waiting" and c["status_label"] == "待回复"
    assert c["official_id"] == cast["staff"].id and c["official_name"] == "王小明"  # the company's own 店小二
    assert c["unit_name"] == "招商一组"
    assert dt.datetime.fromisoformat(c["answer_by"]) == at(2026, 11, 4, 17, 30)
    assert "加 2 个工作日" in c["deadline_explained"] and "11月4日 17:30" in c["deadline_explained"]
    assert [m["kind"] for m in c["messages"]] == ["question"]
    assert c["actions"] == ["follow_up", "close"]
    row = Consultation.objects.get(id=c["id"])
    assert (row.deadline_from, row.working_days) == (MONDAY, 2)
    assert Notice.objects.filter(user=cast["staff"], kind="consultations.asked").count() == 1


def test_it_routes_by_the_category_table_then_the_default_unit(cast, settings):
    settings.CONSULTATION_ROUTES = {"policy": "T2"}
    c = ask(cast["enterprise"])
    assert (c["unit_name"], c["official_name"]) == ("政策服务组", "赵主任")  # the department's manager
    settings.CONSULTATION_ROUTES = {}
    settings.CONSULTATION_DEFAULT_UNIT = "T2"
    c = ask(cast["joining"], category="labour")
    assert c["enterprise_id"] is None and c["official_id"] == cast["other_manager"].id


def test_it_lets_an_unverified_account_ask_and_see_only_its_own_questions(cast):
    mine = ask(cast["joining"])
    ask(cast["enterprise"])
    listed = as_(cast["joining"]).get("/api/consultations").json()
    assert [i["id"] for i in listed["items"]] == [mine["id"]] and listed["count"] == 1
    assert mine["enterprise_name"] is None


def test_it_lets_only_enterprise_accounts_ask(cast):
    for role in ("staff", "manager", "admin", "owner"):
        response = as_(cast[role]).post_json("/api/consultations", {"category": "policy", "subject": "a", "text": "b"})
        assert response.status_code == 403, role
    assert as_(None).post_json("/api/consultations", {"category": "policy", "subject": "a", "text": "b"}).status_code == 401


def test_it_judges_an_answer_in_time_as_on_time_and_tells_the_enterprise(cast):
    c = ask(cast["enterprise"])
    response = act(cast["staff"], c["id"], "answer", {"text": "请在系统中填报研发费用加计扣除表。"}, when=at(2026, 11, 4, 17, 29))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "answered" and body["answered_on_time"] is True
    assert dt.datetime.fromisoformat(body["first_answer_at"]) == at(2026, 11, 4, 17, 29)
    assert Notice.objects.filter(user=cast["enterprise"], kind="consultations.answered").count() == 1


def test_it_judges_an_answer_after_the_deadline_as_late(cast):
    c = ask(cast["enterprise"])
    body = act(cast["staff"], c["id"], "answer", {"text": "迟到的答复"}, when=at(2026, 11, 4, 17, 30, 1)).json()
    assert body["answered_on_time"] is False


def test_it_keeps_a_thread_of_follow_ups_and_answers_and_the_first_answer_time(cast):
    c = ask(cast["enterprise"])
    act(cast["staff"], c["id"], "answer", {"text": "第一次答复"}, when=at(2026, 11, 3, 9))
    body = act(cast["enterprise"], c["id"], "follow-up", {"text": "那么截止日期是什么时候？"}, when=at(2026, 11, 5, 9)).json()
    assert body["status"] == "waiting"
    assert Notice.objects.filter(user=cast["staff"], kind="consultations.asked").count() == 2
    body = act(cast["teammate"], c["id"], "answer", {"text": "x"})
    assert body.status_code == 404  # a colleague who does not hold it does not see it
    body = act(cast["manager"], c["id"], "answer", {"text": "12月31日前"}, when=at(2026, 11, 6, 9)).json()
    assert [m["kind"] for m in body["messages"]] == ["question", "answer", "follow_up", "answer"]
    assert [m["author_name"] for m in body["messages"]][1:] == ["王小明", "demo_enterprise", "demo_manager"]
    assert dt.datetime.fromisoformat(body["first_answer_at"]) == at(2026, 11, 3, 9) and body["answered_on_time"] is True
    closed = act(cast["enterprise"], c["id"], "close", when=at(2026, 11, 6, 10)).json()
    assert closed["status"] == "closed" and closed["actions"] == []
    for user, action, payload in (
        (cast["staff"], "answer", {"text": "再答"}), (cast["enterprise"], "follow-up", {"text": "再问"}),
        (cast["enterprise"], "close", {}), (cast["staff"], "convert", {}),
    ):
        response = act(user, c["id"], action, payload)
        assert response.status_code == 409 and response.json()["code"] == "illegal_transition", action
        assert "已关闭" in response.json()["detail"]


def test_it_refuses_a_step_to_someone_without_the_right_role(cast):
    c = ask(cast["enterprise"])
    assert act(cast["enterprise"], c["id"], "answer", {"text": "自问自答"}).status_code == 403
    assert act(cast["staff"], c["id"], "follow-up", {"text": "代问"}).status_code == 403
    assert act(cast["staff"], c["id"], "close").status_code == 403
    assert act(cast["other_enterprise"], c["id"], "follow-up", {"text": "?"}).status_code == 404
    assert act(cast["other_manager"], c["id"], "answer", {"text": "?"}).status_code == 404


def test_it_reassigns_without_restarting_the_clock(cast):
    c = ask(cast["enterprise"])
    body = act(cast["staff"], c["id"], "reassign", {"official_id": cast["other_staff"].id, "comment": "属政策类"}).json()
    assert body["official_id"] == cast["other_staff"].id and body["unit_name"] == "政策服务组"
    assert body["answer_by"] == c["answer_by"] and body["deadline_explained"] == c["deadline_explained"]
    assert body["messages"][-1]["kind"] == "reassign" and "政策服务组" in body["messages"][-1]["text"]
    assert Notice.objects.filter(user=cast["other_staff"], kind="consultations.asked").count() == 1
    # The one who passed it on still follows it; the new holder's manager now supervises it.
    assert as_(cast["staff"]).get(f"/api/consultations/{c['id']}").json()["actions"] == []
    unit_move = act(cast["other_manager"], c["id"], "reassign", {"unit_id": cast["team"].id}).json()
    assert unit_move["official_id"] == cast["manager"].id  # a department: its manager answers
    assert act(cast["manager"], c["id"], "reassign", {"official_id": cast["enterprise"].id}).status_code == 422
    assert act(cast["manager"], c["id"], "reassign", {"official_id": cast["staff"].id, "unit_id": 1}).status_code == 422
    assert act(cast["manager"], c["id"], "reassign", {"official_id": cast["manager"].id}).status_code == 409


def test_it_turns_a_consultation_into_a_demand_raised_for_the_enterprise(cast):
    c = ask(cast["enterprise"], category="site", subject="需要厂房", text="想租 2000 平方米的厂房")
    body = act(cast["staff"], c["id"], "convert", {"comment": "转招商一组跟进"}, when=at(2026, 11, 3, 11)).json()
    demand = Demand.objects.get(id=body["demand_id"])
    assert (demand.channel, demand.status, demand.category) == ("app", "pending", "site")
    assert demand.raised_by_id == cast["enterprise"].id and demand.enterprise_id == cast["enterprise"].enterprise_memberships.get().enterprise_id
    assert "想租 2000 平方米的厂房" in demand.description
    step = demand.transitions.get()
    assert step.actor_id == cast["staff"].id and f"编号 {c['id']}" in step.comment
    assert body["status"] == "answered" and body["answered_on_time"] is True
    assert body["messages"][-1]["kind"] == "convert" and f"编号 {demand.id}" in body["messages"][-1]["text"]
    assert "convert" not in body["actions"]
    again = act(cast["staff"], c["id"], "convert")
    assert again.status_code == 409 and again.json()["code"] == "illegal_transition"
    # The enterprise follows it in its demands; a manager finds it in the intake queue.
    assert as_(cast["enterprise"]).get(f"/api/demands/{demand.id}").status_code == 200
    assert as_(cast["other_manager"]).get(f"/api/demands/{demand.id}").status_code == 200


def test_it_cannot_turn_an_unverified_accounts_question_into_a_demand(cast, settings):
    settings.CONSULTATION_DEFAULT_UNIT = "T1"
    c = ask(cast["joining"])
    assert "convert" not in as_(cast["manager"]).get(f"/api/consultations/{c['id']}").json()["actions"]
    response = act(cast["manager"], c["id"], "convert")
    assert response.status_code == 409 and "尚未通过企业认证" in response.json()["detail"]


def test_it_shows_each_role_its_consultations_only(cast):
    mine = ask(cast["enterprise"])
    theirs = ask(cast["other_enterprise"])  # no assigned staff: the first active manager
    listed = lambda role: {i["id"] for i in as_(cast[role]).get("/api/consultations").json()["items"]}  # noqa: E731
    assert listed("enterprise") == {mine["id"]}
    assert listed("other_enterprise") == {theirs["id"]}
    assert listed("staff") == {mine["id"]}
    assert listed("manager") == {mine["id"], theirs["id"]}  # held by someone in their unit, and by them
    assert listed("admin") == {mine["id"], theirs["id"]}
    assert listed("owner") == set() and listed("other_staff") == set()
    assert as_(cast["teammate"]).get(f"/api/consultations/{mine['id']}").status_code == 404
    assert as_(None).get("/api/consultations").status_code == 401
    held = as_(cast["manager"]).get("/api/consultations", {"held_by_me": "true"}).json()
    assert [i["id"] for i in held["items"]] == [theirs["id"]]


def test_it_lists_what_is_held_by_me_due_soonest_first_for_the_desk(cast):
    first = ask(cast["enterprise"], when=MONDAY)  # answer_by Wed 4 Nov 17:30
    later = ask(cast["enterprise"], when=MONDAY + dt.timedelta(days=1))  # Thu 5 Nov
    Consultation.objects.filter(id=first["id"]).update(deadline=None)  # 待日历确认: last
    listed = lambda **q: [i["id"] for i in as_(cast["staff"]).get("/api/consultations", q).json()["items"]]  # noqa: E731
    assert listed(held_by_me="true", status="waiting", order="due") == [later["id"], first["id"]]
    assert listed() == [later["id"], first["id"]]  # recent (the default): newest first
    third = ask(cast["enterprise"], when=MONDAY + dt.timedelta(days=2))
    Consultation.objects.filter(id=third["id"]).update(deadline=MONDAY)  # overdue: on top
    assert listed(order="due") == [third["id"], later["id"], first["id"]]
    assert as_(cast["staff"]).get("/api/consultations", {"order": "oldest"}).status_code == 422


def test_it_offers_the_staff_the_departments_and_officials_to_hand_a_consultation_to(cast):
    body = as_(cast["staff"]).get("/api/consultations/reassign-targets").json()
    assert {u["name"] for u in body["units"]} >= {"招商一组", "政策服务组"}
    officials = {o["name"]: o for o in body["officials"]}
    assert officials["赵主任"]["unit_name"] == "政策服务组" and officials["李四"]["unit_id"] == cast["team"].id
    assert cast["admin"].id not in {o["id"] for o in body["officials"]}  # not a target of reassign_target either
    for role in ("enterprise", "owner", "joining"):
        assert as_(cast[role]).get("/api/consultations/reassign-targets").status_code == 403
    # Every official offered is one reassign accepts.
    c = ask(cast["enterprise"])
    chosen = officials["赵主任"]["id"]
    assert act(cast["staff"], c["id"], "reassign", {"official_id": chosen}).json()["official_name"] == "赵主任"


@pytest.mark.parametrize("body", [
    {"category": "policy", "subject": "x" * 101, "text": "y"},
    {"category": "policy", "subject": "x", "text": "y" * 2001},
    {"category": "policy", "subject": "x", "text": "a\x00b"},
    {"category": "policy", "subject": "a\x1bb", "text": "y"},
    {"category": "policy", "subject": "   ", "text": "y"},
    {"category": "nope", "subject": "x", "text": "y"},
    {"category": "policy", "subject": "x", "text": "y", "enterprise_id": 1},
])
def test_it_refuses_unbounded_or_unknown_input(cast, body):
    assert as_(cast["enterprise"]).post_json("/api/consultations", body).status_code == 422


def test_it_refuses_unknown_query_parameters_and_bad_months(cast):
    manager = as_(cast["manager"])
    assert manager.get("/api/consultations", {"foo": "1"}).status_code == 422
    assert manager.get("/api/consultations/stats", {"month": "2026-13"}).status_code == 422
    assert manager.get("/api/consultations/stats").status_code == 422
    assert manager.get("/api/consultations/stats/rows", {"month": "2026-11", "bar": "1"}).status_code == 422


def test_it_limits_how_many_questions_an_account_asks_a_day(cast, monkeypatch):
    from backend.consultations import services

    monkeypatch.setattr(services, "ASKS_PER_DAY", 2)
    ask(cast["enterprise"])
    ask(cast["enterprise"])
    with time_machine.travel(MONDAY, tick=False):
        response = as_(cast["enterprise"]).post_json("/api/consultations", {"category": "policy", "subject": "s", "text": "t"})
    assert response.status_code == 429 and response.json()["code"] == "consultation_throttled"


def _month_of_consultations(cast):
    """staff: 1 on time, 1 late, 1 overdue unanswered; manager: 1 on time; 1 not due yet (not counted)."""
    made = {}
    made["on_time"] = ask(cast["enterprise"], when=at(2026, 11, 2, 10))
    act(cast["staff"], made["on_time"]["id"], "answer", {"text": "答"}, when=at(2026, 11, 3, 10))
    made["late"] = ask(cast["enterprise"], when=at(2026, 11, 9, 10))
    act(cast["staff"], made["late"]["id"], "answer", {"text": "晚了"}, when=at(2026, 11, 12, 10))
    made["missed"] = ask(cast["enterprise"], when=at(2026, 11, 16, 10))
    made["manager"] = ask(cast["other_enterprise"], when=at(2026, 11, 16, 10))
    act(cast["manager"], made["manager"]["id"], "answer", {"text": "答"}, when=at(2026, 11, 16, 11))
    made["not_yet"] = ask(cast["enterprise"], when=at(2026, 11, 26, 10))  # due 30 Nov, asked about on 27 Nov
    return made


def test_it_rates_each_official_by_month_and_lists_the_consultations_counted(cast):
    made = _month_of_consultations(cast)
    with time_machine.travel(at(2026, 11, 27, 12), tick=False):
        stats = as_(cast["manager"]).get("/api/consultations/stats", {"month": "2026-11"}).json()
        rows = as_(cast["manager"]).get(
            "/api/consultations/stats/rows", {"month": "2026-11", "official_id": cast["staff"].id}
        ).json()
        staff_view = as_(cast["staff"]).get("/api/consultations/stats", {"month": "2026-11"}).json()
        other_view = as_(cast["other_manager"]).get("/api/consultations/stats", {"month": "2026-11"}).json()
        admin_view = as_(cast["admin"]).get("/api/consultations/stats", {"month": "2026-11"}).json()
        december = as_(cast["admin"]).get("/api/consultations/stats", {"month": "2026-12"}).json()
        refused = [as_(cast[r]).get("/api/consultations/stats", {"month": "2026-11"}).status_code for r in ("enterprise", "owner")]
    by = {r["official_id"]: r for r in stats["officials"]}
    assert by[cast["staff"].id] | {"official_id": 0} == {
        "official_id": 0, "official_name": "王小明", "due": 3, "on_time": 1, "late": 2, "rate": round(1 / 3, 4)
    }
    assert (by[cast["manager"].id]["due"], by[cast["manager"].id]["rate"]) == (1, 1.0)
    assert stats["scope"]["kind"] == "unit"
    assert rows["count"] == 3
    assert [(i["id"], i["answered_on_time"]) for i in rows["items"]] == [
        (made["on_time"]["id"], True), (made["late"]["id"], False), (made["missed"]["id"], None)
    ]
    assert [r["official_id"] for r in staff_view["officials"]] == [cast["staff"].id]
    assert other_view["officials"] == []
    assert {r["official_id"] for r in admin_view["officials"]} == {cast["staff"].id, cast["manager"].id}
    assert december["officials"] == []
    assert refused == [403, 403]


def test_it_reminds_the_official_on_the_due_morning_and_tells_the_manager_when_overdue(cast):
    c = ask(cast["enterprise"], when=at(2026, 11, 6, 16))  # Friday → due Tuesday 10 Nov 17:30
    answered = ask(cast["enterprise"], when=at(2026, 11, 6, 16))
    act(cast["staff"], answered["id"], "answer", {"text": "已答"}, when=at(2026, 11, 6, 16, 30))
    assert reminders_send(now=at(2026, 11, 9, 10)) == {"reminded": 0, "escalated": 0}
    assert reminders_send(now=at(2026, 11, 10, 8, 59)) == {"reminded": 0, "escalated": 0}  # before working hours
    assert reminders_send(now=at(2026, 11, 10, 9)) == {"reminded": 1, "escalated": 0}
    assert reminders_send(now=at(2026, 11, 10, 9, 15)) == {"reminded": 0, "escalated": 0}
    assert reminders_send(now=at(2026, 11, 10, 17, 45)) == {"reminded": 0, "escalated": 0}  # after hours: held
    assert reminders_send(now=at(2026, 11, 11, 9)) == {"reminded": 0, "escalated": 1}
    assert Notice.objects.filter(kind="consultations.remind").values_list("user_id", flat=True).get() == cast["staff"].id
    told = set(Notice.objects.filter(kind="consultations.overdue").values_list("user_id", flat=True))
    assert told == {cast["manager"].id, cast["staff"].id}
    assert Consultation.objects.get(id=c["id"]).escalated_at is not None


def test_it_queues_the_reminders_through_the_worker(cast, settings):
    from apisupport import run_tasks
    from backend.jobs.worker import periodic_enqueue_due

    settings.JOBS_EVERY = [job for job in settings.JOBS_EVERY if job[0] == "consultation_reminders"]
    ask(cast["enterprise"], when=at(2026, 11, 2, 10))
    with time_machine.travel(at(2026, 11, 4, 9, 5), tick=False):
        assert periodic_enqueue_due() == ["consultation_reminders"]
        assert periodic_enqueue_due() == []
        run_tasks()
    assert Notice.objects.filter(kind="consultations.remind").count() == 1


def test_it_sends_nothing_outside_working_hours_in_a_simulated_year(cast):
    """Issue 13 acceptance 2 for consultations: 15-minute ticks over the two months around 国庆
    and its make-up weekend days; the demands test runs the whole year."""
    import random

    import chinese_calendar

    rng = random.Random(20261202)
    start = at(2026, 9, 15)
    for _ in range(60):
        when = start + dt.timedelta(minutes=rng.randrange(0, 50 * 24 * 60))
        official = rng.choice([cast["staff"], cast["other_staff"]])
        Consultation.objects.create(
            asked_by=cast["enterprise"], category="policy", subject="补贴", official=official, created_at=when,
            deadline_from=when, working_days=2, **_deadline(start=when, working_days=2),
        )
    sent_at, moment, sent = [], start, 0
    while moment < at(2026, 11, 15):
        result = reminders_send(now=moment)
        if result["reminded"] or result["escalated"]:
            sent_at.append(moment)
            sent += result["reminded"] + result["escalated"]
        moment += dt.timedelta(minutes=15)
    for moment in sent_at:
        assert chinese_calendar.is_workday(moment.date()) and dt.time(9) <= moment.time() < dt.time(17, 30), moment
    assert sent >= 60  # every one escalated (none answered), most also reminded


def test_it_holds_reminders_on_a_weekend(cast):
    ask(cast["enterprise"], when=at(2026, 11, 2, 10))
    assert reminders_send(now=at(2026, 11, 7, 11)) == {"reminded": 0, "escalated": 0}  # Saturday
    assert reminders_send(now=at(2026, 11, 9, 9)) == {"reminded": 0, "escalated": 1}  # Monday


def test_it_counts_open_deadlines_again_when_the_calendar_changes(cast):
    assert deadlines_recompute in registered()
    c = ask(cast["enterprise"], when=at(2026, 12, 30, 10))  # reaches into 2027: 待日历确认
    row = Consultation.objects.get(id=c["id"])
    assert c["answer_by"] is None and "待日历确认" in c["deadline_explained"]
    act(cast["staff"], c["id"], "answer", {"text": "答"}, when=at(2026, 12, 31, 10))
    assert Consultation.objects.get(id=c["id"]).answered_on_time is None  # judged once the year is known
    from backend.workdays.services import year_schedule_set

    year_schedule_set(user=cast["admin"], year=2027, holidays=[(dt.date(2027, 1, 1), "元旦")], workdays=[])
    assert deadlines_recompute(years=[2027]) >= 1
    row = Consultation.objects.get(id=c["id"])
    assert row.deadline == at(2027, 1, 4, 17, 30) and row.answered_on_time is True


def test_it_closes_an_answered_consultation_nobody_followed_up(cast, settings):
    settings.CONSULTATION_AUTO_CLOSE_DAYS = 7
    c = ask(cast["enterprise"])
    act(cast["staff"], c["id"], "answer", {"text": "答"}, when=at(2026, 11, 2, 11))
    assert consultations_auto_close(now=at(2026, 11, 9, 10)) == 0
    assert consultations_auto_close(now=at(2026, 11, 9, 11)) == 1
    last = ConsultationMessage.objects.filter(consultation_id=c["id"]).order_by("-id").first()
    assert (last.kind, last.author_id) == ("close", None)
    assert Consultation.objects.get(id=c["id"]).status == "closed"


def test_it_never_rewrites_the_thread(cast):
    c = ask(cast["enterprise"])
    message = ConsultationMessage.objects.get(consultation_id=c["id"])
    message.text = "改写"
    for attempt in (message.save, message.delete, ConsultationMessage.objects.all().delete,
                    lambda: ConsultationMessage.objects.update(text="x")):
        with pytest.raises(TypeError):
            attempt()
