import datetime as dt
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone

from backend import access
from backend.accounts.models import User
from backend.errors import NotFound

from .models import Visit


def visits_visible_to(*, user: User) -> QuerySet[Visit]:
    """Whose visits: backend.access.visits.visits_q (own, the manager's unit, or all)."""
    return Visit.objects.select_related("enterprise", "staff").filter(access.visits.visits_q(user))


def visit_list(
    *, user: User, date_from: dt.date | None = None, date_to: dt.date | None = None, staff_id: int | None = None
) -> QuerySet[Visit]:
    qs = visits_visible_to(user=user).prefetch_related("demands", "photos", "flag_reviews__reviewer")
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(checkin_at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=tz))
    if date_to:
        qs = qs.filter(checkin_at__lt=dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    if staff_id:
        qs = qs.filter(staff_id=staff_id)
    return qs.order_by("-checkin_at", "-id")


def visit_get(*, user: User, visit_id: int) -> Visit:
    # 404, not 403: another team's visit id must not reveal that it exists.
    visit = (
        visits_visible_to(user=user)
        .prefetch_related("demands", "photos", "flag_reviews__reviewer")
        .filter(id=visit_id)
        .first()
    )
    if visit is None:
        raise NotFound("走访记录不存在或无权查看")
    return visit


def own_visit_get(*, staff: User, visit_ref: str) -> Visit:
    """The staff member's own visit by server id or by the check-in's client UUID.

    An offline phone does not know the server id when it queues the check-out
    or a photo, so it may address the visit by the UUID it made for the check-in.
    """
    visits = Visit.objects.select_related("enterprise").filter(staff=staff)
    visit = None
    # isascii(): "²".isdigit() is True, and int("²") raises.
    if visit_ref.isascii() and visit_ref.isdigit() and len(visit_ref) <= 18:
        visit = visits.filter(id=int(visit_ref)).first()
    else:
        try:
            visit = visits.filter(client_id=UUID(visit_ref)).first()
        except ValueError:
            visit = None
    if visit is None:
        raise NotFound("走访记录不存在")
    return visit


def visit_by_rating_token(*, token: str) -> Visit:
    visit = Visit.objects.select_related("enterprise", "staff").filter(rating_token=token).first()
    if visit is None:
        raise NotFound("评价链接无效")
    return visit


def rating_standing(*, visit: Visit, user: User | None, official_device: bool) -> tuple[str, str | None]:
    """How a rating from this person would count (backend.access.visits.rating_standing)."""
    return access.visits.rating_standing(visit=visit, user=user, official_device=official_device)


def access_log_for(*, user: User):
    from .models import LocationAccess

    return LocationAccess.objects.filter(subject=user).select_related("viewer").order_by("-at", "-id")
