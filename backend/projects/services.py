"""Writes to the investment pipeline: projects, stage moves and their approval, follow-ups.

Every stage change happens under a row lock on the project (`_locked`): of two people
moving the same project at once, the second sees the first's result and is refused (409)
instead of recording the same move twice. Each write is one transaction.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from backend import access
from backend.attachments.models import Attachment
from backend.attachments.services import attachment_add
from backend.enterprises.models import Enterprise
from backend.errors import Conflict, Invalid
from backend.notifications.services import batch_send
from backend.sites.models import Site
from backend.visits.models import Visit

from . import selectors
from .models import FollowUp, Project, Stage, StageChange, StageRequest

P = Project.Status
EVIDENCE = dict(Stage.Evidence.choices)


def _visits(*, user, visit_ids: Iterable[int]) -> list[Visit]:
    ids = list(dict.fromkeys(visit_ids))
    found = list(Visit.objects.filter(access.visits.visits_q(user)).filter(id__in=ids))
    if len(found) != len(ids):
        raise Invalid("走访记录不存在或无权查看", field="visit_ids")
    return found


def _investor(*, enterprise_id: int | None, investor_name: str) -> Enterprise | None:
    if enterprise_id is None:
        if not investor_name:
            raise Invalid("请选择投资方企业，或填写尚未登记的投资方名称", field="investor_name")
        return None
    enterprise = Enterprise.objects.filter(id=enterprise_id).first()
    if enterprise is None:
        raise Invalid("企业不存在", field="enterprise_id")
    return enterprise


def _site(site_id: int | None) -> Site | None:
    if site_id is None:
        return None
    site = Site.objects.filter(id=site_id).first()
    if site is None:
        raise Invalid("场地不存在", field="site_id")
    return site


def project_create(
    *, user, name: str, investment_wan, source: str, enterprise_id: int | None = None, investor_name: str = "",
    industry: str = "", expected_tax_wan=0, expected_jobs: int = 0, lead_id: int | None = None,
    site_id: int | None = None, plot: str = "", visit_ids: Iterable[int] = (), comment: str = "",
) -> Project:
    """A new lead (线索), on the town's first stage; from a visit when visit_ids name one."""
    lead = access.projects.lead_for(user, lead_id=lead_id)
    enterprise = _investor(enterprise_id=enterprise_id, investor_name=investor_name)
    visits = _visits(user=user, visit_ids=visit_ids)
    team_id, town_id = access.projects.team_and_town_of(lead)
    first = selectors.stages_for(town_id=town_id)[0]
    now = timezone.now()
    with transaction.atomic():
        project = Project.objects.create(
            name=name, enterprise=enterprise, investor_name="" if enterprise else investor_name,
            industry=industry or (enterprise.industry if enterprise else ""), investment_wan=investment_wan,
            expected_tax_wan=expected_tax_wan, expected_jobs=expected_jobs, source=source, lead=lead, team_id=team_id,
            town_id=town_id, site=_site(site_id), plot=plot, stage=first, probability=first.probability,
            stage_entered_at=now, last_activity_at=now, created_by=user, created_at=now, updated_at=now,
        )
        project.visits.set(visits)
        StageChange.objects.create(project=project, kind=StageChange.Kind.CREATED, actor=user, at=now, to_stage=first,
                                   comment=comment)
    return project


EDITABLE = {"name", "industry", "investment_wan", "expected_tax_wan", "expected_jobs", "source", "plot"}


def project_update(*, user, project_id: int, changes: dict) -> Project:
    """The project's facts (not its stage, lead or status: those have their own steps)."""
    project = selectors.project_get(user=user, project_id=project_id)
    fields = {k: v for k, v in changes.items() if k in EDITABLE}
    if "enterprise_id" in changes or "investor_name" in changes:
        enterprise = _investor(
            enterprise_id=changes.get("enterprise_id", project.enterprise_id),
            investor_name=changes.get("investor_name", project.investor_name),
        )
        fields["enterprise"] = enterprise
        fields["investor_name"] = "" if enterprise else changes.get("investor_name", project.investor_name)
    if "site_id" in changes:
        fields["site"] = _site(changes["site_id"])
    visits = _visits(user=user, visit_ids=changes["visit_ids"]) if changes.get("visit_ids") is not None else None
    now = timezone.now()
    with transaction.atomic():
        for key, value in fields.items():
            setattr(project, key, value)
        project.updated_at = project.last_activity_at = now
        project.save()
        if visits is not None:
            project.visits.set(visits)
    return project


def _locked(project_id: int) -> Project:
    # No join in the locking read: PostgreSQL re-checks a join against the row another
    # transaction just changed (its new stage_id against the old stage row) and would
    # answer "no such project" to whoever waited for the lock.
    return Project.objects.select_for_update().get(id=project_id)


