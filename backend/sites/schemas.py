from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field, ValidationInfo, field_validator

from backend.kernel.inputs import NOT_NULL, CleanText, Day, Id, InputSchema, RequiredText
from backend.kernel.paging import MAX_OFFSET, Page, PageQuery
from geo.bbox import BBox

from .filters import SORTS, SiteArea, SiteFilters
from .models import Inquiry, Site

# [0-9], not \d: pydantic's patterns are Unicode-aware, and \d takes "１３８" (full-width) too.
MOBILE_PATTERN = r"^1[3-9][0-9]{9}$"
PHONE_PATTERN = r"^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?)$"
MAX_POLYGON_VERTICES = 2000
Sort = Literal["id", "distance", "rent", "area", "updated"]
assert set(SORTS) == set(Sort.__args__)


def _split(value: str | None, allowed: list[str], what: str) -> str | None:
    if value is None or not value.strip():
        return None
    items = [v.strip() for v in value.split(",") if v.strip()]
    bad = [v for v in items if v not in allowed]
    if bad:
        raise ValueError(f"{what}不是可选的值：{'、'.join(bad)}（可选：{'、'.join(allowed)}）")
    return ",".join(dict.fromkeys(items))


def parse_near(value: str | None) -> tuple[float, float] | None:
    if value is None or not value.strip():
        return None
    parts = value.split(",")
    try:
        lat, lng = (float(p) for p in parts)
    except ValueError:
        raise ValueError("near 应为“纬度,经度”，例如 31.12,121.42") from None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValueError("near 的纬度应在 -90 到 90 之间、经度在 -180 到 180 之间")
    return lat, lng


