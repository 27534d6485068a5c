from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from backend import access
from backend.attachments.schemas import AttachmentOut, AttachmentQuery
from backend.attachments.selectors import attachment_of, attachment_out, attachment_response
from backend.kernel.paging import page

from . import selectors, services
from .models import Project, Stage, StageChange
from .packet import packet_xlsx
from .schemas import (
    ProjectDashboardOut, ProjectDashboardQuery, DecideIn, DropIn, FollowUpIn, FollowUpOut, MoveIn, PacketOut, PacketQuery, ProjectDetailOut, ProjectIn,
    ProjectListQuery, ProjectPageOut, ProjectPatch, ProjectReassignIn, StagesOut,
)

router = Router(tags=["projects"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def stage_out(s: Stage) -> dict:
    return {
        "code": s.code, "name": s.name, "phase": s.phase, "phase_label": s.get_phase_display(), "order": s.order,
        "probability": s.probability, "stale_days": s.stale_days, "evidence_required": s.evidence_required,
        "evidence_label": s.get_evidence_required_display() if s.evidence_required else "", "needs_approval": s.needs_approval,
    }


def project_out(p: Project, *, pending: bool | None = None) -> dict:
    return {
        "id": p.id, "name": p.name, "enterprise_id": p.enterprise_id, "investor": p.investor,
        "investor_pending": p.enterprise_id is None, "industry": p.industry,
        "investment_wan": float(p.investment_wan), "expected_tax_wan": float(p.expected_tax_wan),
        "expected_jobs": p.expected_jobs, "source": p.source, "source_label": p.get_source_display(),
        "lead_id": p.lead_id, "lead_name": p.lead.shown_name, "team_name": p.team.name if p.team_id else None,
        "stage": p.stage.code, "stage_name": p.stage.name, "stage_order": p.stage.order, "probability": p.probability,
        "status": p.status, "status_label": p.get_status_display(), "stale": selectors.is_stale(p),
        "days_idle": selectors.days_idle(p),
        "pending_approval": pending if pending is not None else getattr(p, "has_pending", False),
        "last_activity_at": p.last_activity_at, "created_at": p.created_at,
    }


def detail_out(p: Project, *, user) -> dict:
    request = selectors.pending_request(project=p)
    today = timezone.localdate()
    return {
        **project_out(p, pending=request is not None),
        "site_id": p.site_id, "site_name": p.site.name if p.site_id else None, "plot": p.plot,
        "visit_ids": list(p.visits.values_list("id", flat=True)),
        "stages": [stage_out(s) for s in selectors.stages_for(town_id=p.town_id)],
        "timeline": [
            {
                "id": c.id, "kind": c.kind, "kind_label": StageChange.Kind(c.kind).label, "at": c.at,
                "actor_name": c.actor.shown_name, "from_stage": c.from_stage.name if c.from_stage_id else None,
                "to_stage": c.to_stage.name if c.to_stage_id else None, "comment": c.comment, "evidence_id": c.evidence_id,
                "approved_by_name": c.approved_by.shown_name if c.approved_by_id else None,
            }
            for c in selectors.project_timeline(project=p)
        ],
        "follow_ups": [follow_up_out(f, today=today) for f in selectors.project_follow_ups(project=p)],
        "request": None if request is None else {
            "id": request.id, "from_stage": request.from_stage.name, "to_stage": request.to_stage.name,
            "requested_by_name": request.requested_by.shown_name, "requested_at": request.requested_at,
            "comment": request.comment, "evidence_id": request.evidence_id,
        },
        "attachments": [
            attachment_out(a, base=f"/api/projects/{p.id}")
            for a in p.attachments.select_related("uploaded_by").order_by("uploaded_at", "id")
        ],
        "actions": selectors.project_actions(user=user, project=p),
    }


def follow_up_out(f, *, today) -> dict:
    return {
        "id": f.id, "at": f.at, "author_name": f.author.shown_name, "note": f.note, "next_step": f.next_step,
        "next_due": f.next_due, "overdue": bool(f.next_due and f.next_due < today),
        "visit_ids": [v.id for v in f.visits.all()], "attachment_ids": [a.id for a in f.attachments.all()],
    }


def _detail(request: HttpRequest, project: Project) -> dict:
    return detail_out(selectors.project_get(user=request.user, project_id=project.id), user=request.user)


@router.get("", response=ProjectPageOut, summary="招商项目 I may see (filters: stage, status, lead, mine, stale, text)")
def list_projects(request: HttpRequest, params: Query[ProjectListQuery]):
    from django.db.models import Exists, OuterRef

    from .models import StageRequest

    qs = selectors.project_list(
        user=request.user, stage=params.stage, status=params.status, lead_id=params.lead_id, q=params.q,
        stale=params.stale, mine=params.mine,
    ).annotate(has_pending=Exists(StageRequest.objects.filter(project_id=OuterRef("pk"), status="pending")))
    return page(qs, limit=params.limit, offset=params.offset, shape=project_out)


@router.get("/stages", response=StagesOut, summary="The pipeline's stages for my town, in order (probability, stale limit, evidence, approval)")
def list_stages(request: HttpRequest):
    access.projects.require_pipeline_user(request.user)
    _, town_id = access.projects.team_and_town_of(request.user)
    items = [stage_out(s) for s in selectors.stages_for(town_id=town_id)]
    return {"items": items, "count": len(items), "limit": len(items), "offset": 0}


@router.get(
    "/packet", response={200: PacketOut},
    summary="调度会 packet: by stage with changes since the last meeting, stale, overdue next steps, conversion, weighted investment",
    description="format=xlsx answers the workbook (text that could start a formula is prefixed with a quote).",
)
def packet(request: HttpRequest, params: Query[PacketQuery]):
    built = selectors.packet_build(user=request.user, since=params.since)
    if params.format == "xlsx":
        response = HttpResponse(packet_xlsx(built), content_type=XLSX)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''%E8%B0%83%E5%BA%A6%E4%BC%9A-{params.since}.xlsx"
        return response
    return built


@router.get("/dashboard", response=ProjectDashboardOut, summary="Per month new leads, signed and landed; investment and expected tax by industry")
def dashboard(request: HttpRequest, params: Query[ProjectDashboardQuery]):
    return selectors.dashboard(user=request.user, months=params.months)


@router.post("", response={201: ProjectDetailOut}, summary="Start a lead (线索): investor from the registry or by name; from a visit with visit_ids")
def create_project(request: HttpRequest, payload: ProjectIn):
    project = services.project_create(user=request.user, **payload.model_dump())
    return Status(201, _detail(request, project))


@router.get("/{id:project_id}", response=ProjectDetailOut, summary="One project: its stages, timeline, follow-ups, pending approval and what I may do")
def get_project(request: HttpRequest, project_id: int):
    return detail_out(selectors.project_get(user=request.user, project_id=project_id), user=request.user)


@router.patch("/{id:project_id}", response=ProjectDetailOut, summary="Correct a project's facts (not its stage or lead)")
def update_project(request: HttpRequest, project_id: int, payload: ProjectPatch):
    changes = payload.model_dump(exclude_unset=True)
    return _detail(request, services.project_update(user=request.user, project_id=project_id, changes=changes))


@router.post(
    "/{id:project_id}/move", response=ProjectDetailOut,
    summary="Move to the next stage (or back); a stage needing approval files a request instead (409 for skips, closed projects, missing evidence)",
)
def move(request: HttpRequest, project_id: int, payload: MoveIn):
    return _detail(request, services.project_move(user=request.user, project_id=project_id, **payload.model_dump()))


@router.post("/{id:project_id}/decide", response=ProjectDetailOut, summary="A manager approves or rejects the pending stage request (never their own)")
def decide(request: HttpRequest, project_id: int, payload: DecideIn):
    return _detail(request, services.project_decide(user=request.user, project_id=project_id, **payload.model_dump()))


@router.post("/{id:project_id}/reassign", response=ProjectDetailOut, summary="Another official leads it: stage and follow-ups stay")
def reassign(request: HttpRequest, project_id: int, payload: ProjectReassignIn):
    return _detail(request, services.project_reassign(user=request.user, project_id=project_id, **payload.model_dump()))


@router.post("/{id:project_id}/drop", response=ProjectDetailOut, summary="Terminate the project (终止), with the reason")
def drop(request: HttpRequest, project_id: int, payload: DropIn):
    return _detail(request, services.project_drop(user=request.user, project_id=project_id, **payload.model_dump()))


@router.post("/{id:project_id}/follow-ups", response={201: FollowUpOut}, summary="跟进记录: a note, the next step and its due date, files, visits")
def add_follow_up(request: HttpRequest, project_id: int, payload: FollowUpIn):
    made = services.follow_up_add(user=request.user, project_id=project_id, **payload.model_dump())
    return Status(201, follow_up_out(made, today=timezone.localdate()))


@router.post(
    "/{id:project_id}/attachments", response={201: AttachmentOut},
    summary="Add a file (a contract, a licence: photo or PDF ≤ 10 MB, at most 9 per project): evidence for a move",
)
def add_attachment(request: HttpRequest, project_id: int, file: File[UploadedFile]):
    attachment = services.project_attach(user=request.user, project_id=project_id, name=file.name or "", data=file.read())
    return Status(201, attachment_out(attachment, base=f"/api/projects/{project_id}"))


@router.get("/{id:project_id}/attachments/{id:attachment_id}", response={200: None}, summary="A project's file")
def get_attachment(request: HttpRequest, project_id: int, attachment_id: int, params: Query[AttachmentQuery]):
    project = selectors.project_get(user=request.user, project_id=project_id)
    return attachment_response(attachment=attachment_of(item=project, attachment_id=attachment_id), thumb=params.thumb)
