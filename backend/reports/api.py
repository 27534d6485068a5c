import datetime as dt
from typing import Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from backend.jobs.api import job_out
from backend.jobs.schemas import JobOut
from backend.kernel.clientip import client_ip
from backend.kernel.inputs import Day, InputSchema, Month, month_start
from backend.visits.location_log import location_access_log
from backend.visits.models import LocationAccess
from backend.visits.schemas import ScopeOut

from . import exports, selectors, services

router = Router(tags=["reports"])


class RangeQuery(InputSchema):
    date_from: Day
    date_to: Day


class ExportQuery(RangeQuery):
    format: Literal["csv", "xlsx"] = "xlsx"


class TrendQuery(RangeQuery):
    metric: Literal["visits", "enterprises_visited", "demands", "demands_resolved", "demands_overdue", "rating", "vacant_site_area"] = Field(
        description="demands: 走访收集的诉求；demands_resolved: 首次办结的诉求；demands_overdue: 时限落在该期且未按时办结的诉求"
    )
    granularity: Literal["month", "week"] = "month"


class DashboardQuery(InputSchema):
    month: Month | None = Field(default=None, max_length=7, description="YYYY-MM, default this month")


class TeamRowOut(Schema):
    staff_id: int
    staff_name: str
    team: str
    visits: int
    enterprises: int
    assigned: int
    assigned_covered: int
    coverage_pct: float | None
    avg_duration_min: float | None
    flagged_visits: int
    avg_rating: float | None
    demands: int
    demands_assigned: int = Field(description="期内交办给此人的诉求")
    demands_resolved: int = Field(description="期内此人首次办结的诉求")
    demands_overdue: int = Field(description="办理时限落在期内（至今）且未按时办结的诉求；待日历确认的不计")


class TeamTotalsOut(Schema):
    visits: int
    flagged_visits: int
    demands: int
    demands_assigned: int
    demands_resolved: int
    demands_overdue: int
    staff: int


class TeamReportOut(Schema):
    date_from: dt.date
    date_to: dt.date
    scope: ScopeOut
    rows: list[TeamRowOut]
    totals: TeamTotalsOut


class TrendPointOut(Schema):
    period: dt.date
    value: float | None
    previous: float | None
    last_year: float | None
    mom_pct: float | None = Field(description="环比 %")
    yoy_pct: float | None = Field(description="同比 %")
    days: int | None = Field(
        default=None,
        description="本期至今的天数（含今天的那一期）：环比、同比都只比上期、去年同期的前同样天数；整期为 null。"
        "数据开始之前和今天之后的期没有值（null，不是 0）",
    )


class TrendOut(Schema):
    metric: str
    granularity: str
    series: list[TrendPointOut]


class EnterpriseCountsOut(Schema):
    total: int
    registered: int
    registered_pct: float | None


class VacantTypeOut(Schema):
    type: str
    label: str
    count: int
    area_m2: float


class DashboardOut(Schema):
    month: dt.date
    enterprises: EnterpriseCountsOut
    visits: TrendPointOut
    enterprises_visited: TrendPointOut
    demands: TrendPointOut = Field(description="走访收集的诉求")
    demands_resolved: TrendPointOut = Field(description="诉求台账：当月首次办结的诉求（交办给范围内人员的）")
    demands_overdue: TrendPointOut = Field(description="诉求台账：办理时限落在当月（至今）且未按时办结的诉求；待日历确认的不计")
    rating: TrendPointOut
    vacant_site_area: TrendPointOut
    vacant_sites_by_type: list[VacantTypeOut]


@router.get("/team", response=TeamReportOut, summary="Per-staff statistics for the manager's unit")
def team(request: HttpRequest, params: Query[RangeQuery]):
    rows = selectors.team_report(user=request.user, date_from=params.date_from, date_to=params.date_to)
    return {
        "date_from": params.date_from,
        "date_to": params.date_to,
        "scope": selectors.team_scope(user=request.user),
        "rows": rows,
        "totals": selectors.team_totals(rows),
    }


@router.get("/trends", response=TrendOut, summary="A metric per month or week with 环比 and 同比")
def trends(request: HttpRequest, params: Query[TrendQuery]):
    series = selectors.trends(user=request.user, **params.model_dump())
    return {"metric": params.metric, "granularity": params.granularity, "series": series}


@router.get("/dashboard", response=DashboardOut, summary="经济数据汇总")
def dashboard(request: HttpRequest, params: Query[DashboardQuery]):
    month = month_start(params.month) if params.month else timezone.localdate().replace(day=1)
    return selectors.dashboard(user=request.user, month=month)


def _file(content: bytes, *, name: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


def _export(request: HttpRequest, params: ExportQuery, *, kind: str):
    made = services.export_request(
        user=request.user, kind=kind, date_from=params.date_from, date_to=params.date_to, fmt=params.format, ip=client_ip(request)
    )
    if isinstance(made, bytes):
        name = exports.file_name(kind, date_from=params.date_from, date_to=params.date_to, fmt=params.format)
        return _file(made, name=name, fmt=params.format)
    return Status(202, job_out(made))


EXPORT_NOTE = (
    f"At most EXPORT_MAX_DAYS ({settings.EXPORT_MAX_DAYS}) days, else 422. A range longer than EXPORT_SYNC_MAX_DAYS "
    f"({settings.EXPORT_SYNC_MAX_DAYS}) or, for visits, more than EXPORT_SYNC_MAX_ROWS ({settings.EXPORT_SYNC_MAX_ROWS}) "
    "rows answers 202 with a job: poll GET /api/jobs/{id}, then GET its download_url. "
    "Text cells that could start a spreadsheet formula (= + - @ tab CR) are prefixed with a single quote."
)


@router.get(
    "/team/export", response={200: None, 202: JobOut}, summary="Team statistics as CSV or XLSX (Chinese headers)", description=EXPORT_NOTE
)
def team_export(request: HttpRequest, params: Query[ExportQuery]):
    return _export(request, params, kind="team")


@router.get("/visits/export", response={200: None, 202: JobOut}, summary="Visits as CSV or XLSX (Chinese headers)", description=EXPORT_NOTE)
def visits_export(request: HttpRequest, params: Query[ExportQuery]):
    return _export(request, params, kind="visits")
