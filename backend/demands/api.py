from django.http import HttpRequest, HttpResponse
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from backend.attachments.schemas import AttachmentOut, AttachmentQuery
from backend.attachments.selectors import attachment_of, attachment_out, attachment_response

from backend.jobs.api import job_out
from backend.jobs.schemas import JobOut
from backend.kernel.clientip import client_ip

from backend.kernel.paging import page

from . import board, flow, selectors, services
from .models import Demand
from .schemas import (
    AssignIn,
    BoardOut,
    BoardQuery,
    CommentIn,
    DemandDetailOut,
    DemandExportQuery,
    DemandIn,
    DemandListQuery,
    DemandPageOut,
    RateIn,
    ResolveIn,
    SiteInquiryIn,
    SiteInquiryOut,
    SiteNeedsIn,
    SuggestionPageOut,
    SuggestionQuery,
)

router = Router(tags=["demands"])

S = Demand.Status


def demand_out(demand: Demand) -> dict:
    return {
        "id": demand.id,
        "enterprise_id": demand.enterprise_id,
        "enterprise_name": demand.enterprise.name,
        "category": demand.category,
        "category_label": demand.get_category_display(),
        "description": demand.description,
        "channel": demand.channel,
        "channel_label": demand.get_channel_display(),
        "visit_id": demand.visit_id,
        "raised_by_name": demand.raised_by.shown_name,
        "assignee_id": demand.assignee_id,
        "assignee_name": demand.assignee.shown_name if demand.assignee_id else None,
        "assignee_unit_id": demand.assignee_unit_id,
        "assignee_unit_name": demand.assignee_unit.name if demand.assignee_unit_id else None,
        "status": demand.status,
        "status_label": demand.get_status_display(),
        "rating": demand.rating,
        "rating_label": demand.get_rating_display() if demand.rating else "",
        "resolution": demand.resolution,
        "deadline": demand.deadline,
        "deadline_explained": demand.deadline_explained,
        "created_at": demand.created_at,
        "updated_at": demand.updated_at,
    }


def _label(status: str) -> str:
    return S(status).label if status else ""


def detail_out(demand: Demand, *, user) -> dict:
    timeline = [
        {
            "id": t.id,
            "at": t.at,
            "actor_name": t.actor.shown_name,
            "action": t.action,
            "action_label": flow.ACTION_LABELS.get(t.action, t.action),
            "from_status": t.from_status,
            "from_label": _label(t.from_status),
            "to_status": t.to_status,
            "to_label": _label(t.to_status),
            "rating": t.rating,
            "comment": t.comment,
        }
        for t in selectors.demand_timeline(demand=demand)
    ]
    actions = selectors.demand_actions(user=user, demand=demand)
    attachments = [
        attachment_out(a, base=f"/api/demands/{demand.id}")
        for a in demand.attachments.select_related("uploaded_by").order_by("uploaded_at", "id")
    ]
    return {
        **demand_out(demand), "site_needs": selectors.site_needs_of(demand), "timeline": timeline, "actions": actions,
        "attachments": attachments, "can_attach": selectors.demand_can_attach(user=user, demand=demand),
    }


def _detail(request: HttpRequest, demand: Demand) -> dict:
    # Read again through the caller's scope: the answer shows what they may see now.
    return detail_out(selectors.demand_get(user=request.user, demand_id=demand.id), user=request.user)


@router.get("", response=DemandPageOut, summary="Demands I may see (filters: status, enterprise, assigned to me, and the overdue board's figures)")
def list_demands(request: HttpRequest, params: Query[DemandListQuery]):
    qs = selectors.demand_list(
        user=request.user, status=params.status, enterprise_id=params.enterprise_id, assigned_to_me=params.assigned_to_me,
        overdue=params.overdue, open_only=params.open, assignee_id=params.assignee_id,
        assignee_unit_id=params.assignee_unit_id, desk_unit_id=params.desk_unit_id,
        due=params.due, board=params.board, board_unit_id=params.board_unit_id,
    )
    return page(qs, limit=params.limit, offset=params.offset, shape=demand_out)


@router.get("/board", response=BoardOut, summary="督办看板: by status, overdue, due soon, per official with the month's on-time rate")
def demand_board(request: HttpRequest, params: Query[BoardQuery]):
    return board.demand_board(user=request.user, unit_id=params.unit_id)


@router.get(
    "/export", response={200: None, 202: JobOut}, summary="The ledger as CSV or XLSX (Chinese headers), by the day it was raised",
    description=(
        "Managers and admins, the demands they may see. Same limits as the visits export: at most EXPORT_MAX_DAYS days; "
        "past EXPORT_SYNC_MAX_DAYS days or EXPORT_SYNC_MAX_ROWS rows answers 202 with a job (GET /api/jobs/{id}); "
        "at most EXPORT_JOBS_PER_USER unfinished (429). Text that could start a formula is prefixed with a quote."
    ),
)
def export_demands(request: HttpRequest, params: Query[DemandExportQuery]):
    from backend.reports import exports
    from backend.reports.services import export_request

    filters = {k: str(v) for k, v in {"status": params.status, "category": params.category}.items() if v}
    made = export_request(
        user=request.user, kind="demands", date_from=params.date_from, date_to=params.date_to, fmt=params.format,
        ip=client_ip(request), filters=filters,
    )
    if not isinstance(made, bytes):
        return Status(202, job_out(made))
    name = exports.file_name("demands", date_from=params.date_from, date_to=params.date_to, fmt=params.format)
    response = HttpResponse(made, content_type=exports.CONTENT_TYPES[params.format])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


