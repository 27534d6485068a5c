import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import BaseModel, Field, ValidationInfo, field_validator

from backend.attachments.schemas import AttachmentOut
from backend.kernel.inputs import CleanText, Day, Id, InputSchema, RequiredText
from backend.kernel.paging import Page, PageQuery

from backend.sites.models import Site

from .models import Demand

Category = Demand.Category
Status = Demand.Status
Rating = Demand.Rating
Action = Literal["assign", "verify", "handle", "resolve", "rate"]
Due = Literal["overdue", "due_today", "due_soon", "pending_calendar"]

DESCRIPTION_MAX = 1000  # the same bound as a demand recorded on a visit


SiteType = Site.Type
AREA_MAX_M2 = 1_000_000  # a square kilometre: no town offers more in one site
RADIUS_MAX_KM = 50


class SiteNeedsIn(InputSchema):
    """What a 场地 demand asks for; every part optional, each bounded."""

    types: list[SiteType] = Field(default_factory=list, max_length=6, description="场地类型（场地自己的类型值），可多选")
    area_min_m2: float | None = Field(default=None, ge=1, le=AREA_MAX_M2, description="面积下限 m²")
    area_max_m2: float | None = Field(default=None, ge=1, le=AREA_MAX_M2, description="面积上限 m²")
    place: CleanText = Field(default="", max_length=50, description="希望的村或区域（按场地搜索的文字条件匹配村名、地址）")
    lat: float | None = Field(default=None, ge=-90, le=90, description="希望的位置：纬度（与 lng、radius_km 一起填）")
    lng: float | None = Field(default=None, ge=-180, le=180, description="希望的位置：经度")
    radius_km: float | None = Field(default=None, ge=0.5, le=RADIUS_MAX_KM, validate_default=True, description="位置周围多少公里内（0.5–50）")

    @field_validator("types")
    @classmethod
    def _types(cls, value):
        return list(dict.fromkeys(value))

    @field_validator("area_max_m2")
    @classmethod
    def _area_range(cls, value, info: ValidationInfo):
        low = info.data.get("area_min_m2")
        if value is not None and low is not None and value < low:
            raise ValueError("面积上限不能小于下限")
        return value

    @field_validator("radius_km")
    @classmethod
    def _point(cls, value, info: ValidationInfo):
        has_point = info.data.get("lat") is not None and info.data.get("lng") is not None
        has_half = (info.data.get("lat") is None) != (info.data.get("lng") is None)
        if has_half:
            raise ValueError("位置需要同时提供纬度和经度")
        if has_point and value is None:
            raise ValueError("选择了位置，请同时填写范围（公里）")
        if value is not None and not has_point:
            raise ValueError("填写范围时请同时选择位置（纬度、经度）")
        return value


class SiteNeedsOut(Schema):
    types: list[str]
    type_labels: list[str]
    area_min_m2: float | None
    area_max_m2: float | None
    place: str
    lat: float | None
    lng: float | None
    radius_km: float | None
    empty: bool = Field(description="还没有填写任何场地需求")
    summary: str = Field(description="需求的文字说明，例如“厂房；800–1,500㎡；东湾村”")


class DemandIn(InputSchema):
    category: Category
    description: RequiredText = Field(min_length=1, max_length=DESCRIPTION_MAX)
    enterprise_id: Id | None = Field(default=None, description="企业用户可省略（只能为本企业提出）；工作人员电话代登记时必填")
    site_needs: SiteNeedsIn | None = Field(default=None, description="「场地」类诉求可选：类型、面积范围、位置")


class SiteInquiryIn(InputSchema):
    site_id: Id
    message: RequiredText = Field(min_length=1, max_length=1000)
    phone: CleanText | None = Field(default=None, max_length=11, pattern=r"^1[3-9][0-9]{9}$", description="联系手机；不填则用账号手机号")


class SiteInquiryOut(Schema):
    demand_id: int
    site_id: int
    inquiry_id: int


class SuggestionQuery(InputSchema):
    limit: int = Field(default=10, ge=1, le=20)


class SuggestedSiteOut(Schema):
    id: int
    name: str
    type: str
    type_label: str
    status: str
    status_label: str
    area_m2: float | None
    rent_per_m2_day: float | None
    village: str
    owner_name: str
    distance_m: float | None
    score: float = Field(description="0–100，类型、面积、距离综合")
    reasons: list[str] = Field(description="为什么推荐，例如“面积 1,200㎡ 在 800–1,500㎡ 之内”")
    inquired: bool = Field(description="已从这条诉求向该场地发出过咨询")
    url: str


class SuggestionPageOut(Page):
    items: list[SuggestedSiteOut]
    needs: SiteNeedsOut
    can_inquire: bool = Field(description="当前用户可以从这里发出场地咨询（诉求所属企业的用户）")
    can_set_needs: bool = Field(description="当前用户可以填写或修改场地需求")


class AssignIn(InputSchema):
    assignee_id: Id | None = Field(default=None, description="承办人（工作人员）id；与 assignee_unit_id 二选一")
    assignee_unit_id: Id | None = Field(default=None, description="承办部门 id；与 assignee_id 二选一")
    working_days: int | None = Field(
        default=None, ge=1, le=60, description="办理时限（工作日，1–60）；不填按默认时限（DEMAND_WORKING_DAYS，5 个工作日）"
    )
    comment: CleanText = Field(default="", max_length=1000)


