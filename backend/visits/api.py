from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile
from uuid import UUID

from backend.accounts.throttle import device_known
from backend.errors import Forbidden, NotFound, RateLimited
from backend.kernel.clientip import client_ip
from backend.kernel.paging import PageQuery, page
from backend.ratelimit import Limit

from . import selectors, services
from .location_log import location_access_log
from .models import LocationAccess
from .trails import trail_get
from .photos import visit_photo_add
from .qr import qr_svg
from .schemas import (
    CheckinIn,
    CheckinOut,
    CheckoutIn,
    CheckoutOut,
    AccessLogPageOut,
    FlagExplainIn,
    FlagName,
    FlagReviewIn,
    FlagReviewOut,
    TrailOut,
    TrailQuery,
    VisitPhotoOut,
    RatingIn,
    RatingPageOut,
    RatingToken,
    VisitListQuery,
    VisitOut,
    VisitPageOut,
    VisitRef,
)

router = Router(tags=["visits"])
ratings_router = Router(tags=["ratings"])
trails_router = Router(tags=["trails"])


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _photo_out(photo) -> dict:
    base = f"/api/visits/{photo.visit_id}/photos/{photo.id}"
    return {
        "id": photo.id,
        "client_id": photo.client_id,
        "url": base,
        "thumbnail_url": base + "?thumb=1",
        "width": photo.width,
        "height": photo.height,
        "exif_distance_m": photo.exif_distance_m,
    }


def _review_out(review) -> dict:
    return {
        "visit_id": review.visit_id,
        "flag": review.flag,
        "status": review.status,
        "comment": review.comment,
        "reviewer_name": review.reviewer.shown_name if review.reviewer_id else None,
        "reviewed_at": review.reviewed_at,
        "explanation": review.explanation,
        "explained_at": review.explained_at,
    }


def _visit_out(visit) -> dict:
    return {
        **{f: getattr(visit, f) for f in VisitOut.model_fields if hasattr(visit, f)},
        "flag_reviews": [_review_out(r) for r in visit.flag_reviews.all()],
        "staff_name": visit.staff.shown_name,
        "enterprise_name": visit.enterprise.name,
        "duration_s": visit.duration_s,
        # The check-out form's shape (category, text): the offline outbox and the visit screen read it.
        "demands": [{"id": d.id, "category": d.category, "text": d.description} for d in visit.demands.all()],
        "photos": [_photo_out(p) for p in visit.photos.all()],
    }


def _checkin_out(visit) -> dict:
    return {
        "id": visit.id,
        "client_id": visit.client_id,
        "enterprise_id": visit.enterprise_id,
        "enterprise_name": visit.enterprise.name,
        "checkin_at": visit.checkin_at,
        "distance_m": visit.distance_m,
        "within_geofence": visit.within_geofence,
        "flags": visit.flags,
    }


@router.post("/checkin", response={200: CheckinOut, 201: CheckinOut}, summary="GPS check-in (idempotent on client_id)")
def checkin(request: HttpRequest, payload: CheckinIn):
    visit, created = services.visit_check_in(
        staff=request.user,
        ip=client_ip(request),
        # `queued` is left out: a phone that learns it is offline only after a send
        # failed may retry with queued=true, and that is still the same check-in.
        digest=services.fingerprint(payload.model_dump(mode="json", exclude={"queued"})),
        **payload.model_dump(),
    )
    return Status(201 if created else 200, _checkin_out(visit))


@router.post("/{visit_ref}/checkout", response=CheckoutOut, summary="Check-out; visit_ref is the id or the check-in client_id")
def checkout(request: HttpRequest, visit_ref: VisitRef, payload: CheckoutIn):
    data = payload.model_dump()
    visit, _ = services.visit_check_out(
        staff=request.user,
        visit_ref=visit_ref,
        digest=services.fingerprint(payload.model_dump(mode="json")),
        **data,
    )
    return {
        "id": visit.id,
        "client_id": visit.checkout_client_id,
        "checkout_at": visit.checkout_at,
        "duration_s": visit.duration_s,
        "checkout_distance_m": visit.checkout_distance_m,
        "flags": visit.checkout_flags,
        "rating_url": services.rating_url(request_base=_base_url(request), visit=visit),
    }


@router.post("/{visit_ref}/photos", response={200: VisitPhotoOut, 201: VisitPhotoOut}, summary="Attach a photo (JPEG/PNG/WebP, ≤ 10 MB)")
def add_photo(request: HttpRequest, visit_ref: VisitRef, client_id: Form[UUID], file: File[UploadedFile]):
    photo, created = visit_photo_add(staff=request.user, visit_ref=visit_ref, client_id=client_id, data=file.read())
    return Status(201 if created else 200, _photo_out(photo))


@router.get("", response=VisitPageOut)
def list_visits(request: HttpRequest, params: Query[VisitListQuery]):
    filters = params.model_dump(exclude={"limit", "offset"})
    result = page(selectors.visit_list(user=request.user, **filters), limit=params.limit, offset=params.offset)
    # Only the page actually returned is access-logged (and shaped).
    _log_reads(request, result["items"], LocationAccess.What.VISIT_LIST)
    result["items"] = [_visit_out(v) for v in result["items"]]
    return result


