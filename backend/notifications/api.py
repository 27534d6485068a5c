from django.http import HttpRequest
from ninja import Query, Router

from backend.errors import Invalid

from . import selectors, services
from .schemas import MarkedOut, NoticeListOut, NoticeListQuery, NoticeOut

router = Router(tags=["notifications"])


@router.get("", response=NoticeListOut, summary="My in-app notices, newest first, with the unread count")
def list_notices(request: HttpRequest, params: Query[NoticeListQuery]):
    # ninja hands a Query schema only the names it knows, so extra="forbid" cannot see the rest.
    unknown = sorted(set(request.GET) - set(NoticeListQuery.model_fields))
    if unknown:
        raise Invalid("不允许提交此字段", field=unknown[0])
    qs = selectors.notice_list(user=request.user, unread_only=params.unread_only)
    return {
        "count": qs.count(),
        "unread": selectors.unread_count(user=request.user),
        "items": list(qs[params.offset : params.offset + params.limit]),
    }


@router.post("/{id:notice_id}/read", response=NoticeOut, summary="Mark one notice read")
def mark_read(request: HttpRequest, notice_id: int):
    return services.notice_mark_read(user=request.user, notice_id=notice_id)


@router.post("/read-all", response=MarkedOut, summary="Mark all my notices read")
def mark_all_read(request: HttpRequest):
    return {"marked": services.notices_mark_all_read(user=request.user)}
