import datetime as dt
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from backend.kernel.clientip import client_ip
from backend.kernel.inputs import Day, InputSchema, Month, month_start
from backend.visits.access import location_access_log
from backend.visits.models import LocationAccess

from . import exports, selectors

router = Router(tags=["reports"])


class RangeQuery(InputSchema):
    date_from: Day
    date_to: Day


class ExportQuery(RangeQuery):
    format: Literal["csv", "xlsx"] = "xlsx"


class TrendQuery(RangeQuery):
    metric: Literal["visits", "enterprises_visited", "demands", "rating", "vacant_site_area"]
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


class TeamTotalsOut(Schema):
    visits: int
    flagged_visits: int
    demands: int
    staff: int


class TeamReportOut(Schema):
    date_from: dt.date
    date_to: dt.date
    rows: list[TeamRowOut]
    totals: TeamTotalsOut


class TrendPointOut(Schema):
    period: dt.date
    value: float | None
    previous: float | None
    last_year: float | None
    mom_pct: float | None = Field(description="环比 %")
    yoy_pct: float | None = Field(description="同比 %")


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
    demands: TrendPointOut
    rating: TrendPointOut
    vacant_site_area: TrendPointOut
    vacant_sites_by_type: list[VacantTypeOut]


@router.get("/team", response=TeamReportOut, summary="Per-staff statistics for the manager's unit")
def team(request: HttpRequest, params: Query[RangeQuery]):
    rows = selectors.team_report(user=request.user, date_from=params.date_from, date_to=params.date_to)
    return {"date_from": params.date_from, "date_to": params.date_to, "rows": rows, "totals": selectors.team_totals(rows)}


@router.get("/trends", response=TrendOut, summary="A metric per month or week with 环比 and 同比")
def trends(request: HttpRequest, params: Query[TrendQuery]):
    series = selectors.trends(user=request.user, **params.model_dump())
    return {"metric": params.metric, "granularity": params.granularity, "series": series}


@router.get("/dashboard", response=DashboardOut, summary="经济数据汇总")
def dashboard(request: HttpRequest, params: Query[DashboardQuery]):
    month = month_start(params.month) if params.month else timezone.localdate().replace(day=1)
    return selectors.dashboard(user=request.user, month=month)


def _file(content: bytes, *, name: str, fmt: str) -> HttpResponse:
    types = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    response = HttpResponse(content, content_type=types[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}.{fmt}"
    return response


@router.get("/team/export", response={200: None}, summary="Team statistics as CSV or XLSX (Chinese headers)")
def team_export(request: HttpRequest, params: Query[ExportQuery]):
    rows = selectors.team_report(user=request.user, date_from=params.date_from, date_to=params.date_to)
    totals = {**selectors.team_totals(rows), "staff_name": "合计"}
    name = f"team-{params.date_from}-{params.date_to}"
    if params.format == "csv":
        return _file(exports.to_csv(rows, exports.TEAM_COLUMNS, totals), name=name, fmt="csv")
    return _file(exports.to_xlsx(rows, exports.TEAM_COLUMNS, title="团队统计", totals=totals), name=name, fmt="xlsx")


@router.get("/visits/export", response={200: None}, summary="Visits as CSV or XLSX (Chinese headers)")
def visits_export(request: HttpRequest, params: Query[ExportQuery]):
    visits = selectors.visits_for_export(user=request.user, date_from=params.date_from, date_to=params.date_to)
    rows = exports.visit_rows(visits)
    location_access_log(
        viewer=request.user,
        subject_ids=set(visits.values_list("staff_id", flat=True)),
        what=LocationAccess.What.EXPORT,
        detail=f"{params.date_from}~{params.date_to}",
        ip=client_ip(request),
    )
    totals = {"date": "合计", "demands": sum(r["demands"] for r in rows), "staff": f"{len(rows)} 次走访"}
    name = f"visits-{params.date_from}-{params.date_to}"
    if params.format == "csv":
        return _file(exports.to_csv(rows, exports.VISIT_COLUMNS, totals), name=name, fmt="csv")
    return _file(exports.to_xlsx(rows, exports.VISIT_COLUMNS, title="走访记录", totals=totals), name=name, fmt="xlsx")
