"""Writes for visits: check-in, check-out, photos, ratings.

Every write from the phone carries a client-made UUID. The database's unique
index on it is what makes a replay harmless: we try the insert and, when it
collides, answer with the row that won (same body → 200, other body → 409).
"""

import contextlib
import datetime as dt
import hashlib
import json
import secrets
from uuid import UUID

from django.db import DEFAULT_DB_ALIAS, IntegrityError, transaction
from django.utils import timezone

from backend import access
from backend.accounts.models import User
from backend.demands.services import visit_demands_record
from backend.enterprises.models import Enterprise
from backend.errors import Conflict, Forbidden, Invalid, NotFound
from backend.workdays.selectors import is_workday_or_weekday
from geo import flags as geoflags
from geo.distance import distance_m
from geo.geofence import DEFAULT_GEOFENCE_M

from .models import FlagReview, Visit
from .positions import position_context
from .selectors import own_visit_get

# A queued check-in older than this is refused rather than flagged: nothing a
# phone keeps that long is a visit anyone can still review meaningfully.
MAX_CAPTURE_AGE = dt.timedelta(days=30)
MAX_CAPTURE_AHEAD = dt.timedelta(days=1)


def fingerprint(payload: dict) -> str:
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _require_field_staff(user: User) -> None:
    access.visits.require_field_staff(user)


def _check_capture_time(captured_at: dt.datetime, now: dt.datetime, field: str = "captured_at") -> None:
    if captured_at < now - MAX_CAPTURE_AGE:
        raise Invalid("定位时间超过30天，无法补传", field=field)
    if captured_at > now + MAX_CAPTURE_AHEAD:
        raise Invalid("定位时间晚于当前时间一天以上，请校准手机时间", field=field)


def _single_statement():
    """A savepoint when called inside a transaction, so a unique-index collision
    does not abort the caller's work; nothing otherwise. A lone INSERT is atomic
    by itself, and BEGIN/COMMIT around it cost PostgreSQL two more round trips
    on the busiest write we have."""
    return transaction.atomic() if transaction.get_connection().in_atomic_block else contextlib.nullcontext()


def _replay_checkin(existing: Visit, *, staff: User, digest: str) -> tuple[Visit, bool]:
    if existing.staff_id != staff.id or existing.checkin_fingerprint != digest:
        raise Conflict("该签到编号已用于另一条不同的签到记录", code="client_id_reused", field="client_id")
    return existing, False


def visit_check_in(
    *,
    staff: User,
    client_id: UUID,
    enterprise_id: int,
    lat: float,
    lng: float,
    accuracy_m: float | None,
    speed: float | None,
    heading: float | None,
    captured_at: dt.datetime,
    queued: bool,
    ip: str | None,
    digest: str,
    received_at: dt.datetime | None = None,
) -> tuple[Visit, bool]:
    """Record a check-in; returns (visit, created)."""
    _require_field_staff(staff)
    now = received_at or timezone.now()
    try:
        _check_capture_time(captured_at, now)
    except Invalid:
        # A check-in accepted 29 days ago and retried today is still a replay.
        existing = Visit.objects.select_related("enterprise").filter(client_id=client_id).first()
        if existing is None:
            raise
        return _replay_checkin(existing, staff=staff, digest=digest)
    key = geoflags.point_key(lat, lng)
    context = position_context(
        staff_id=staff.id, at=captured_at, key=key, enterprise_id=enterprise_id, client_id=client_id
    )
    if context.replay_of is not None:
        existing = Visit.objects.select_related("enterprise").get(id=context.replay_of)
        return _replay_checkin(existing, staff=staff, digest=digest)
    if context.enterprise is None:
        raise Invalid("企业不存在", field="enterprise_id")
    ent_lat, ent_lng, geofence_m, ent_name = context.enterprise
    if ent_lat is None or ent_lng is None:
        # A pending entry from a company's own claim (backend/join): no location to check against yet.
        raise Invalid("该企业为待核实登记，尚无位置，请先补全企业位置后再签到", field="enterprise_id")

    distance, inside, flags = geoflags.checkin_flags(
        fix=geoflags.Fix(lat=lat, lng=lng, accuracy_m=accuracy_m, at=captured_at),
        enterprise_lat=ent_lat,
        enterprise_lng=ent_lng,
        radius_m=geofence_m or DEFAULT_GEOFENCE_M,
        received_at=now,
        previous=context.previous,
        next_=context.next,
        coordinates_seen_elsewhere=context.coordinates_seen_elsewhere,
        is_workday=is_workday_or_weekday(timezone.localtime(captured_at).date()),
        local_tz=timezone.get_current_timezone(),
    )
    try:
        with _single_statement():
            visit = Visit.objects.create(
                client_id=client_id,
                staff=staff,
                enterprise_id=enterprise_id,
                checkin_at=captured_at,
                checkin_received_at=now,
                checkin_lat=lat,
                checkin_lng=lng,
                checkin_accuracy_m=accuracy_m,
                checkin_speed=speed,
                checkin_heading=heading,
                checkin_ip=ip,
                queued=queued,
                distance_m=round(distance, 1),
                within_geofence=inside,
                checkin_point_key=key,
                checkin_fingerprint=digest,
                flags=flags,
            )
    except IntegrityError:
        # Lost a race with an identical request: the unique index chose the winner.
        existing = Visit.objects.filter(client_id=client_id).first()
        if existing is None:
            raise
        return _replay_checkin(existing, staff=staff, digest=digest)
    visit.enterprise = _partial_enterprise(
        id=enterprise_id, name=ent_name, lat=ent_lat, lng=ent_lng, geofence_m=geofence_m
    )
    return visit, True


