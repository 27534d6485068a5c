"""/api/economy: the town's monthly indicators — figures with like-for-like comparisons, the
rows behind each figure, trends, the spreadsheet import and corrections (docs/economy.md)."""

from django.http import HttpRequest
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile

from backend.kernel.inputs import Id, month_start
from backend.kernel.paging import page

from . import selectors, services
from .schemas import IndicatorCorrectIn, EconomyFiguresOut, EconomyFiguresQuery, IndicatorImportOut, IndicatorOut, EconomyRowsOut, EconomyRowsQuery, EconomyTrendOut, EconomyTrendQuery

router = Router(tags=["economy"])


@router.get("/figures", response=EconomyFiguresOut, summary="Managers: a month's (or year-to-date) totals by group, with 环比/同比 like for like")
def figures(request: HttpRequest, params: Query[EconomyFiguresQuery]):
    return selectors.economy_figures(
        user=request.user, metric=params.metric, month=month_start(params.month), kind=params.kind, scope=params.scope, by=params.by
    )


@router.get("/rows", response=EconomyRowsOut, summary="Managers: the enterprises one figure sums (its `filter`), each side's values")
def rows(request: HttpRequest, params: Query[EconomyRowsQuery]):
    items = selectors.economy_rows(
        user=request.user,
        metric=params.metric,
        month=month_start(params.month),
        kind=params.kind,
        scope=params.scope,
        by=params.by,
        group=params.group,
    )
    return page(items, limit=params.limit, offset=params.offset)


@router.get("/trend", response=EconomyTrendOut, summary="Managers: month totals for a line chart; a month without data is null (a gap)")
def trend(request: HttpRequest, params: Query[EconomyTrendQuery]):
    return selectors.economy_trend(user=request.user, metric=params.metric, end=month_start(params.end), months=params.months, scope=params.scope)


@router.get("/indicators/{id:indicator_id}", response=IndicatorOut, summary="Managers: one enterprise-month with its corrections")
def indicator(request: HttpRequest, indicator_id: Id):
    return selectors.indicator_out(user=request.user, indicator_id=indicator_id)


@router.post("/indicators/{id:indicator_id}/corrections", response=IndicatorOut, summary="Admin: correct one value; the old one is kept")
def correct(request: HttpRequest, indicator_id: Id, payload: IndicatorCorrectIn):
    services.indicator_correct(user=request.user, indicator_id=indicator_id, field=payload.field, value=payload.value, reason=payload.reason)
    return selectors.indicator_out(user=request.user, indicator_id=indicator_id)


@router.post("/imports", response=IndicatorImportOut, summary="Admin: import the monthly indicator spreadsheet (XLSX, Chinese headings)")
def import_file(request: HttpRequest, file: File[UploadedFile], dry_run: Form[bool] = False):
    report = services.indicators_import_upload(user=request.user, upload=file, dry_run=dry_run)
    return {**report.__dict__, "summary": report.summary()}
