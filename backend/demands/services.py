"""Writes to the demands ledger: raising a demand and taking it through `flow.TRANSITIONS`.

Every write is one transaction: the demand row, its transition row and the notices
(inbox rows, queued SMS/push) are committed together or not at all.
"""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Case, F, Q, Value, When
from django.utils import timezone

from backend import access
from backend.accounts.models import OrgUnit, User
from backend.enterprises.models import Enterprise
from backend.errors import Conflict, Forbidden, Invalid, NotFound, RateLimited
from backend.notifications.services import batch_send
from backend.ratelimit import Limit
from backend.workdays.selectors import deadline_after

from . import flow, selectors
from .models import Demand, DemandSiteInquiry, DemandTransition

S = Demand.Status
DEMANDS_PER_DAY = 30  # per user: a phone line or an enterprise app is never busier; a script is


def _describe(demand: Demand) -> str:
    text = demand.description.replace("\n", " ")
    return f"「{demand.get_category_display()}」{text[:40]}{'…' if len(text) > 40 else ''}"


def _notify(*, demand: Demand, step: DemandTransition, body: str) -> None:
    """The enterprise hears of every step; an official hears when a demand is put on their desk."""
    url = f"#/demands/{demand.id}"
    members = access.enterprises.enterprise_users(enterprise_id=demand.enterprise_id)
    if members:
        batch_send(
            key=f"demands.progress:{step.id}",
            kind="demands.progress",
            title=f"诉求进展：{S(step.to_status).label}",
            body=f"{_describe(demand)}。{body}".strip(),
            user_ids=members,
            url=url,
        )
    if demand.assignee_id and step.action in ("assign", "rate") and step.to_status != S.CLOSED:
        batch_send(
            key=f"demands.assigned:{step.id}",
            kind="demands.assigned",
            title="诉求交办给您" if step.action == "assign" else "企业对办理结果不满意，诉求已退回处办",
            body=_describe(demand),
            user_ids=[demand.assignee_id],
            url=url,
        )


def _take_one(user: User) -> None:
    limit = Limit(f"demand:user:{user.id}:day", DEMANDS_PER_DAY, 24 * 3600)
    if limit.take() is None:
        raise RateLimited(
            f"今天登记的诉求已达上限（{DEMANDS_PER_DAY}条），请明天再试",
            retry_after=max(1, limit.exceeded()),
            code="demand_throttled",
        )


def _site_fields(needs: dict | None) -> dict:
    """A 场地 demand's needs (schemas.SiteNeedsIn, validated) as the Demand's columns."""
    needs = needs or {}
    return {
        "site_types": list(needs.get("types") or []),
        "site_area_min_m2": needs.get("area_min_m2"),
        "site_area_max_m2": needs.get("area_max_m2"),
        "site_place": needs.get("place") or "",
        "site_lat": needs.get("lat"),
        "site_lng": needs.get("lng"),
        "site_radius_km": needs.get("radius_km"),
    }


def _has_needs(needs: dict | None) -> bool:
    return any(v not in (None, "", []) for v in (needs or {}).values())


def demand_raise(
    *, user: User, category: str, description: str, enterprise_id: int | None = None, site_needs: dict | None = None
) -> Demand:
    """An enterprise raises its own demand in the app, or staff take one down from a phone call."""
    if _has_needs(site_needs) and category != Demand.Category.SITE:
        raise Invalid("只有「场地」类诉求可以填写场地需求", field="site_needs")
    enterprise_id, channel = access.demands.raise_for(user, enterprise_id=enterprise_id)
    if not Enterprise.objects.filter(id=enterprise_id).exists():
        raise NotFound("企业不存在")
    _take_one(user)
    now = timezone.now()
    with transaction.atomic():
        demand = Demand.objects.create(
            enterprise_id=enterprise_id, category=category, description=description, channel=channel,
            raised_by=user, created_at=now, updated_at=now, **_site_fields(site_needs),
        )
        step = DemandTransition.objects.create(
            demand=demand, actor=user, at=now, action="raise", from_status="", to_status=S.PENDING
        )
        _notify(demand=demand, step=step, body="已登记，等待交办。" if channel == "phone" else "已提交，等待交办。")
    return demand