def _partial_enterprise(**known) -> Enterprise:
    """The enterprise as far as the check-in read it; other fields load on access."""
    names = [f.attname for f in Enterprise._meta.concrete_fields if f.attname in known]
    return Enterprise.from_db(DEFAULT_DB_ALIAS, names, [known[n] for n in names])


def _replay_checkout(visit: Visit, *, client_id: UUID, digest: str) -> tuple[Visit, bool]:
    if visit.checkout_client_id == client_id and visit.checkout_fingerprint == digest:
        return visit, False
    if visit.checkout_client_id == client_id:
        raise Conflict("该签退编号已用于另一条不同的签退记录", code="client_id_reused", field="client_id")
    raise Conflict("该走访已经签退", code="already_checked_out")


def visit_check_out(
    *,
    staff: User,
    visit_ref: str,
    client_id: UUID,
    lat: float,
    lng: float,
    accuracy_m: float | None,
    captured_at: dt.datetime,
    purpose: str,
    people_met: str,
    summary: str,
    demands: list[dict],
    digest: str,
    received_at: dt.datetime | None = None,
) -> tuple[Visit, bool]:
    _require_field_staff(staff)
    visit = own_visit_get(staff=staff, visit_ref=visit_ref)
    if visit.checkout_client_id is not None:
        return _replay_checkout(visit, client_id=client_id, digest=digest)
    now = received_at or timezone.now()
    _check_capture_time(captured_at, now)
    if captured_at < visit.checkin_at:
        raise Invalid("签退时间早于签到时间", field="captured_at")

    key = geoflags.point_key(lat, lng)
    context = position_context(
        staff_id=staff.id, at=captured_at, key=key, enterprise_id=visit.enterprise_id, exclude_visit=visit.id
    )
    previous, next_ = context.previous, context.next
    # The visit's own check-in is the nearest earlier point unless another sits between.
    checkin_fix = geoflags.Fix(
        lat=visit.checkin_lat, lng=visit.checkin_lng, accuracy_m=visit.checkin_accuracy_m, at=visit.checkin_at
    )
    if previous is None or previous.at < checkin_fix.at:
        previous = checkin_fix
    flags = geoflags.checkout_flags(
        fix=geoflags.Fix(lat=lat, lng=lng, accuracy_m=accuracy_m, at=captured_at),
        checkin_at=visit.checkin_at,
        received_at=now,
        previous=previous,
        next_=next_,
        coordinates_seen_elsewhere=context.coordinates_seen_elsewhere,
        local_tz=timezone.get_current_timezone(),
    )
    checkout_distance = round(distance_m(lat, lng, visit.enterprise.lat, visit.enterprise.lng), 1)
    try:
        with transaction.atomic():
            # Conditional update: of two racing check-outs exactly one changes the row.
            updated = Visit.objects.filter(id=visit.id, checkout_client_id__isnull=True).update(
                checkout_client_id=client_id,
                checkout_at=captured_at,
                checkout_received_at=now,
                checkout_lat=lat,
                checkout_lng=lng,
                checkout_accuracy_m=accuracy_m,
                checkout_distance_m=checkout_distance,
                checkout_point_key=key,
                checkout_fingerprint=digest,
                checkout_flags=flags,
                purpose=purpose,
                people_met=people_met,
                summary=summary,
                rating_token=secrets.token_urlsafe(16),
            )
            if updated:
                visit_demands_record(visit=visit, demands=demands)
    except IntegrityError:
        # The checkout client_id is already another visit's.
        raise Conflict("该签退编号已用于另一条走访", code="client_id_reused", field="client_id") from None
    visit.refresh_from_db()
    if not updated:
        return _replay_checkout(visit, client_id=client_id, digest=digest)
    return visit, True