class CommentIn(InputSchema):
    comment: CleanText = Field(default="", max_length=1000)


class ResolveIn(InputSchema):
    resolution: RequiredText = Field(min_length=1, max_length=2000)


class RateIn(InputSchema):
    rating: Rating = Field(description="满意 closes it; 基本满意 and 不满意 send it back to 处办中")
    comment: CleanText = Field(default="", max_length=1000)


class DemandListQuery(PageQuery):
    status: Status | None = None
    enterprise_id: Id | None = None
    assigned_to_me: bool = Field(default=False, description="只看交办给我（或我所在部门）的")
    overdue: bool = Field(default=False, description="只看已超期的（办理中且时限已过），最早到期的在前")
    open: bool = Field(default=False, description="只看办理中的（已交办、核查研判、处办中）")
    assignee_id: Id | None = Field(default=None, description="承办人（督办看板的一行）")
    assignee_unit_id: Id | None = Field(default=None, description="承办部门本身")
    desk_unit_id: Id | None = Field(default=None, description="承办部门及其人员承办的（管理员看板按部门的一行）")
    due: Due | None = Field(
        default=None,
        description="督办看板的合计数：overdue 已超期；due_today 今日到期；due_soon 3 个工作日内到期；"
        "pending_calendar 办理中但时限待日历确认。均只含办理中的诉求，最早到期的在前",
    )
    board: bool = Field(
        default=False, description="只看督办看板统计的诉求（科室负责人和管理员）：合计数与此列表逐条对应（看板的统计范围，而非可查看的全部）"
    )
    board_unit_id: Id | None = Field(default=None, description="与 board=true 同用：管理员按单位展开的看板（GET /board?unit_id=）")


class BoardQuery(InputSchema):
    unit_id: Id | None = Field(default=None, description="管理员：只看这个单位（同其科室负责人的看板）")


class DemandOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str
    category: str
    category_label: str
    description: str
    channel: str
    channel_label: str
    visit_id: int | None
    raised_by_name: str
    assignee_id: int | None
    assignee_name: str | None
    assignee_unit_id: int | None
    assignee_unit_name: str | None
    status: str
    status_label: str
    rating: str
    rating_label: str
    resolution: str
    deadline: dt.datetime | None = Field(description="办理时限（交办时按工作日计算；尚未交办为 null）")
    deadline_explained: str = Field(description="时限的推算过程")
    created_at: dt.datetime
    updated_at: dt.datetime


class DemandPageOut(Page):
    items: list[DemandOut]


class TransitionOut(Schema):
    id: int
    at: dt.datetime
    actor_name: str
    action: str
    action_label: str
    from_status: str
    from_label: str
    to_status: str
    to_label: str
    rating: str
    comment: str


class DemandDetailOut(DemandOut):
    site_needs: SiteNeedsOut | None = Field(description="「场地」类诉求的场地需求；其他类别为 null")
    timeline: list[TransitionOut]
    actions: list[Action] = Field(description="当前用户现在可以进行的操作")
    attachments: list[AttachmentOut] = Field(description="照片和 PDF 附件，按上传先后")
    can_attach: bool = Field(description="当前用户现在能否添加附件")


class StatusCountOut(BaseModel):
    status: str
    label: str
    count: int
    filter: dict[str, str] = Field(description="GET /api/demands 的筛选参数，可复现此数")


# Plain pydantic models, not ninja's Schema: its per-object getter wrapper was half the
# board's time for a city's 1,000 rows (cProfile); these rows are dicts already.
class BoardRowOut(BaseModel):
    kind: Literal["official", "unit"] = Field(description="承办人或承办部门")
    id: int
    name: str
    open: int
    overdue: int
    due_today: int
    due_soon: int
    pending_calendar: int
    resolved: int = Field(description="本月首次办结")
    on_time: int
    late: int
    no_deadline: int = Field(description="本月首次办结时办理时限待日历确认的，不计入按时率")
    on_time_rate: float | None = Field(description="本月按时办结率 %：on_time ÷ (on_time + late)")
    filter: dict[str, int]


class BoardOut(Schema):
    now: dt.datetime
    scope: str
    rows_are_units: bool = Field(description="true：officials 每行是一个部门（管理员全市看板），用 unit_id 展开")
    month: dt.date
    by_status: list[StatusCountOut]
    open: int
    overdue: int
    due_today: int
    due_soon: int | None = Field(description="3 个工作日内到期（含今日）；日历待确认时为 null")
    due_soon_until: dt.datetime | None
    pending_calendar: int
    month_resolved: int
    month_on_time: int
    month_late: int
    month_no_deadline: int
    month_on_time_rate: float | None
    officials: list[BoardRowOut]
    explain: dict[str, str] = Field(description="每个数字统计的是哪些诉求")


class DemandExportQuery(InputSchema):
    date_from: Day = Field(description="登记日期起（含）")
    date_to: Day = Field(description="登记日期止（含）")
    format: Literal["csv", "xlsx"] = "xlsx"
    status: Status | None = None
    category: Category | None = None
