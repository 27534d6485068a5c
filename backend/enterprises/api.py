from django.http import HttpRequest
from ninja import Query, Router, Status

from backend import access
from backend.kernel.paging import page

from . import selectors, services
from .nearby import enterprises_nearby
from .schemas import EnterpriseIn, EnterpriseListQuery, EnterpriseOut, EnterprisePageOut, NearbyPageOut, NearbyQuery

router = Router(tags=["enterprises"])


@router.get("", response=EnterprisePageOut)
def list_enterprises(request: HttpRequest, params: Query[EnterpriseListQuery]):
    qs = selectors.enterprise_list(user=request.user, q=params.q)
    return page(qs, limit=params.limit, offset=params.offset)


@router.get("/nearby", response=NearbyPageOut, summary="Enterprises nearest the phone")
def nearby(request: HttpRequest, params: Query[NearbyQuery]):
    items = enterprises_nearby(user=request.user, lat=params.lat, lng=params.lng, limit=params.limit, q=params.q)
    return {"items": items, "count": len(items), "limit": params.limit, "offset": 0}


@router.post("", response={201: EnterpriseOut})
def create_enterprise(request: HttpRequest, payload: EnterpriseIn):
    access.core.require_admin(request.user, "只有管理员可以登记企业")
    return Status(201, services.enterprise_create(**payload.dict()))


@router.get("/{id:enterprise_id}", response=EnterpriseOut)
def get_enterprise(request: HttpRequest, enterprise_id: int):
    return selectors.enterprise_get(user=request.user, enterprise_id=enterprise_id)