def visit_rate(*, visit: Visit, standing: str, rater: User | None, stars: int, comment: str) -> Visit:
    """One counted rating per visit, from a user of the visited enterprise; before
    it, at most one uncounted one from someone not logged in (selectors.rating_standing)."""
    now = timezone.now()
    if standing == "verified":
        updated = Visit.objects.filter(id=visit.id, rating__isnull=True).update(
            rating=stars, rating_comment=comment, rated_at=now, rated_by=rater
        )
    elif standing == "unverified":
        updated = Visit.objects.filter(id=visit.id, rating__isnull=True, unverified_rating__isnull=True).update(
            unverified_rating=stars, unverified_comment=comment, unverified_rated_at=now
        )
    else:
        raise Forbidden("不能评价这次走访", code="rating_refused")
    visit.refresh_from_db()
    if not updated:
        if visit.rating is None:
            raise Conflict("已收到一条未登录的评价；企业用户登录后评价才计入考核", code="already_rated_unverified")
        raise Conflict("该次走访已经评价过了，感谢您的反馈", code="already_rated")
    return visit


def rating_url(*, request_base: str, visit: Visit) -> str:
    return f"{request_base.rstrip('/')}/#/rate/{visit.rating_token}"



def _flag_of(visit: Visit, flag: str) -> str:
    if flag not in set(visit.flags) | set(visit.checkout_flags):
        raise Invalid("该走访没有这个标记", field="flag")
    return flag


def flag_review_set(*, reviewer: User, visit_id: int, flag: str, status: str, comment: str) -> FlagReview:
    """A manager's verdict on a flag of a team member's visit (never their own)."""
    from .selectors import visits_visible_to

    # Who may see the visit first: another team's visit (or, to a staff member,
    # a colleague's) must look exactly like one that does not exist (404), or ids
    # could be enumerated by the 403/404 difference.
    visit = visits_visible_to(user=reviewer).filter(id=visit_id).first()
    if visit is None:
        raise NotFound("走访记录不存在或无权查看")
    access.visits.require_flag_reviewer(reviewer=reviewer, visit=visit)
    _flag_of(visit, flag)
    review, _ = FlagReview.objects.update_or_create(
        visit=visit,
        flag=flag,
        defaults={"status": status, "comment": comment, "reviewer": reviewer, "reviewed_at": timezone.now()},
    )
    return review


def flag_explain(*, staff: User, visit_id: int, flag: str, explanation: str) -> FlagReview:
    visit = own_visit_get(staff=staff, visit_ref=str(visit_id))
    _flag_of(visit, flag)
    review, _ = FlagReview.objects.update_or_create(
        visit=visit, flag=flag, defaults={"explanation": explanation, "explained_at": timezone.now()}
    )
    return review


COARSE_DECIMALS = 3  # 0.001° ≈ 111 m north–south, ≈ 95 m east–west at Shanghai's latitude


def locations_coarsen(*, now: dt.datetime | None = None) -> int:
    """Round check-in/out positions older than the retention period to ~100 m.

    Enough for statistics and trends; no longer a record of where a person stood.
    Idempotent: coarsened visits are skipped.
    """
    from django.conf import settings

    from .models import VisitPhoto

    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.LOCATION_RETENTION_DAYS)
    done = 0
    old = Visit.objects.filter(checkin_at__lt=cutoff, coarsened_at__isnull=True).order_by("id")
    while batch := list(old.values_list("id", flat=True)[:1000]):
        with transaction.atomic():
            for visit in Visit.objects.select_for_update().filter(id__in=batch):
                visit.checkin_lat = round(visit.checkin_lat, COARSE_DECIMALS)
                visit.checkin_lng = round(visit.checkin_lng, COARSE_DECIMALS)
                if visit.checkout_lat is not None:
                    visit.checkout_lat = round(visit.checkout_lat, COARSE_DECIMALS)
                    visit.checkout_lng = round(visit.checkout_lng, COARSE_DECIMALS)
                # Rounded points would all "repeat" each other: they no longer identify a fix.
                visit.checkin_point_key = visit.checkout_point_key = ""
                visit.coarsened_at = now
                visit.save(
                    update_fields=[
                        "checkin_lat", "checkin_lng", "checkout_lat", "checkout_lng",
                        "checkin_point_key", "checkout_point_key", "coarsened_at",
                    ]
                )
            for photo in VisitPhoto.objects.filter(visit_id__in=batch, exif_lat__isnull=False):
                photo.exif_lat = round(photo.exif_lat, COARSE_DECIMALS)
                photo.exif_lng = round(photo.exif_lng, COARSE_DECIMALS)
                photo.save(update_fields=["exif_lat", "exif_lng"])
        done += len(batch)
    return done