def _log_reads(request: HttpRequest, visits, what: str, detail: str = "") -> None:
    location_access_log(
        viewer=request.user, subject_ids=[v.staff_id for v in visits], what=what, detail=detail, ip=client_ip(request)
    )


@router.get("/{id:visit_id}", response=VisitOut)
def get_visit(request: HttpRequest, visit_id: int):
    visit = selectors.visit_get(user=request.user, visit_id=visit_id)
    _log_reads(request, [visit], LocationAccess.What.VISIT, detail=str(visit.id))
    return _visit_out(visit)


@router.post("/{id:visit_id}/flags/{flag}/review", response=FlagReviewOut, summary="Manager's verdict on a flag")
def review_flag(request: HttpRequest, visit_id: int, flag: FlagName, payload: FlagReviewIn):
    review = services.flag_review_set(reviewer=request.user, visit_id=visit_id, flag=flag, **payload.model_dump())
    return _review_out(review)


@router.post("/{id:visit_id}/flags/{flag}/explain", response=FlagReviewOut, summary="Staff member explains a flag")
def explain_flag(request: HttpRequest, visit_id: int, flag: FlagName, payload: FlagExplainIn):
    review = services.flag_explain(staff=request.user, visit_id=visit_id, flag=flag, **payload.model_dump())
    return _review_out(review)


@router.get("/access-log", response=AccessLogPageOut, summary="Who has looked at my whereabouts")
def my_access_log(request: HttpRequest, params: Query[PageQuery]):
    def shape(row) -> dict:
        return {
            "viewer_name": row.viewer.shown_name,
            "viewer_role": row.viewer.get_role_display(),
            "what": row.what,
            "what_label": row.get_what_display(),
            "detail": row.detail,
            "at": row.at,
        }

    return page(selectors.access_log_for(user=request.user), limit=params.limit, offset=params.offset, shape=shape)


@trails_router.get("", response=TrailOut, summary="One staff member's check-ins and check-outs for a day, in order")
def trail(request: HttpRequest, params: Query[TrailQuery]):
    return trail_get(viewer=request.user, staff_id=params.staff_id, day=params.date, ip=client_ip(request))


@router.get("/{id:visit_id}/photos/{id:photo_id}", response={200: None}, summary="Photo file (thumb=1 for the thumbnail)")
def get_photo(request: HttpRequest, visit_id: int, photo_id: int, thumb: bool = False):
    visit = selectors.visit_get(user=request.user, visit_id=visit_id)
    photo = visit.photos.filter(id=photo_id).first()
    if photo is None:
        raise NotFound("照片不存在")
    field = photo.thumbnail if thumb else photo.image
    response = FileResponse(field.open("rb"), content_type="image/jpeg" if thumb else photo.content_type)
    response["Cache-Control"] = "private, max-age=86400"
    return response


@router.get("/{id:visit_id}/rating-qr.svg", response={200: None}, summary="QR code of the visit's rating link")
def rating_qr(request: HttpRequest, visit_id: int):
    visit = selectors.visit_get(user=request.user, visit_id=visit_id)
    if visit.rating_token is None:
        raise NotFound("签退后才能生成评价二维码")
    url = services.rating_url(request_base=_base_url(request), visit=visit)
    return HttpResponse(qr_svg(url), content_type="image/svg+xml")


def _rating_standing(request: HttpRequest, visit) -> tuple[str, str | None]:
    return selectors.rating_standing(
        visit=visit, user=request.user, official_device=device_known(request, visit.staff.get_username())
    )


def _rating_page(request: HttpRequest, visit) -> dict:
    standing, refusal = _rating_standing(request, visit)
    return {
        "enterprise_name": visit.enterprise.name,
        "staff_name": visit.staff.shown_name,
        "visit_date": visit.checkin_at.date(),
        "rated": visit.rating is not None,
        "rating": visit.rating,
        "rating_comment": visit.rating_comment,
        "unverified_rated": visit.unverified_rating is not None,
        "standing": standing,
        "refusal": refusal,
    }


def _rating_limit(request: HttpRequest) -> None:
    # Tokens are unguessable, but the endpoint is public: keep guessing expensive.
    limit = Limit(f"rating:ip:{client_ip(request) or 'unknown'}", 60, 3600)
    if limit.take() is None:
        raise RateLimited("操作过于频繁，请稍后再试", retry_after=max(1, limit.exceeded()))


@ratings_router.get("/{token}", auth=None, response=RatingPageOut, summary="What the enterprise is asked to rate")
def rating_page(request: HttpRequest, token: RatingToken):
    _rating_limit(request)
    return _rating_page(request, selectors.visit_by_rating_token(token=token))


@ratings_router.post(
    "/{token}",
    auth=None,
    response={201: RatingPageOut},
    summary="Rate a visit (1–5 stars): counted when sent by a logged-in user of the visited enterprise",
)
def rate(request: HttpRequest, token: RatingToken, payload: RatingIn):
    _rating_limit(request)
    visit = selectors.visit_by_rating_token(token=token)
    standing, refusal = _rating_standing(request, visit)
    if refusal:
        raise Forbidden(refusal, code="rating_refused")
    rater = request.user if standing == "verified" else None
    visit = services.visit_rate(visit=visit, standing=standing, rater=rater, stars=payload.stars, comment=payload.comment)
    return Status(201, _rating_page(request, visit))
