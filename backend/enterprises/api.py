from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from backend.pagination import Pagination
from pydantic import ConfigDict, Field

from backend.errors import Forbidden

from . import selectors, services
from .nearby import enterprises_nearby
from .schemas import EnterpriseIn, EnterpriseOut, NearbyEnterpriseOut, NearbyQuery

router = Router(tags=["enterprises"])


class EnterpriseListQuery(Schema):
    model_config = ConfigDict(extra="forbid")

    q: str = Field(default="", max_length=100, description="名称、拼音首字母或统一社会信用代码")


@router.get("", response=list[EnterpriseOut])
@paginate(Pagination)
def list_enterprises(request: HttpRequest, filters: Query[EnterpriseListQuery]):
    return selectors.enterprise_list(user=request.user, q=filters.q)


@router.get("/nearby", response=list[NearbyEnterpriseOut], summary="Enterprises nearest the phone")
def nearby(request: HttpRequest, params: Query[NearbyQuery]):
    return enterprises_nearby(user=request.user, lat=params.lat, lng=params.lng, limit=params.limit, q=params.q)


@router.post("", response={201: EnterpriseOut})
def create_enterprise(request: HttpRequest, payload: EnterpriseIn):
    if not request.user.is_admin:
        raise Forbidden("只有管理员可以登记企业")
    return Status(201, services.enterprise_create(**payload.dict()))


@router.get("/{id:enterprise_id}", response=EnterpriseOut)
def get_enterprise(request: HttpRequest, enterprise_id: int):
    return selectors.enterprise_get(user=request.user, enterprise_id=enterprise_id)