def _target(project: Project, code: str) -> Stage:
    for stage in selectors.stages_for(town_id=project.town_id):
        if stage.code == code:
            return stage
    raise Invalid("没有这个阶段", field="to")


def _check_move(project: Project, target: Stage, *, evidence_id: int | None) -> Attachment | None:
    """Why a move cannot be made now (409), checked under the project's lock."""
    if project.status != P.ACTIVE:
        raise Conflict(f"项目{project.get_status_display()}，不能再变更阶段", code="project_closed")
    if project.requests.filter(status=StageRequest.Status.PENDING).exists():
        raise Conflict("项目有待审批的阶段变更申请，请等待审批结果", code="approval_pending")
    here = project.stage
    if target.id == here.id:
        raise Conflict(f"项目已在「{here.name}」阶段", code="same_stage")
    forward = target.order > here.order
    if forward and target.order != here.order + 1:
        nxt = Stage.objects.filter(town_id=here.town_id, order=here.order + 1).first()
        raise Conflict(f"不能跳过阶段：请先进入「{nxt.name if nxt else '下一阶段'}」", code="stage_skipped")
    evidence = None
    if evidence_id is not None:
        evidence = project.attachments.filter(id=evidence_id).first()
        if evidence is None:
            raise Invalid("证明材料不存在：请先上传到本项目", field="evidence_id")
    if forward and target.evidence_required and evidence is None:
        raise Conflict(
            f"进入「{target.name}」需要上传{EVIDENCE[target.evidence_required]}作为证明", code="evidence_required"
        )
    return evidence


def _apply(project: Project, target: Stage, *, user, comment: str, evidence, approved_by=None, now) -> StageChange:
    origin = project.stage
    project.stage, project.probability = target, target.probability  # probability follows stage
    project.stage_entered_at = project.last_activity_at = project.updated_at = now
    if target.phase in (Stage.Phase.SIGNED, Stage.Phase.LANDED) and project.signed_at is None:
        project.signed_at = now
    if target.phase == Stage.Phase.LANDED and project.landed_at is None:
        project.landed_at = now
    if not Stage.objects.filter(town_id=target.town_id, order__gt=target.order).exists():
        project.status = P.DONE  # the last stage (投产) closes the project
    project.save()
    return StageChange.objects.create(
        project=project, kind=StageChange.Kind.MOVE, actor=user, at=now, from_stage=origin, to_stage=target,
        comment=comment, evidence=evidence, approved_by=approved_by,
    )


def project_move(*, user, project_id: int, to: str, comment: str = "", evidence_id: int | None = None) -> Project:
    """Move a project to the next stage (or back to an earlier one). A stage that needs
    approval gets a request instead: the project stays until a manager decides."""
    project = selectors.project_get(user=user, project_id=project_id)
    now = timezone.now()
    with transaction.atomic():
        project = _locked(project.id)
        target = _target(project, to)
        evidence = _check_move(project, target, evidence_id=evidence_id)
        if target.order > project.stage.order and target.needs_approval:
            StageRequest.objects.create(
                project=project, from_stage=project.stage, to_stage=target, requested_by=user, requested_at=now,
                comment=comment, evidence=evidence,
            )
            step = StageChange.objects.create(
                project=project, kind=StageChange.Kind.REQUESTED, actor=user, at=now, from_stage=project.stage,
                to_stage=target, comment=comment, evidence=evidence,
            )
            # The manager's inbox (and SMS/push): a request nobody sees holds the project up.
            batch_send(
                key=f"projects.request:{step.id}", kind="projects.request", title=f"项目待审批：进入「{target.name}」",
                body=f"{project.name}（{user.shown_name}提交）{comment}".strip(),
                user_ids=[i for i in access.projects.approver_ids(project) if i != user.id], url=f"#/projects/{project.id}",
            )
            Project.objects.filter(id=project.id).update(last_activity_at=now, updated_at=now)
        else:
            _apply(project, target, user=user, comment=comment, evidence=evidence, now=now)
    return project