def demand_from_consultation(
    *, actor: User, enterprise_id: int, raised_by_id: int, category: str, description: str, consultation_id: int
) -> Demand:
    """An official turns an online consultation into a demand: raised in the app by the asker
    (channel `app`, so it joins the intake queue), the step taken by the official.

    The caller (consultations.services) has checked the official may act on the consultation.
    """
    now = timezone.now()
    with transaction.atomic():
        demand = Demand.objects.create(
            enterprise_id=enterprise_id, category=category, description=description[:1000],
            channel=Demand.Channel.APP, raised_by_id=raised_by_id, created_at=now, updated_at=now,
        )
        step = DemandTransition.objects.create(
            demand=demand, actor=actor, at=now, action="raise", from_status="", to_status=S.PENDING,
            comment=f"由在线咨询（编号 {consultation_id}）转为诉求",
        )
        _notify(demand=demand, step=step, body="您的咨询已转为诉求，等待交办。")
    return demand


def visit_demands_record(*, visit, demands: Iterable[dict]) -> list[Demand]:
    """The needs an official wrote down at check-out (category, text): each a demand of the ledger.

    Called by visits inside its check-out transaction: all are written or none.
    """
    now = timezone.now()
    made = Demand.objects.bulk_create(
        [
            Demand(
                enterprise_id=visit.enterprise_id, category=d["category"], description=d["text"],
                channel=Demand.Channel.VISIT, visit_id=visit.id, raised_by_id=visit.staff_id,
                created_at=now, updated_at=now,
            )
            for d in demands
        ]
    )
    if not made:
        return made
    DemandTransition.objects.bulk_create(
        [
            DemandTransition(demand=d, actor_id=visit.staff_id, at=now, action="raise", from_status="", to_status=S.PENDING)
            for d in made
        ]
    )
    members = access.enterprises.enterprise_users(enterprise_id=visit.enterprise_id)
    if members:
        # One notice per check-out, not one per demand: a visit often records several.
        batch_send(
            key=f"demands.visit:{visit.id}",
            kind="demands.progress",
            title=f"走访收集的{len(made)}条诉求已登记",
            body="；".join(_describe(d) for d in made[:5]),
            user_ids=members,
            url=f"#/demands/{made[0].id}" if len(made) == 1 else "#/demands",
        )
    return made


def _step(
    *, user: User, demand_id: int, action: str, outcome: str = "", comment: str = "", changes: dict | None = None,
    body: str = "", now: dt.datetime | None = None,
) -> Demand:
    demand = selectors.demand_get(user=user, demand_id=demand_id)
    relations = access.demands.relations(user, demand)
    label = flow.ACTION_LABELS[action]
    if not flow.roles_for(action) & relations:
        raise Forbidden(f"您无权对这条诉求进行「{label}」", code="forbidden")
    step = flow.find(source=demand.status, action=action, outcome=outcome)
    if step is None or not step.roles & relations:
        raise Conflict(
            f"诉求当前为「{S(demand.status).label}」，不能进行「{label}」", code="illegal_transition"
        )
    now = now or timezone.now()
    changes = dict(changes or {})
    with transaction.atomic():
        # The status in the WHERE: of two people acting at once, the second changes no row.
        moved = Demand.objects.filter(id=demand.id, status=step.source).update(
            status=step.target, updated_at=now, **changes
        )
        if not moved:
            raise Conflict("这条诉求刚刚已被他人处理，请刷新后查看", code="illegal_transition")
        demand.refresh_from_db()
        record = DemandTransition.objects.create(
            demand=demand, actor=user, at=now, action=action, from_status=step.source, to_status=step.target,
            rating=outcome, comment=comment,
        )
        _notify(demand=demand, step=record, body=body or comment)
    return demand


def _deadline(*, start, working_days: int) -> dict:
    """The deadline fields for a time limit counted from `start` (backend/workdays)."""
    counted = deadline_after(start=start, working_days=working_days)
    return {
        "deadline": counted.at,
        "deadline_explained": counted.explained,
        "deadline_from": start,
        "working_days": working_days,
        # A new deadline gets its own reminder and escalation.
        "reminded_at": None,
        "escalated_at": None,
    }