def parse_polygon(value: dict[str, Any]):
    """A GeoJSON Polygon/MultiPolygon (or a Feature holding one) as a valid shapely geometry."""
    import shapely
    from shapely.geometry import shape

    geometry = value.get("geometry") if value.get("type") == "Feature" else value
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValueError("应为 GeoJSON 的 Polygon 或 MultiPolygon")
    try:
        polygon = shape(geometry)
    except Exception:  # shapely raises several types for malformed coordinates
        raise ValueError("多边形坐标格式有误") from None
    if shapely.get_num_coordinates(polygon) > MAX_POLYGON_VERTICES:
        raise ValueError(f"多边形顶点过多（最多{MAX_POLYGON_VERTICES}个）")
    min_lng, min_lat, max_lng, max_lat = polygon.bounds
    if not (-180 <= min_lng <= max_lng <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ValueError("多边形坐标超出经纬度范围（应为 WGS-84 [经度, 纬度]）")
    if not polygon.is_valid:
        raise ValueError("多边形无效（边线自相交），请重新绘制")
    if polygon.is_empty or polygon.area == 0:
        raise ValueError("多边形为空")
    return polygon


class SiteFilterFields(InputSchema):
    type: CleanText | None = Field(default=None, max_length=200, description="类型，逗号分隔多个：factory,office,warehouse,shop,land,other")
    status: CleanText | None = Field(default=None, max_length=200, description="状态，逗号分隔多个：vacant,reserved,leased")
    area_min: float | None = Field(default=None, ge=0, le=10_000_000, description="面积下限 m²")
    area_max: float | None = Field(default=None, ge=0, le=10_000_000, description="面积上限 m²")
    rent_max: float | None = Field(default=None, ge=0, le=10_000, description="租金上限 元/m²/天")
    q: CleanText = Field(default="", max_length=50, description="名称、地址、村或资源持有单位中的文字")

    @field_validator("type")
    @classmethod
    def _type(cls, value):
        return _split(value, Site.Type.values, "类型")

    @field_validator("status")
    @classmethod
    def _status(cls, value):
        return _split(value, Site.Status.values, "状态")

    @field_validator("area_max")
    @classmethod
    def _area_range(cls, value, info: ValidationInfo):
        low = info.data.get("area_min")
        if value is not None and low is not None and value < low:
            raise ValueError("面积上限不能小于下限")
        return value

    def filters(self) -> SiteFilters:
        return SiteFilters(
            types=tuple(self.type.split(",")) if self.type else (),
            statuses=tuple(self.status.split(",")) if self.status else (),
            area_min=self.area_min,
            area_max=self.area_max,
            rent_max=self.rent_max,
            q=self.q,
        )


class _Paging(InputSchema):
    near: CleanText | None = Field(default=None, max_length=60, description="“纬度,经度”：返回 distance_m，可按距离排序")
    sort: Sort = Field(default="id", description="id（默认）、distance（需 near）、rent（低→高）、area（小→大）、updated（新→旧）")
    limit: int = Field(default=200, ge=1, le=500)
    offset: int = Field(default=0, ge=0, le=10_000)

    @field_validator("near")
    @classmethod
    def _near(cls, value):
        parse_near(value)
        return value

    @field_validator("sort")
    @classmethod
    def _sort(cls, value, info: ValidationInfo):
        if value == "distance" and not info.data.get("near"):
            raise ValueError("按距离排序需要提供 near=纬度,经度")
        return value

    def near_point(self) -> tuple[float, float] | None:
        return parse_near(self.near)


class SiteSearchQuery(SiteFilterFields, _Paging):
    bbox: CleanText | None = Field(default=None, max_length=200, description="地图视野：最小经度,最小纬度,最大经度,最大纬度（WGS-84）")

    @field_validator("bbox")
    @classmethod
    def _bbox(cls, value):
        if value is None or not value.strip():
            return None
        BBox.parse(value)  # ValueError with a Chinese message → 422 on "bbox"
        return value

    def area(self) -> SiteArea:
        return SiteArea(bbox=BBox.parse(self.bbox) if self.bbox else None)


class SiteAreaSearchIn(SiteFilterFields, _Paging):
    polygon: dict[str, Any] = Field(description="GeoJSON Polygon/MultiPolygon（WGS-84 [经度, 纬度]），或含它的 Feature")

    @field_validator("polygon")
    @classmethod
    def _polygon(cls, value):
        parse_polygon(value)
        return value

    def area(self) -> SiteArea:
        return SiteArea.of_polygon(parse_polygon(self.polygon))


class ClusterQuery(SiteFilterFields):
    bbox: CleanText = Field(max_length=200, description="地图视野：最小经度,最小纬度,最大经度,最大纬度")
    zoom: int = Field(ge=0, le=22, description="地图缩放级别（Web 墨卡托）")

    @field_validator("bbox")
    @classmethod
    def _bbox(cls, value):
        BBox.parse(value)
        return value


# --- output -----------------------------------------------------------------------


class PointOut(Schema):
    type: Literal["Point"]
    coordinates: list[float]


class SiteFeaturePropsOut(Schema):
    id: int
    name: str
    type: str
    type_label: str
    status: str
    status_label: str
    area_m2: float | None
    rent_per_m2_day: float | None
    village: str
    owner_name: str
    awaiting_confirmation: bool = Field(description="超过90天未经资源持有单位确认")
    distance_m: float | None = Field(description="到 near 的距离（米），未提供 near 时为 null")


class SiteFeatureOut(Schema):
    type: Literal["Feature"]
    id: int
    geometry: PointOut
    properties: SiteFeaturePropsOut


class SitePageOut(Page):
    """A page of search results; the items are GeoJSON Features (wrap them as
    {"type": "FeatureCollection", "features": items} for a GIS)."""

    items: list[SiteFeatureOut]
    town_count: int = Field(description="同样条件在全镇（不限地图范围或画出的范围）的总数")


class ClusterOut(Schema):
    lng: float
    lat: float
    count: int
    bbox: list[float] = Field(description="成员范围 [最小经度,最小纬度,最大经度,最大纬度]：点击后缩放到此")
    site_id: int | None = Field(description="只有一个场地时为其 id")


class ClustersOut(Schema):
    zoom: int
    cell_deg: float
    total: int
    clusters: list[ClusterOut]


class ChoiceOut(Schema):
    value: str
    label: str


class OptionsOut(Schema):
    types: list[ChoiceOut]
    statuses: list[ChoiceOut]
    rent_units: list[ChoiceOut]
    sorts: list[ChoiceOut]


class SitePhotoOut(Schema):
    id: int
    url: str
    thumb_url: str
    width: int
    height: int


class OwnerOut(Schema):
    id: int
    name: str
    kind: str


class NavigationOut(Schema):
    wgs84: list[float]
    gcj02: list[float] = Field(description="高德、腾讯使用")
    bd09: list[float] = Field(description="百度使用")
    amap: str
    baidu: str
    tencent: str


class SiteDetailOut(Schema):
    id: int
    external_id: str | None
    name: str
    type: str
    type_label: str
    status: str
    status_label: str
    address: str
    village: str
    lat: float
    lng: float
    bbox: list[float]
    footprint: dict | None
    area_m2: float | None
    building_area_m2: float | None
    land_area_m2: float | None
    land_area_mu: float | None
    floors: int | None
    floor_height_m: float | None
    floor_load_kn_m2: float | None
    power_kva: float | None
    crane: bool | None
    fire_rating: str
    land_use: str
    property_rights: str
    rent_value: float | None
    rent_unit: str
    rent_unit_label: str
    rent_per_m2_day: float | None
    available_from: date | None
    description: str
    last_confirmed: date | None
    awaiting_confirmation: bool
    owner: OwnerOut
    contact_surname: str = Field(description="联系人的姓（如“胡”）；号码在查看前不以任何形式（包括部分遮盖）返回")
    has_contact_phone: bool = Field(description="是否有可查看的联系电话；完整号码需 POST /api/sites/{id}/contact")
    contact_name: str | None = Field(description="仅资源持有单位本单位和管理员的管理视图返回，其他情况为 null")
    contact_phone: str | None = Field(description="同上；他人查看完整号码需 POST /api/sites/{id}/contact")
    photos: list[SitePhotoOut]
    navigation: NavigationOut
    updated_at: datetime
    can_manage: bool


class ContactOut(Schema):
    site_id: int
    owner_name: str
    contact_name: str
    contact_phone: str
    tel_url: str | None


class SiteUpdateIn(InputSchema):
    """PATCH: a field left out keeps its value; null clears a field that may be
    empty, and is refused (422) for one a listing cannot do without."""

    name: Annotated[RequiredText, NOT_NULL] = Field(default=None, min_length=2, max_length=200)
    status: Annotated[Literal["vacant", "reserved", "leased"], NOT_NULL] = None
    address: CleanText | None = Field(default=None, max_length=255)
    # Areas are at least 1 m²: a yearly rent is divided by the area, and 5e-324 m²
    # made the rent per m² infinite (and the whole map's JSON invalid).
    building_area_m2: float | None = Field(default=None, ge=1, le=10_000_000)
    land_area_m2: float | None = Field(default=None, ge=1, le=100_000_000)
    floors: int | None = Field(default=None, ge=0, le=200)
    floor_height_m: float | None = Field(default=None, ge=1, le=100)
    floor_load_kn_m2: float | None = Field(default=None, ge=0, le=1000)
    power_kva: float | None = Field(default=None, ge=0, le=1_000_000)
    crane: bool | None = None
    fire_rating: CleanText | None = Field(default=None, max_length=20)
    land_use: CleanText | None = Field(default=None, max_length=20)
    property_rights: CleanText | None = Field(default=None, max_length=100)
    # The owner's 我的场地 shows the rent in this same unit (issue 12: typed per month, shown per day).
    rent_value: float | None = Field(default=None, ge=0, le=100_000_000, description="租金数额，单位为 rent_unit")
    rent_unit: Annotated[Literal["yuan_m2_day", "yuan_m2_month", "yuan_year"], NOT_NULL] = Field(
        default=None, description="租金单位：元/m²/天、元/m²/月 或 元/年（整租）；搜索一律折合为元/m²/天"
    )
    available_from: Day | None = None
    contact_name: CleanText | None = Field(default=None, max_length=50)
    contact_mobile: CleanText | None = Field(default=None, max_length=24, pattern=PHONE_PATTERN, description="手机或带区号的固定电话")
    description: CleanText | None = Field(default=None, max_length=2000)


class InquiryIn(InputSchema):
    area_needed: float | None = Field(default=None, ge=1, le=10_000_000, description="需求面积 m²")
    industry: CleanText = Field(default="", max_length=50, description="行业/用途，例如“机械加工”")
    message: RequiredText = Field(min_length=1, max_length=1000)
    phone: CleanText | None = Field(default=None, max_length=11, pattern=MOBILE_PATTERN, description="联系手机；不填则用账号手机号")


class InquiryAnswerIn(InputSchema):
    answer: RequiredText = Field(min_length=1, max_length=1000)
    site_status: Literal["vacant", "reserved", "leased"] | None = Field(default=None, description="同时更新场地状态")


class InquiryListQuery(PageQuery):
    status: Literal["new", "answered"] | None = None
    site_id: Id | None = None


class InquirySiteOut(Schema):
    id: int
    name: str
    owner_name: str


class InquiryOut(Schema):
    id: int
    site: InquirySiteOut
    user_name: str
    enterprise_name: str | None
    area_needed_m2: float | None
    industry: str
    message: str
    phone: str
    status: str
    status_label: str
    answer: str
    answered_at: datetime | None
    created_at: datetime
    can_answer: bool


class InquiryListOut(Page):
    items: list[InquiryOut]


class ManagedSitesQuery(PageQuery):
    status: Literal["vacant", "reserved", "leased"] | None = None
    awaiting: bool | None = Field(default=None, description="只看超过90天未确认的")
    limit: int = Field(default=100, ge=1, le=500)
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET)


