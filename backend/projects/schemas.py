import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from backend.attachments.schemas import AttachmentOut
from backend.enterprises.industries import SECTIONS
from backend.kernel.inputs import CleanText, Day, Id, InputSchema, RequiredText
from backend.kernel.paging import Page, PageQuery

from .models import Project

Source = Project.Source
Status = Project.Status
Industry = Literal[tuple(SECTIONS)]  # type: ignore[valid-type]
StageCode = Annotated[CleanText, Field(min_length=1, max_length=16, pattern=r"^[a-z_]+$")]
WAN_MAX = Decimal("10000000")  # 1,000 亿元 in 万元: no town project is larger
Wan = Annotated[Decimal, Field(ge=0, le=WAN_MAX, max_digits=12, decimal_places=2)]
VISITS_MAX = 20


class ProjectIn(InputSchema):
    name: RequiredText = Field(min_length=1, max_length=100, description="项目名称")
    enterprise_id: Id | None = Field(default=None, description="投资方：企业库中的企业；不在库中时留空并填写 investor_name")
    investor_name: CleanText = Field(default="", max_length=200, description="尚未登记的投资方名称")
    industry: Industry | None = Field(default=None, description="行业门类（A–T）；不填时取投资方企业的")
    investment_wan: Wan = Field(description="计划投资（万元）")
    expected_tax_wan: Wan = Field(default=Decimal(0), description="预计年税收（万元）")
    expected_jobs: int = Field(default=0, ge=0, le=1_000_000, description="预计新增就业（人）")
    source: Source
    lead_id: Id | None = Field(default=None, description="项目负责人；不填为本人（科室负责人可指定本单位人员）")
    site_id: Id | None = Field(default=None, description="意向场地（场地库）")
    plot: CleanText = Field(default="", max_length=200, description="意向地块（不在场地库中时的文字说明）")
    visit_ids: list[Id] = Field(default_factory=list, max_length=VISITS_MAX, description="关联的走访记录")
    comment: CleanText = Field(default="", max_length=1000)


class ProjectPatch(InputSchema):
    name: RequiredText | None = Field(default=None, min_length=1, max_length=100)
    enterprise_id: Id | None = None
    investor_name: CleanText | None = Field(default=None, max_length=200)
    industry: Industry | None = None
    investment_wan: Wan | None = None
    expected_tax_wan: Wan | None = None
    expected_jobs: int | None = Field(default=None, ge=0, le=1_000_000)
    source: Source | None = None
    site_id: Id | None = None
    plot: CleanText | None = Field(default=None, max_length=200)
    visit_ids: list[Id] | None = Field(default=None, max_length=VISITS_MAX)


class MoveIn(InputSchema):
    to: StageCode = Field(description="目标阶段代码（GET /api/projects/stages）")
    comment: CleanText = Field(default="", max_length=1000)
    evidence_id: Id | None = Field(default=None, description="证明材料：本项目已上传的附件 id（签约合同、营业执照…）")


class DecideIn(InputSchema):
    approve: bool
    comment: CleanText = Field(default="", max_length=1000)


class ProjectReassignIn(InputSchema):
    lead_id: Id
    comment: CleanText = Field(default="", max_length=1000)


class DropIn(InputSchema):
    comment: RequiredText = Field(min_length=1, max_length=1000, description="终止原因")


class FollowUpIn(InputSchema):
    note: RequiredText = Field(min_length=1, max_length=2000)
    next_step: CleanText = Field(default="", max_length=200)
    next_due: Day | None = None
    visit_ids: list[Id] = Field(default_factory=list, max_length=VISITS_MAX)
    attachment_ids: list[Id] = Field(default_factory=list, max_length=9)


class ProjectListQuery(PageQuery):
    stage: StageCode | None = None
    status: Status | None = None
    lead_id: Id | None = None
    mine: bool = Field(default=False, description="只看我负责的")
    stale: bool = Field(default=False, description="只看停滞的（超过所在阶段的停滞天数没有更新）")
    q: CleanText = Field(default="", max_length=50, description="项目名称或投资方")


class PacketQuery(InputSchema):
    since: Day = Field(description="上次调度会的日期：此后（含当天）的阶段变更")
    format: Literal["json", "xlsx"] = "json"


class StageOut(Schema):
    code: str
    name: str
    phase: str
    phase_label: str
    order: int
    probability: int
    stale_days: int
    evidence_required: str
    evidence_label: str
    needs_approval: bool


class StagesOut(Schema):
    items: list[StageOut]
    count: int
    limit: int
    offset: int


class ProjectOut(Schema):
    id: int
    name: str
    enterprise_id: int | None
    investor: str
    investor_pending: bool = Field(description="投资方尚未在企业库中登记")
    industry: str
    investment_wan: float
    expected_tax_wan: float
    expected_jobs: int
    source: str
    source_label: str
    lead_id: int
    lead_name: str
    team_name: str | None
    stage: str
    stage_name: str
    stage_order: int
    probability: int
    status: str
    status_label: str
    stale: bool
    days_idle: int
    pending_approval: bool
    last_activity_at: dt.datetime
    created_at: dt.datetime


class ProjectPageOut(Page):
    items: list[ProjectOut]


class ChangeOut(Schema):
    id: int
    kind: str
    kind_label: str
    at: dt.datetime
    actor_name: str
    from_stage: str | None
    to_stage: str | None
    comment: str
    evidence_id: int | None
    approved_by_name: str | None


class FollowUpOut(Schema):
    id: int
    at: dt.datetime
    author_name: str
    note: str
    next_step: str
    next_due: dt.date | None
    overdue: bool
    visit_ids: list[int]
    attachment_ids: list[int]


class RequestOut(Schema):
    id: int
    from_stage: str
    to_stage: str
    requested_by_name: str
    requested_at: dt.datetime
    comment: str
    evidence_id: int | None


class ActionsOut(Schema):
    moves: list[str]
    can_decide: bool
    can_reassign: bool
    can_drop: bool


class ProjectDetailOut(ProjectOut):
    site_id: int | None
    site_name: str | None
    plot: str
    visit_ids: list[int]
    stages: list[StageOut]
    timeline: list[ChangeOut]
    follow_ups: list[FollowUpOut]
    request: RequestOut | None
    attachments: list[AttachmentOut]
    actions: ActionsOut


class PacketProjectOut(Schema):
    id: int
    name: str
    investor: str
    lead_name: str
    investment_wan: float
    probability: int
    status: str
    stage_entered_at: dt.datetime
    changes: list[dict]


class PacketStageOut(Schema):
    code: str
    name: str
    phase: str
    probability: int
    count: int
    planned_wan: float
    weighted_wan: float
    changed: int
    projects: list[PacketProjectOut]


class PacketOut(Schema):
    since: dt.date
    today: dt.date
    generated_at: dt.datetime
    stages: list[PacketStageOut]
    changed: int
    stale: list[dict]
    overdue: list[dict]
    conversion: dict
    totals: dict


class ProjectDashboardQuery(InputSchema):
    months: int = Field(default=12, ge=1, le=36, description="最近几个月（含本月）")


class ProjectDashboardMonthOut(Schema):
    month: str
    leads: int = Field(description="新增线索")
    signed: int = Field(description="当月进入签约的项目")
    landed: int = Field(description="当月落地（注册）的项目")


class ProjectDashboardIndustryOut(Schema):
    industry: str
    label: str
    count: int
    investment_wan: float
    expected_tax_wan: float


class ProjectDashboardOut(Schema):
    months: list[ProjectDashboardMonthOut]
    industries: list[ProjectDashboardIndustryOut]
