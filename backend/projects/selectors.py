"""Reads of the investment pipeline, scoped by backend.access.projects."""

import datetime as dt
from decimal import Decimal

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from backend import access
from backend.errors import NotFound

from .models import FollowUp, Project, Stage, StageChange, StageRequest

NOT_FOUND = "项目不存在或无权查看"


def stages_for(*, town_id: int | None) -> list[Stage]:
    """A town's pipeline, in order: its own rows, or the default set when it has none."""
    if town_id is not None:
        own = list(Stage.objects.filter(town_id=town_id).order_by("order"))
        if own:
            return own
    found = list(Stage.objects.filter(town__isnull=True).order_by("order"))
    if not found:
        # Migration 0002 seeds these; a database flushed since (a test, a restore of an
        # older dump) gets them back rather than a pipeline without stages.
        from .stages import DEFAULT_STAGES

        for order, (code, name, phase, probability, stale, evidence, approval) in enumerate(DEFAULT_STAGES, start=1):
            Stage.objects.get_or_create(town=None, code=code, defaults=dict(
                name=name, phase=phase, order=order, probability=probability, stale_days=stale,
                evidence_required=evidence, needs_approval=approval,
            ))
        found = list(Stage.objects.filter(town__isnull=True).order_by("order"))
    return found


def projects_visible_to(*, user) -> QuerySet[Project]:
    return Project.objects.filter(access.projects.projects_q(user))


def project_list(
    *, user, stage: str | None = None, status: str | None = None, lead_id: int | None = None,
    q: str = "", stale: bool = False, mine: bool = False,
) -> QuerySet[Project]:
    qs = projects_visible_to(user=user).select_related("stage", "lead", "enterprise", "team")
    if stage:
        qs = qs.filter(stage__code=stage)
    if status:
        qs = qs.filter(status=status)
    if lead_id:
        qs = qs.filter(lead_id=lead_id)
    if mine:
        qs = qs.filter(lead_id=user.id)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(investor_name__icontains=q) | Q(enterprise__name__icontains=q))
    if stale:
        ids = [p.id for p in qs.filter(status=Project.Status.ACTIVE) if is_stale(p)]
        qs = qs.filter(id__in=ids)
    return qs.order_by("stage__order", "-last_activity_at", "-id")


def project_get(*, user, project_id: int) -> Project:
    project = (
        projects_visible_to(user=user)
        .select_related("stage", "lead", "enterprise", "team", "site", "created_by")
        .filter(id=project_id)
        .first()
    )
    if project is None:
        raise NotFound(NOT_FOUND)
    return project