class ManagedSitesOut(Page):
    items: list[SiteDetailOut]


class ConfirmOut(Schema):
    id: int
    last_confirmed: date
    awaiting_confirmation: bool


class SavedSearchIn(SiteFilterFields):
    name: RequiredText = Field(min_length=1, max_length=50)
    bbox: CleanText | None = Field(default=None, max_length=200, description="只关注这个范围（可选）")
    polygon: dict[str, Any] | None = Field(default=None, description="或只关注这个多边形（可选）")

    @field_validator("bbox")
    @classmethod
    def _bbox(cls, value):
        if value is None or not value.strip():
            return None
        BBox.parse(value)
        return value

    @field_validator("polygon")
    @classmethod
    def _polygon(cls, value):
        if value is not None:
            parse_polygon(value)
        return value

    def params(self) -> dict:
        """What is stored: the filters plus at most one area, in plain JSON."""
        f = self.filters()
        params: dict[str, Any] = {
            "types": list(f.types),
            "statuses": list(f.statuses),
            "area_min": f.area_min,
            "area_max": f.area_max,
            "rent_max": f.rent_max,
            "q": f.q,
        }
        if self.polygon is not None:
            from shapely.geometry import mapping

            params["polygon"] = mapping(parse_polygon(self.polygon))
            params["polygon"] = {"type": params["polygon"]["type"], "coordinates": _lists(params["polygon"]["coordinates"])}
        elif self.bbox:
            b = BBox.parse(self.bbox)
            params["bbox"] = [b.min_lng, b.min_lat, b.max_lng, b.max_lat]
        return params


def _lists(value):
    return [_lists(v) for v in value] if isinstance(value, tuple | list) else value


class SavedSearchOut(Schema):
    id: int
    name: str
    params: dict
    created_at: datetime


class SavedSearchListOut(Page):
    items: list[SavedSearchOut]


class ImportReportProblemOut(Schema):
    row: int
    field: str
    message: str
    where: str


class ImportReportOut(Schema):
    format: str
    source_crs: str
    layer: str | None
    total: int
    valid: int
    created: int
    updated: int
    skipped: int
    owner_units_created: list[str]
    problems: list[ImportReportProblemOut]
    warnings: list[str]  # points kept with allow_far that lie outside the CRS's area or far from the town
    dry_run: bool
    imported: bool
    alerts_queued: bool = Field(description="saved-search alerts for the new sites are queued; a worker sends them")
    summary: str


INQUIRY_STATUS_LABELS = dict(Inquiry.Status.choices)
