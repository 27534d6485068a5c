"""Reads of consultations, scoped by backend.access.consultations."""

import datetime as dt

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from backend import access
from backend.errors import Conflict, Forbidden, NotFound

from . import flow
from .models import Consultation, ConsultationMessage

NOT_FOUND = "咨询不存在或无权查看"
RELATED = ("asked_by", "enterprise", "unit", "official", "demand")


def consultations_visible_to(*, user) -> QuerySet[Consultation]:
    return Consultation.objects.filter(access.consultations.consultations_q(user))


def consultation_list(
    *, user, status: str | None = None, held_by_me: bool = False, order: str = "recent"
) -> QuerySet[Consultation]:
    qs = consultations_visible_to(user=user)
    if status:
        qs = qs.filter(status=status)
    if held_by_me:
        qs = qs.filter(access.consultations.held_by_q(user))
    if order == "due":
        # 待我回复: the soonest (or most overdue) first, so a page of them never drops the
        # oldest; 待日历确认 (no deadline yet) last.
        return qs.select_related(*RELATED).order_by(F("deadline").asc(nulls_last=True), "id")
    return qs.select_related(*RELATED).order_by("-created_at", "-id")


def consultation_get(*, user, consultation_id: int) -> Consultation:
    c = consultations_visible_to(user=user).select_related(*RELATED).filter(id=consultation_id).first()
    if c is None:
        raise NotFound(NOT_FOUND)
    return c


def consultation_thread(*, consultation: Consultation) -> QuerySet[ConsultationMessage]:
    """The messages of a consultation the caller already may see (consultation_get), oldest first."""
    return consultation.messages.select_related("author").order_by("at", "id")


def consultation_question(*, consultation: Consultation) -> str:
    first = consultation.messages.filter(kind=ConsultationMessage.Kind.QUESTION).order_by("at", "id").first()
    return first.text if first else ""


def consultation_actions(*, user, consultation: Consultation) -> list[str]:
    return flow.available(consultation=consultation, relations=access.consultations.relations(user, consultation))


def reassign_targets(*, user) -> dict:
    """The departments and officials a consultation may be handed to (the 转派 form's choices)."""
    units, officials = access.consultations.reassign_targets(user)
    return {
        "units": [{"id": u.id, "name": u.name} for u in units],
        "officials": [
            {
                "id": o.id, "name": o.shown_name, "unit_id": o.org_unit_id,
                "unit_name": o.org_unit.name if o.org_unit_id else None,
            }
            for o in officials
        ],
    }


def month_bounds(month: str) -> tuple[dt.datetime, dt.datetime]:
    """[first moment, first moment of the next month) of "YYYY-MM", in local time."""
    year, mon = (int(p) for p in month.split("-"))
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, mon, 1, tzinfo=tz)
    end = dt.datetime(year + (mon == 12), mon % 12 + 1, 1, tzinfo=tz)
    return start, end


def _counted_q(now: dt.datetime) -> Q:
    """Which consultations due in a month count: answered ones (judged), and unanswered ones
    whose deadline has passed — unless the enterprise closed it before the deadline."""
    judged = Q(answered_on_time__isnull=False)
    missed = Q(first_answer_at__isnull=True, deadline__lte=now) & (Q(closed_at__isnull=True) | Q(closed_at__gt=F("deadline")))
    return judged | missed


def _due(*, user, month: str) -> QuerySet[Consultation]:
    scope = access.consultations.stats_scope(user)
    start, end = month_bounds(month)
    return (
        Consultation.objects.filter(scope.q("official__"))
        .filter(deadline__gte=start, deadline__lt=end)
        .filter(_counted_q(timezone.now()))
    )


def on_time_rates(*, user, month: str) -> dict:
    """Per official: consultations due in `month` that count, how many were answered on time."""
    scope = access.consultations.stats_scope(user)
    rows = (
        _due(user=user, month=month)
        .values("official_id", "official__display_name", "official__username")
        .annotate(due=Count("id"), on_time=Count("id", filter=Q(answered_on_time=True)))
        .order_by("official_id")
    )
    officials = []
    for r in rows:
        name = r["official__display_name"] or r["official__username"]
        officials.append({
            "official_id": r["official_id"], "official_name": name, "due": r["due"], "on_time": r["on_time"],
            "late": r["due"] - r["on_time"], "rate": round(r["on_time"] / r["due"], 4) if r["due"] else None,
        })
    return {"month": month, "scope": scope.as_dict(), "officials": officials}


def on_time_rows(*, user, month: str, official_id: int | None = None) -> QuerySet[Consultation]:
    """The consultations behind `on_time_rates`: each one counted, and how it was judged."""
    qs = _due(user=user, month=month)
    if official_id:
        qs = qs.filter(official_id=official_id)
    return qs.select_related(*RELATED).order_by("deadline", "id")


def consultation_can_attach(*, user, consultation: Consultation) -> bool:
    try:
        access.consultations.may_attach(user, consultation)
    except (Conflict, Forbidden):
        return False
    return True