def project_decide(*, user, project_id: int, approve: bool, comment: str = "") -> Project:
    """A manager approves (the project moves, recorded with both names) or rejects (it stays)."""
    project = selectors.project_get(user=user, project_id=project_id)
    now = timezone.now()
    with transaction.atomic():
        project = _locked(project.id)
        request = project.requests.select_for_update().filter(status=StageRequest.Status.PENDING).first()
        if request is None:
            raise Conflict("没有待审批的阶段变更申请", code="no_request")
        access.projects.require_approver(user, request)
        if approve:
            if project.status != P.ACTIVE or project.stage_id != request.from_stage_id:
                raise Conflict("项目阶段已变化，这份申请不再适用", code="request_outdated")
            _apply(project, request.to_stage, user=request.requested_by, comment=request.comment,
                   evidence=request.evidence, approved_by=user, now=now)
        else:
            StageChange.objects.create(
                project=project, kind=StageChange.Kind.REJECTED, actor=user, at=now, from_stage=request.from_stage,
                to_stage=request.to_stage, comment=comment,
            )
            Project.objects.filter(id=project.id).update(last_activity_at=now, updated_at=now)
        batch_send(
            key=f"projects.decided:{request.id}", kind="projects.decided",
            title=f"项目{'已批准进入' if approve else '未获批准进入'}「{request.to_stage.name}」",
            body=f"{project.name}（{user.shown_name}）{comment}".strip(), user_ids=[request.requested_by_id],
            url=f"#/projects/{project.id}",
        )
        request.status = StageRequest.Status.APPROVED if approve else StageRequest.Status.REJECTED
        request.decided_by, request.decided_at, request.decision_comment = user, now, comment
        request.save()
    return project


def project_reassign(*, user, project_id: int, lead_id: int, comment: str = "") -> Project:
    """Another official leads the project: its stage, probability and every follow-up stay."""
    project = selectors.project_get(user=user, project_id=project_id)
    access.projects.require_reassigner(user, project)
    lead = access.projects.lead_for(user, lead_id=lead_id)
    if lead.id == project.lead_id:
        raise Conflict("该工作人员已是项目负责人", code="same_lead")
    now = timezone.now()
    with transaction.atomic():
        project = _locked(project.id)
        before = project.lead.shown_name
        # Only the lead changes: the team (who sees it) follows the new lead's unit.
        team_id, _ = access.projects.team_and_town_of(lead)
        Project.objects.filter(id=project.id).update(lead=lead, team_id=team_id or project.team_id, updated_at=now,
                                                     last_activity_at=now)
        StageChange.objects.create(
            project=project, kind=StageChange.Kind.REASSIGNED, actor=user, at=now, from_stage=project.stage,
            to_stage=project.stage, comment=f"{before} → {lead.shown_name}" + (f"：{comment}" if comment else ""),
        )
    project.refresh_from_db()
    return project


def project_drop(*, user, project_id: int, comment: str) -> Project:
    project = selectors.project_get(user=user, project_id=project_id)
    now = timezone.now()
    with transaction.atomic():
        project = _locked(project.id)
        if project.status != P.ACTIVE:
            raise Conflict(f"项目{project.get_status_display()}，不能终止", code="project_closed")
        project.requests.filter(status=StageRequest.Status.PENDING).update(
            status=StageRequest.Status.REJECTED, decided_by=user, decided_at=now, decision_comment="项目已终止"
        )
        Project.objects.filter(id=project.id).update(status=P.DROPPED, updated_at=now, last_activity_at=now)
        StageChange.objects.create(project=project, kind=StageChange.Kind.DROPPED, actor=user, at=now,
                                   from_stage=project.stage, to_stage=project.stage, comment=comment)
    project.refresh_from_db()
    return project


def follow_up_add(
    *, user, project_id: int, note: str, next_step: str = "", next_due: dt.date | None = None,
    visit_ids: Iterable[int] = (), attachment_ids: Iterable[int] = (),
) -> FollowUp:
    project = selectors.project_get(user=user, project_id=project_id)
    if next_due is not None and not next_step:
        raise Invalid("填写了完成期限，请同时填写下一步", field="next_step")
    visits = _visits(user=user, visit_ids=visit_ids)
    ids = list(dict.fromkeys(attachment_ids))
    files = list(project.attachments.filter(id__in=ids))
    if len(files) != len(ids):
        raise Invalid("附件不存在：请先上传到本项目", field="attachment_ids")
    now = timezone.now()
    with transaction.atomic():
        follow_up = FollowUp.objects.create(project=project, author=user, at=now, note=note, next_step=next_step,
                                            next_due=next_due)
        follow_up.visits.set(visits)
        follow_up.attachments.set(files)
        Project.objects.filter(id=project.id).update(last_activity_at=now, updated_at=now)
    return follow_up


def project_attach(*, user, project_id: int, name: str, data: bytes) -> Attachment:
    """A file on the project (a contract, a licence, a photo): evidence for a move or a follow-up's file."""
    project = selectors.project_get(user=user, project_id=project_id)
    if project.status == P.DROPPED:
        raise Conflict("项目已终止，不能再添加附件", code="project_closed")
    return attachment_add(user=user, to=project, name=name, data=data)

