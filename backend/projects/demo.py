"""The demo town's pipeline: about 120 projects across the stages, the same every load.

Called by backend/demo after the visits (a few projects link a visit of their lead). Dates
count back from today, so the packet always has changes since two weeks ago, stale projects
and overdue next steps; demo_staff leads a share, and three of its 洽谈 projects wait for
demo_manager's approval of 签约.
"""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from backend.accounts.models import User
from backend.enterprises.models import Enterprise
from backend.visits.models import Visit

from .models import FollowUp, Project, StageChange, StageRequest
from .selectors import stages_for

N = 120
# How many end in each stage: a pipeline narrows towards 投产.
SHARE = {"lead": 38, "talks": 33, "signed": 20, "registered": 13, "started": 9, "producing": 7}
NAMES = ["新能源电池包", "智能装备", "生物医药中试", "精密模具", "冷链物流中心", "工业机器人", "光伏组件", "集成电路封测",
         "新材料", "食品加工", "跨境电商仓", "医疗器械", "汽车零部件", "研发总部", "数据中心"]
INVESTORS = ["苏州", "杭州", "宁波", "合肥", "无锡", "南京", "深圳", "上海"]
STEPS = ["约见企业负责人", "报送用地需求", "组织现场踏勘", "对接政策兑现", "提交投资协议文本", "协调环评手续"]
SOURCES = [s for s, _ in Project.Source.choices]


def demo_projects_load(*, town_id: int | None, lead_usernames: list[str]) -> int:
    rng = random.Random(15)
    stages = stages_for(town_id=None)
    by_code = {s.code: s for s in stages}
    leads = list(User.objects.filter(username__in=lead_usernames).select_related("org_unit").order_by("username"))
    if not leads or not stages:
        return 0
    staff = next((u for u in leads if u.username == "demo_staff"), leads[0])
    manager = next((u for u in leads if u.username == "demo_manager"), None)
    enterprises = list(Enterprise.objects.filter(pending=False).order_by("uscc").values_list("id", "industry")[:400])
    now = timezone.now()
    plan = [code for code, n in SHARE.items() for _ in range(n)]
    rng.shuffle(plan)
    made = 0
    for i, code in enumerate(plan[:N]):
        lead = staff if i % 4 == 0 else leads[rng.randrange(len(leads))]
        target = by_code[code]
        # Each step back in time: the last change 0–40 days ago, earlier ones 5–30 days before.
        age = rng.randint(0, 40)
        times = [now - dt.timedelta(days=age, hours=rng.randint(0, 8))]
        for _ in range(target.order - 1):
            times.insert(0, times[0] - dt.timedelta(days=rng.randint(5, 30)))
        use_registry = rng.random() < 0.6 and enterprises
        ent_id, industry = enterprises[rng.randrange(len(enterprises))] if use_registry else (None, rng.choice("CDEFGI"))
        investor = "" if ent_id else f"{rng.choice(INVESTORS)}{rng.choice(NAMES)}科技有限公司"
        signed = next((t for s, t in zip(stages, times) if s.order >= by_code["signed"].order), None)
        landed = next((t for s, t in zip(stages, times) if s.order >= by_code["registered"].order), None)
        dropped = code in ("lead", "talks") and rng.random() < 0.08
        project = Project.objects.create(
            name=f"{rng.choice(NAMES)}项目（{i + 1:03d}）", enterprise_id=ent_id, investor_name=investor, industry=industry or "",
            investment_wan=Decimal(rng.choice([800, 1500, 3000, 5000, 8000, 12000, 20000, 50000])),
            expected_tax_wan=Decimal(rng.choice([50, 120, 300, 600, 1000])), expected_jobs=rng.choice([20, 50, 80, 150, 300]),
            source=rng.choice(SOURCES), lead=lead, team_id=lead.org_unit_id, town_id=town_id, plot="",
            stage=target, probability=target.probability,
            status="dropped" if dropped else ("done" if code == "producing" else "active"),
            stage_entered_at=times[-1], last_activity_at=times[-1], signed_at=signed, landed_at=landed,
            created_by=lead, created_at=times[0], updated_at=times[-1],
        )
        rows = [StageChange(project=project, kind="created", actor=lead, at=times[0], to_stage=stages[0], comment="走访中了解到投资意向")]
        for k in range(1, target.order):
            approved = manager if stages[k].needs_approval and manager else None
            rows.append(StageChange(project=project, kind="move", actor=lead, at=times[k], from_stage=stages[k - 1],
                                    to_stage=stages[k], approved_by=approved, comment=""))
        if dropped:
            rows.append(StageChange(project=project, kind="dropped", actor=lead, at=times[-1], from_stage=target,
                                    to_stage=target, comment="投资方决定暂缓"))
        StageChange.objects.bulk_create(rows)
        if code not in ("producing",) and not dropped:
            due = (times[-1] + dt.timedelta(days=rng.randint(3, 20))).date()
            FollowUp.objects.create(project=project, author=lead, at=times[-1], note="电话沟通项目进展",
                                    next_step=rng.choice(STEPS), next_due=due)
        if i % 10 == 0:
            visit = Visit.objects.filter(staff=lead).order_by("-checkin_at").first()
            if visit:
                project.visits.add(visit)
        if code == "talks" and lead.id == staff.id and not dropped and StageRequest.objects.count() < 3:
            StageRequest.objects.create(project=project, from_stage=target, to_stage=by_code["signed"], requested_by=staff,
                                        requested_at=now - dt.timedelta(days=1), comment="投资协议条款已谈妥，申请签约")
            StageChange.objects.create(project=project, kind="requested", actor=staff, at=now - dt.timedelta(days=1),
                                       from_stage=target, to_stage=by_code["signed"], comment="投资协议条款已谈妥，申请签约")
        made += 1
    return made