OPEN = (S.ASSIGNED, S.VERIFYING, S.HANDLING)


def deadlines_recompute(*, years: list[int]) -> int:
    """Count every open deadline again after a year's holiday schedule changed; returns how many moved.

    Every open one, not only those in `years`: a pending (待日历确认) deadline does not
    know its year, and the engine answers thousands a second.
    """
    moved = []
    for demand in Demand.objects.filter(status__in=OPEN, deadline_from__isnull=False).only(
        "id", "deadline", "deadline_explained", "deadline_from", "working_days", "reminded_at", "escalated_at"
    ).iterator(chunk_size=2000):
        fields = _deadline(start=demand.deadline_from, working_days=demand.working_days)
        if (fields["deadline"], fields["deadline_explained"]) != (demand.deadline, demand.deadline_explained):
            demand.deadline, demand.deadline_explained = fields["deadline"], fields["deadline_explained"]
            demand.reminded_at = demand.escalated_at = None
            moved.append(demand)
    Demand.objects.bulk_update(moved, ["deadline", "deadline_explained", "reminded_at", "escalated_at"], batch_size=1000)
    return len(moved)


def demand_assign(
    *,
    user: User,
    demand_id: int,
    assignee_id: int | None = None,
    assignee_unit_id: int | None = None,
    working_days: int | None = None,
    comment: str = "",
) -> Demand:
    if (assignee_id is None) == (assignee_unit_id is None):
        raise Invalid("请选择一位承办人或一个承办部门（二选一）", field="assignee_id")
    if assignee_id is not None:
        official = access.demands.assignable_official(user_id=assignee_id)
        changes, to = {"assignee": official, "assignee_unit": None}, official.shown_name
    else:
        unit = OrgUnit.objects.filter(id=assignee_unit_id).first()
        if unit is None:
            raise Invalid("承办部门不存在", field="assignee_unit_id")
        changes, to = {"assignee": None, "assignee_unit": unit}, unit.name
    # The clock starts when the demand is put on someone's desk, not when it was raised.
    changes |= _deadline(start=timezone.now(), working_days=working_days or settings.DEMAND_WORKING_DAYS)
    return _step(
        user=user, demand_id=demand_id, action="assign", comment=comment, changes=changes,
        body=f"已交办给{to}。{comment}",
    )


def demand_verify(*, user: User, demand_id: int, comment: str = "") -> Demand:
    return _step(user=user, demand_id=demand_id, action="verify", comment=comment, body=f"承办人正在核查研判。{comment}")


def demand_handle(*, user: User, demand_id: int, comment: str = "") -> Demand:
    return _step(user=user, demand_id=demand_id, action="handle", comment=comment, body=f"已开始处办。{comment}")


