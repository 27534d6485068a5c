import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from backend.attachments.schemas import AttachmentOut
from backend.kernel.inputs import CleanText, Id, InputSchema, Month, RequiredText
from backend.kernel.paging import Page, PageQuery

from .models import Consultation

Status = Consultation.Status
Action = Literal["answer", "reassign", "convert", "follow_up", "close"]
TEXT_MAX = 2000


class AskIn(InputSchema):
    category: Consultation.Category = Field(description="咨询类别（与诉求类别相同，决定分派到哪个部门）")
    subject: RequiredText = Field(min_length=1, max_length=100)
    text: RequiredText = Field(min_length=1, max_length=TEXT_MAX)


class TextIn(InputSchema):
    text: RequiredText = Field(min_length=1, max_length=TEXT_MAX)


class EmptyIn(InputSchema):
    pass


class ReassignIn(InputSchema):
    official_id: Id | None = Field(default=None, description="转派给这位工作人员（其所在部门随之）；与 unit_id 二选一")
    unit_id: Id | None = Field(default=None, description="转派给这个部门（由部门负责人答复）；与 official_id 二选一")
    comment: CleanText = Field(default="", max_length=500)


class ConvertIn(InputSchema):
    comment: CleanText = Field(default="", max_length=500)


class ListQuery(PageQuery):
    status: Status | None = None
    held_by_me: bool = Field(default=False, description="只看由我负责答复的")
    order: Literal["recent", "due"] = Field(default="recent", description="recent：最新提问在前；due：答复时限最早的在前（待我回复）")


class StatsQuery(InputSchema):
    month: Month = Field(max_length=7, description="YYYY-MM：按答复时限落在该月统计")


class RowsQuery(PageQuery):
    month: Month = Field(max_length=7, description="YYYY-MM")
    official_id: Id | None = None


class ConsultationOut(Schema):
    id: int
    category: str
    category_label: str
    subject: str
    asked_by_name: str
    enterprise_id: int | None
    enterprise_name: str | None
    unit_id: int | None
    unit_name: str | None
    official_id: int
    official_name: str = Field(description="负责答复的工作人员")
    status: str
    status_label: str
    answer_by: dt.datetime | None = Field(description="答复时限（提交起 2 个工作日；待日历确认时为 null）")
    deadline_explained: str = Field(description="时限的推算过程")
    first_answer_at: dt.datetime | None
    answered_on_time: bool | None = Field(description="首次答复是否在时限内；尚未答复为 null")
    demand_id: int | None = Field(description="转为的诉求")
    created_at: dt.datetime
    updated_at: dt.datetime


class PageOut(Page):
    items: list[ConsultationOut]


class ConsultationMessageOut(Schema):
    id: int
    at: dt.datetime
    kind: str
    kind_label: str
    author_name: str
    text: str


class DetailOut(ConsultationOut):
    messages: list[ConsultationMessageOut]
    attachments: list[AttachmentOut] = Field(description="照片和 PDF 附件，按上传先后")
    can_attach: bool = Field(description="当前用户现在能否添加附件")
    actions: list[Action] = Field(description="当前用户现在可以进行的操作")


class OfficialRateOut(Schema):
    official_id: int
    official_name: str
    due: int = Field(description="时限在该月、计入统计的咨询数")
    on_time: int
    late: int
    rate: float | None = Field(description="按时答复率 on_time / due")


class ConsultationScopeOut(Schema):
    kind: str
    explanation: str


class StatsOut(Schema):
    month: str
    scope: ConsultationScopeOut
    officials: list[OfficialRateOut]


class RowsOut(Page):
    items: list[ConsultationOut]


class TargetUnitOut(Schema):
    id: int
    name: str


class TargetOfficialOut(Schema):
    id: int
    name: str
    unit_id: int | None
    unit_name: str | None


class ReassignTargetsOut(Schema):
    units: list[TargetUnitOut] = Field(description="有在职工作人员的部门（转给部门时由部门负责人答复）")
    officials: list[TargetOfficialOut] = Field(description="在职的工作人员")