def days_idle(project: Project, *, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    return (today - timezone.localdate(project.last_activity_at)).days


def is_stale(project: Project, *, today: dt.date | None = None) -> bool:
    """No stage change and no follow-up for the stage's own limit (default 14 days)."""
    return project.status == Project.Status.ACTIVE and days_idle(project, today=today) >= project.stage.stale_days


def project_timeline(*, project: Project) -> QuerySet[StageChange]:
    """The history of a project the caller already may see (project_get), oldest first."""
    return project.changes.select_related("actor", "from_stage", "to_stage", "approved_by", "evidence").order_by("at", "id")


def project_follow_ups(*, project: Project) -> QuerySet[FollowUp]:
    return project.follow_ups.select_related("author").prefetch_related("attachments", "visits").order_by("-at", "-id")


def pending_request(*, project: Project) -> StageRequest | None:
    return (
        project.requests.filter(status=StageRequest.Status.PENDING)
        .select_related("from_stage", "to_stage", "requested_by", "evidence")
        .first()
    )


def project_actions(*, user, project: Project) -> dict:
    """What `user` may do to `project` now: the stages it may be moved to, approve, reassign."""
    request = pending_request(project=project)
    stages = stages_for(town_id=project.town_id)
    moves = []
    if project.status == Project.Status.ACTIVE and request is None:
        here = project.stage.order
        moves = [s.code for s in stages if s.order == here + 1 or s.order < here]
    return {
        "moves": moves,
        "can_decide": bool(request) and request.requested_by_id != user.id and access.projects.is_supervisor(user, project),
        "can_reassign": access.projects.is_supervisor(user, project),
        "can_drop": project.status == Project.Status.ACTIVE,
    }


# --- the 调度会 packet ----------------------------------------------------------------------------


def _wan(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01")))


def packet_build(*, user, since: dt.date, today: dt.date | None = None) -> dict:
    """The dispatch meeting's packet over the projects `user` may see.

    - by stage (the pipeline's order): how many projects, planned and weighted investment
      (Σ planned × the stage's probability), and which entered it since `since`;
    - stale projects (no change or follow-up for their stage's limit), most idle first;
    - overdue next steps: a project's latest follow-up's next step past its due date;
    - signed → landed: of the projects that ever reached 签约, how many reached 落地.
    Terminated projects count in conversion only (they did sign, or not).
    """
    today = today or timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    scope = access.projects.projects_q(user)
    latest = FollowUp.objects.filter(project_id=OuterRef("pk")).exclude(next_step="").order_by("-at", "-id")
    projects = list(
        Project.objects.filter(scope)
        .select_related("stage", "lead", "enterprise")
        .annotate(next_step_text=Subquery(latest.values("next_step")[:1]), next_step_due=Subquery(latest.values("next_due")[:1]))
        .order_by("stage__order", "id")
    )
    changes = (
        StageChange.objects.filter(kind=StageChange.Kind.MOVE, at__gte=start)
        .filter(project__in=Project.objects.filter(scope).values("id"))
        .select_related("actor", "from_stage", "to_stage")
        .order_by("at", "id")
    )
    moved: dict[int, list[dict]] = {}
    for c in changes:
        moved.setdefault(c.project_id, []).append({
            "at": c.at, "from": c.from_stage.name if c.from_stage_id else "", "to": c.to_stage.name if c.to_stage_id else "",
            "actor_name": c.actor.shown_name, "comment": c.comment,
        })

    stages: dict[str, dict] = {}
    stale, overdue = [], []
    signed = landed = 0
    total_planned = total_weighted = Decimal(0)
    for p in projects:
        signed += p.signed_at is not None
        landed += p.landed_at is not None
        if p.status == Project.Status.DROPPED:
            continue
        row = stages.setdefault(p.stage.code, {
            "code": p.stage.code, "name": p.stage.name, "phase": p.stage.phase, "order": p.stage.order,
            "probability": p.stage.probability, "count": 0, "planned": Decimal(0), "weighted": Decimal(0),
            "changed": 0, "projects": [],
        })
        weighted = p.investment_wan * p.probability / 100
        row["count"] += 1
        row["planned"] += p.investment_wan
        row["weighted"] += weighted
        total_planned += p.investment_wan
        total_weighted += weighted
        mine = moved.get(p.id, [])
        row["changed"] += bool(mine)
        row["projects"].append({
            "id": p.id, "name": p.name, "investor": p.investor, "lead_name": p.lead.shown_name,
            "investment_wan": _wan(p.investment_wan), "probability": p.probability, "status": p.status,
            "stage_entered_at": p.stage_entered_at, "changes": mine,
        })
        idle = days_idle(p, today=today)
        if p.status == Project.Status.ACTIVE and idle >= p.stage.stale_days:
            stale.append({
                "id": p.id, "name": p.name, "stage_name": p.stage.name, "lead_name": p.lead.shown_name,
                "days_idle": idle, "stale_days": p.stage.stale_days,
            })
        if p.status == Project.Status.ACTIVE and p.next_step_due is not None and p.next_step_due < today:
            overdue.append({
                "id": p.id, "name": p.name, "stage_name": p.stage.name, "lead_name": p.lead.shown_name,
                "next_step": p.next_step_text, "next_due": p.next_step_due, "days_overdue": (today - p.next_step_due).days,
            })
    ordered = sorted(stages.values(), key=lambda r: (r["order"], r["code"]))
    for row in ordered:
        row["planned_wan"], row["weighted_wan"] = _wan(row.pop("planned")), _wan(row.pop("weighted"))
    stale.sort(key=lambda r: (-r["days_idle"], r["id"]))
    overdue.sort(key=lambda r: (-r["days_overdue"], r["id"]))
    return {
        "since": since,
        "today": today,
        "generated_at": timezone.now(),
        "stages": ordered,
        "changed": sum(1 for p in projects if p.id in moved),
        "stale": stale,
        "overdue": overdue,
        "conversion": {
            "signed": signed, "landed": landed, "rate": round(landed * 100 / signed, 1) if signed else None,
        },
        "totals": {
            "count": sum(r["count"] for r in ordered), "planned_wan": _wan(total_planned), "weighted_wan": _wan(total_weighted),
        },
    }


def dashboard(*, user, months: int = 12, today: dt.date | None = None) -> dict:
    """Per month: new leads, projects that reached 签约 and 落地; by industry (active and
    done projects): count, planned investment, expected annual tax."""
    from django.db.models import Count, Sum
    from django.db.models.functions import TruncMonth

    from backend.enterprises.industries import SECTIONS

    today = today or timezone.localdate()
    first = today.replace(day=1)
    for _ in range(months - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    mine = Project.objects.filter(access.projects.projects_q(user))
    rows: dict[dt.date, dict] = {}
    day = first
    while day <= today:
        rows[day] = {"month": day.strftime("%Y-%m"), "leads": 0, "signed": 0, "landed": 0}
        day = (day + dt.timedelta(days=32)).replace(day=1)
    for field, key in (("created_at", "leads"), ("signed_at", "signed"), ("landed_at", "landed")):
        counted = (
            mine.filter(**{f"{field}__gte": start}).annotate(m=TruncMonth(field)).values("m").annotate(n=Count("id"))
        )
        for r in counted:
            month = r["m"].date() if isinstance(r["m"], dt.datetime) else r["m"]
            if month in rows:
                rows[month][key] += r["n"]
    industries = (
        mine.exclude(status=Project.Status.DROPPED).values("industry")
        .annotate(n=Count("id"), planned=Sum("investment_wan"), tax=Sum("expected_tax_wan")).order_by("-planned", "industry")
    )
    return {
        "months": list(rows.values()),
        "industries": [
            {
                "industry": r["industry"], "label": SECTIONS.get(r["industry"], "未填行业"), "count": r["n"],
                "investment_wan": _wan(r["planned"] or Decimal(0)), "expected_tax_wan": _wan(r["tax"] or Decimal(0)),
            }
            for r in industries
        ],
    }
