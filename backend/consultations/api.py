from django.http import HttpRequest
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from backend.attachments.schemas import AttachmentOut, AttachmentQuery
from backend.attachments.selectors import attachment_of, attachment_out, attachment_response

from backend.kernel.paging import page

from . import selectors, services
from .models import Consultation
from .schemas import (
    AskIn, ConvertIn, DetailOut, EmptyIn, ListQuery, PageOut, ReassignIn, ReassignTargetsOut, RowsOut, RowsQuery,
    StatsOut, StatsQuery, TextIn,
)

router = Router(tags=["consultations"])


def consultation_out(c: Consultation) -> dict:
    return {
        "id": c.id,
        "category": c.category,
        "category_label": c.get_category_display(),
        "subject": c.subject,
        "asked_by_name": c.asked_by.shown_name,
        "enterprise_id": c.enterprise_id,
        "enterprise_name": c.enterprise.name if c.enterprise_id else None,
        "unit_id": c.unit_id,
        "unit_name": c.unit.name if c.unit_id else None,
        "official_id": c.official_id,
        "official_name": c.official.shown_name,
        "status": c.status,
        "status_label": c.get_status_display(),
        "answer_by": c.deadline,
        "deadline_explained": c.deadline_explained,
        "first_answer_at": c.first_answer_at,
        "answered_on_time": c.answered_on_time,
        "demand_id": c.demand_id,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
    }


def _detail(request: HttpRequest, consultation_id: int) -> dict:
    # Read again through the caller's scope: the answer shows what they may see now.
    c = selectors.consultation_get(user=request.user, consultation_id=consultation_id)
    messages = [
        {
            "id": m.id, "at": m.at, "kind": m.kind, "kind_label": m.get_kind_display(),
            "author_name": m.author.shown_name if m.author_id else "系统", "text": m.text,
        }
        for m in selectors.consultation_thread(consultation=c)
    ]
    attachments = [
        attachment_out(a, base=f"/api/consultations/{c.id}")
        for a in c.attachments.select_related("uploaded_by").order_by("uploaded_at", "id")
    ]
    return {
        **consultation_out(c), "messages": messages, "attachments": attachments,
        "can_attach": selectors.consultation_can_attach(user=request.user, consultation=c),
        "actions": selectors.consultation_actions(user=request.user, consultation=c),
    }


@router.get("", response=PageOut, summary="Consultations I may see (what I asked; what I answer; my department's)")
def list_consultations(request: HttpRequest, params: Query[ListQuery]):
    qs = selectors.consultation_list(
        user=request.user, status=params.status, held_by_me=params.held_by_me, order=params.order
    )
    return page(qs, limit=params.limit, offset=params.offset, shape=consultation_out)


@router.post("", response={201: DetailOut}, summary="Ask (enterprise accounts, verified or not): routed to a department and a named official, answer_by in 2 working days")
def ask(request: HttpRequest, payload: AskIn):
    c = services.consultation_ask(user=request.user, **payload.model_dump())
    return Status(201, _detail(request, c.id))


@router.get("/stats", response=StatsOut, summary="Each official's on-time rate for a month (manager: their unit; admin: all; staff: themselves)")
def stats(request: HttpRequest, params: Query[StatsQuery]):
    return selectors.on_time_rates(user=request.user, month=params.month)


@router.get("/stats/rows", response=RowsOut, summary="The consultations the on-time rate of a month counts, each with how it was judged")
def stats_rows(request: HttpRequest, params: Query[RowsQuery]):
    qs = selectors.on_time_rows(user=request.user, month=params.month, official_id=params.official_id)
    return page(qs, limit=params.limit, offset=params.offset, shape=consultation_out)


@router.get(
    "/reassign-targets", response=ReassignTargetsOut,
    summary="Departments and officials a consultation may be handed to (staff, managers, admins)",
)
def reassign_targets(request: HttpRequest):
    return selectors.reassign_targets(user=request.user)


@router.get("/{id:consultation_id}", response=DetailOut, summary="One consultation, its thread and what I may do now")
def get_consultation(request: HttpRequest, consultation_id: int):
    return _detail(request, consultation_id)


@router.post("/{id:consultation_id}/answer", response=DetailOut, summary="The official answers (the first answer is judged against answer_by)")
def answer(request: HttpRequest, consultation_id: int, payload: TextIn):
    services.consultation_answer(user=request.user, consultation_id=consultation_id, **payload.model_dump())
    return _detail(request, consultation_id)


@router.post("/{id:consultation_id}/follow-up", response=DetailOut, summary="The enterprise asks again in the thread (back to 待回复)")
def follow_up(request: HttpRequest, consultation_id: int, payload: TextIn):
    services.consultation_follow_up(user=request.user, consultation_id=consultation_id, **payload.model_dump())
    return _detail(request, consultation_id)


@router.post("/{id:consultation_id}/close", response=DetailOut, summary="The enterprise closes it")
def close(request: HttpRequest, consultation_id: int, payload: EmptyIn):
    services.consultation_close(user=request.user, consultation_id=consultation_id)
    return _detail(request, consultation_id)


@router.post("/{id:consultation_id}/reassign", response=DetailOut, summary="Hand it to another official or department (the deadline stays: counted from submission)")
def reassign(request: HttpRequest, consultation_id: int, payload: ReassignIn):
    services.consultation_reassign(user=request.user, consultation_id=consultation_id, **payload.model_dump())
    return _detail(request, consultation_id)


@router.post("/{id:consultation_id}/convert", response=DetailOut, summary="Turn it into a demand (待交办, raised in the app on the enterprise's behalf)")
def convert(request: HttpRequest, consultation_id: int, payload: ConvertIn):
    services.consultation_convert(user=request.user, consultation_id=consultation_id, **payload.model_dump())
    return _detail(request, consultation_id)


@router.post(
    "/{id:consultation_id}/attachments", response={201: AttachmentOut},
    summary="Add a photo (JPEG/PNG/WebP) or a PDF, ≤ 10 MB, at most 9 per consultation; stored without metadata",
)
def add_attachment(request: HttpRequest, consultation_id: int, file: File[UploadedFile]):
    attachment = services.consultation_attach(
        user=request.user, consultation_id=consultation_id, name=file.name or "", data=file.read()
    )
    return Status(201, attachment_out(attachment, base=f"/api/consultations/{consultation_id}"))


@router.get(
    "/{id:consultation_id}/attachments/{id:attachment_id}", response={200: None},
    summary="An attachment's file (a photo inline, thumb=true for its thumbnail; a PDF as a download)",
)
def get_attachment(request: HttpRequest, consultation_id: int, attachment_id: int, params: Query[AttachmentQuery]):
    c = selectors.consultation_get(user=request.user, consultation_id=consultation_id)
    return attachment_response(attachment=attachment_of(item=c, attachment_id=attachment_id), thumb=params.thumb)