def demand_resolve(*, user: User, demand_id: int, resolution: str) -> Demand:
    if not resolution:
        raise Invalid("请填写办理结果", field="resolution")
    now = timezone.now()
    # The first 已办结 is judged against the deadline of that moment, in the same UPDATE
    # (SET sees the row's old values); a later one, after a reopening, changes neither.
    first = Q(first_resolved_at__isnull=True)
    changes = {
        "resolution": resolution,
        "first_resolved_at": Case(When(first, then=Value(now)), default=F("first_resolved_at")),
        "resolved_on_time": Case(
            When(~first, then=F("resolved_on_time")),
            When(deadline__isnull=True, then=Value(None, output_field=BooleanField())),
            When(deadline__gte=now, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    }
    return _step(
        user=user, demand_id=demand_id, action="resolve", comment=resolution, changes=changes, now=now,
        body=f"办理结果：{resolution[:200]}。请对办理结果进行评价。",
    )


def demand_rate(*, user: User, demand_id: int, rating: str, comment: str = "") -> Demand:
    label = Demand.Rating(rating).label
    reopened = rating != Demand.Rating.SATISFIED
    changes = {"rating": rating}
    if reopened:
        # Back on the desk: the same time limit again, counted from the enterprise's verdict.
        current = Demand.objects.filter(id=demand_id).values_list("working_days", flat=True).first()
        changes |= _deadline(start=timezone.now(), working_days=current or settings.DEMAND_WORKING_DAYS)
    return _step(
        user=user, demand_id=demand_id, action="rate", outcome=rating, comment=comment, changes=changes,
        body=f"您的评价：{label}。" + ("诉求已退回继续处办。" if reopened else "感谢您的反馈，诉求已办结回访。"),
    )


def demand_attach(*, user: User, demand_id: int, name: str, data: bytes):
    """Add a photo or a PDF to a demand the user may see and is party to."""
    from backend.attachments.services import attachment_add

    demand = selectors.demand_get(user=user, demand_id=demand_id)
    access.demands.may_attach(user, demand)
    return attachment_add(user=user, to=demand, name=name, data=data)


# --- a 场地 demand's needs and the inquiries sent from its suggestions -----------------


def _site_demand(*, user: User, demand_id: int) -> Demand:
    demand = selectors.demand_get(user=user, demand_id=demand_id)
    if demand.category != Demand.Category.SITE:
        raise Conflict("这条诉求不是「场地」类，不能填写场地需求或从这里咨询场地", code="not_site_demand")
    return demand


def _note(*, demand: Demand, user: User, action: str, comment: str, at: dt.datetime) -> DemandTransition:
    """A timeline entry that changes no status: from and to are the status it has."""
    return DemandTransition.objects.create(
        demand=demand, actor=user, at=at, action=action, from_status=demand.status, to_status=demand.status,
        comment=comment,
    )


def demand_site_needs_set(*, user: User, demand_id: int, needs: dict) -> Demand:
    """State or correct what site a 场地 demand needs (the enterprise, or an official for it).

    Recorded on the timeline; when an official sets them the enterprise is told that
    suggested sites are waiting, which is how an official forwards suggestions: the
    enterprise sends its own inquiries (services.demand_site_inquiry).
    """
    demand = _site_demand(user=user, demand_id=demand_id)
    access.demands.require_site_needs_editor(user, demand)
    now = timezone.now()
    fields = _site_fields(needs)
    with transaction.atomic():
        Demand.objects.filter(id=demand.id).update(updated_at=now, **fields)
        demand.refresh_from_db()
        summary = selectors.site_needs_of(demand)["summary"] or "（已清空）"
        step = _note(demand=demand, user=user, action="site_needs", comment=summary, at=now)
        if not access.demands.can_inquire_for(user, demand):
            _notify(demand=demand, step=step, body=f"承办人填写了场地需求（{summary}），可在诉求中查看推荐场地并咨询。")
    return demand


def demand_site_inquiry(*, user: User, demand_id: int, site_id: int, message: str, phone: str | None = None) -> DemandSiteInquiry:
    """The enterprise asks a suggested site's owner unit, from its 场地 demand.

    The site finder's own inquiry (sites.services.inquiry_create: its checks, its daily
    limit per user, the owner unit's notice), linked to the demand once per site and
    noted on the demand's timeline, in one transaction.
    """
    from backend.sites.services import inquiry_create

    demand = _site_demand(user=user, demand_id=demand_id)
    access.demands.require_inquirer(user, demand)
    sent = DemandSiteInquiry.objects.filter(demand=demand, site_id=site_id).select_related("site").first()
    if sent is not None:
        # Checked before the inquiry is made: a second tap spends none of the day's quota.
        raise Conflict(f"已就「{sent.site.name}」从这条诉求发出过咨询，请等待资源持有单位回复", code="already_inquired")
    now = timezone.now()
    try:
        with transaction.atomic():
            inquiry = inquiry_create(
                user=user, site_id=site_id, message=message, phone=phone,
                area_needed_m2=demand.site_area_max_m2 or demand.site_area_min_m2,
            )
            link = DemandSiteInquiry.objects.create(demand=demand, site_id=site_id, inquiry=inquiry, created_at=now)
            _note(
                demand=demand, user=user, action="inquire", at=now,
                comment=f"就「{inquiry.site.name}」（{inquiry.site.owner_unit.name}）发出场地咨询：{message[:200]}",
            )
    except IntegrityError:
        raise Conflict("已就这个场地从这条诉求发出过咨询", code="already_inquired") from None
    return link