@router.post("", response={201: DemandDetailOut}, summary="Raise a demand: an enterprise for itself (app), staff for a caller (phone)")
def raise_demand(request: HttpRequest, payload: DemandIn):
    demand = services.demand_raise(user=request.user, **payload.model_dump())
    return Status(201, _detail(request, demand))


@router.get("/{id:demand_id}", response=DemandDetailOut, summary="One demand, its timeline and what I may do now")
def get_demand(request: HttpRequest, demand_id: int):
    return detail_out(selectors.demand_get(user=request.user, demand_id=demand_id), user=request.user)


@router.post("/{id:demand_id}/assign", response=DemandDetailOut, summary="待交办 → 已交办: hand it to an official or a department")
def assign(request: HttpRequest, demand_id: int, payload: AssignIn):
    return _detail(request, services.demand_assign(user=request.user, demand_id=demand_id, **payload.model_dump()))


@router.post("/{id:demand_id}/verify", response=DemandDetailOut, summary="已交办 → 核查研判")
def verify(request: HttpRequest, demand_id: int, payload: CommentIn):
    return _detail(request, services.demand_verify(user=request.user, demand_id=demand_id, **payload.model_dump()))


@router.post("/{id:demand_id}/handle", response=DemandDetailOut, summary="核查研判 → 处办中")
def handle(request: HttpRequest, demand_id: int, payload: CommentIn):
    return _detail(request, services.demand_handle(user=request.user, demand_id=demand_id, **payload.model_dump()))


@router.post("/{id:demand_id}/resolve", response=DemandDetailOut, summary="处办中 → 已办结, with the resolution")
def resolve(request: HttpRequest, demand_id: int, payload: ResolveIn):
    return _detail(request, services.demand_resolve(user=request.user, demand_id=demand_id, **payload.model_dump()))


@router.post("/{id:demand_id}/rate", response=DemandDetailOut, summary="The enterprise's verdict: 满意 closes (已回访); 基本满意/不满意 reopen (处办中)")
def rate(request: HttpRequest, demand_id: int, payload: RateIn):
    return _detail(request, services.demand_rate(user=request.user, demand_id=demand_id, **payload.model_dump()))


@router.post(
    "/{id:demand_id}/attachments", response={201: AttachmentOut},
    summary="Add a photo (JPEG/PNG/WebP) or a PDF, ≤ 10 MB, at most 9 per demand; stored without metadata",
)
def add_attachment(request: HttpRequest, demand_id: int, file: File[UploadedFile]):
    attachment = services.demand_attach(user=request.user, demand_id=demand_id, name=file.name or "", data=file.read())
    return Status(201, attachment_out(attachment, base=f"/api/demands/{demand_id}"))


@router.get(
    "/{id:demand_id}/attachments/{id:attachment_id}", response={200: None},
    summary="An attachment's file (a photo inline, thumb=true for its thumbnail; a PDF as a download)",
)
def get_attachment(request: HttpRequest, demand_id: int, attachment_id: int, params: Query[AttachmentQuery]):
    demand = selectors.demand_get(user=request.user, demand_id=demand_id)
    return attachment_response(attachment=attachment_of(item=demand, attachment_id=attachment_id), thumb=params.thumb)


@router.get(
    "/{id:demand_id}/site-suggestions", response=SuggestionPageOut,
    summary="场地 demand: matching idle sites, best first, each with why it matched",
    description=(
        "Whoever may see the demand. The site search's own filters (type, not leased, the area range widened by a fifth "
        "below and a quarter above, the place as text, the point's radius) ranked by type, area fit and distance. "
        "A demand with no needs yet answers no items and needs.empty: set them with POST …/site-needs. "
        "409 not_site_demand for another category."
    ),
)
def site_suggestions(request: HttpRequest, demand_id: int, params: Query[SuggestionQuery]):
    return selectors.site_suggestions(user=request.user, demand_id=demand_id, limit=params.limit)


# POST, not PUT: like every change to a demand, stating its needs is a step recorded on the timeline.
@router.post(
    "/{id:demand_id}/site-needs", response=DemandDetailOut,
    summary="场地 demand: state or correct the site it needs (its enterprise or its officials); noted on the timeline",
)
def set_site_needs(request: HttpRequest, demand_id: int, payload: SiteNeedsIn):
    demand = services.demand_site_needs_set(user=request.user, demand_id=demand_id, needs=payload.model_dump())
    return _detail(request, demand)


@router.post(
    "/{id:demand_id}/site-inquiries", response={201: SiteInquiryOut},
    summary="场地 demand: its enterprise sends a site inquiry (the site finder's, same daily limit); once per site; noted on the timeline",
)
def send_site_inquiry(request: HttpRequest, demand_id: int, payload: SiteInquiryIn):
    link = services.demand_site_inquiry(user=request.user, demand_id=demand_id, **payload.model_dump())
    return Status(201, {"demand_id": link.demand_id, "site_id": link.site_id, "inquiry_id": link.inquiry_id})
