from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from backend import access
from backend.errors import NotFound
from backend.kernel.clientip import client_ip
from backend.kernel.inputs import CleanText
from backend.kernel.jsonout import json_response
from backend.kernel.paging import PageQuery, page
from geo.bbox import BBox

from . import photos, reveals, selectors, services
from .imports import sites_import_upload
from .models import Site, SitePhoto
from .schemas import (
    INQUIRY_STATUS_LABELS,
    ClusterQuery,
    ClustersOut,
    ConfirmOut,
    ContactOut,
    ImportReportOut,
    InquiryAnswerIn,
    InquiryIn,
    InquiryListOut,
    InquiryListQuery,
    InquiryOut,
    ManagedSitesOut,
    ManagedSitesQuery,
    OptionsOut,
    SitePhotoOut,
    SavedSearchIn,
    SavedSearchListOut,
    SavedSearchOut,
    SiteAreaSearchIn,
    SiteDetailOut,
    SitePageOut,
    SiteSearchQuery,
    SiteUpdateIn,
)

router = Router(tags=["sites"])


def _collection(result: dict, *, limit: int, offset: int) -> HttpResponse:
    """The search answer (the list envelope, GeoJSON Features as items), serialised directly.

    ninja would validate each of up to 500 features against SitePageOut on the
    way out: 18 ms of a 26 ms city-wide request. The selector builds exactly
    that shape (a test validates real answers against the schema), so the
    answer skips the second pass; the schema still documents it.
    """
    return json_response(
        {"items": result["features"], "count": result["total"], "limit": limit, "offset": offset, "town_count": result["town_total"]}
    )


@router.get("", auth=None, response=SitePageOut, summary="Search sites in a map view (GeoJSON Features, contacts masked)")
def search(request: HttpRequest, params: Query[SiteSearchQuery]):
    result = selectors.site_search(
        area=params.area(),
        filters=params.filters(),
        sort=params.sort,
        near=params.near_point(),
        limit=params.limit,
        offset=params.offset,
        town_total=True,
    )
    return _collection(result, limit=params.limit, offset=params.offset)


@router.post("/search", auth=None, response=SitePageOut, summary="Search sites inside a drawn polygon")
def search_area(request: HttpRequest, payload: SiteAreaSearchIn):
    result = selectors.site_search(
        area=payload.area(),
        filters=payload.filters(),
        sort=payload.sort,
        near=payload.near_point(),
        limit=payload.limit,
        offset=payload.offset,
        town_total=True,
    )
    return _collection(result, limit=payload.limit, offset=payload.offset)


@router.get("/clusters", auth=None, response=ClustersOut, summary="Site clusters for a low-zoom map view")
def clusters(request: HttpRequest, params: Query[ClusterQuery]):
    result = selectors.site_clusters(bbox=BBox.parse(params.bbox), zoom=params.zoom, filters=params.filters())
    return json_response(result)  # hundreds of clusters: same reason as _collection()


@router.get("/options", auth=None, response=OptionsOut, summary="Choices for the filter sheet and the owner's form, with Chinese labels")
def options(request: HttpRequest):
    def pairs(choices):
        return [{"value": value, "label": label} for value, label in choices]

    return {
        "types": pairs(Site.Type.choices),
        "statuses": pairs(Site.Status.choices),
        "rent_units": pairs(Site.RentUnit.choices),
        "sorts": pairs([("id", "默认"), ("distance", "距离最近"), ("rent", "租金最低"), ("area", "面积最小"), ("updated", "最近更新")]),
    }


@router.get("/mine", response=ManagedSitesOut, summary="Listings of my owner unit (admin: all), full contacts")
def mine(request: HttpRequest, params: Query[ManagedSitesQuery]):
    qs = selectors.sites_managed_by(user=request.user, status=params.status, awaiting=params.awaiting)
    return page(
        qs, limit=params.limit, offset=params.offset,
        shape=lambda site: selectors.site_as_dict(site, user=request.user, full_contact=True),
    )


@router.get("/{id:site_id}", auth=None, response=SiteDetailOut, summary="One site: specs, photos, navigation links")
def detail(request: HttpRequest, site_id: int):
    return selectors.site_detail(user=request.user, site_id=site_id)


@router.patch("/{id:site_id}", response=SiteDetailOut, summary="Owner: update own unit's listing (also confirms it)")
def update(request: HttpRequest, site_id: int, payload: SiteUpdateIn):
    changes = payload.model_dump(exclude_unset=True)
    site = services.site_update(user=request.user, site_id=site_id, changes=changes)
    site = Site.objects.select_related("owner_unit").prefetch_related("photos").get(id=site.id)
    return selectors.site_as_dict(site, user=request.user, full_contact=True)


@router.post("/{id:site_id}/confirm", response=ConfirmOut, summary="Owner: confirm the listing is still current")
def confirm(request: HttpRequest, site_id: int):
    site = services.site_confirm(user=request.user, site_id=site_id)
    return {"id": site.id, "last_confirmed": site.last_confirmed, "awaiting_confirmation": False}


@router.post(
    "/{id:site_id}/contact",
    response=ContactOut,
    summary="Reveal the owner's contact (logged in; limited per user, organisation and network; logged)",
)
def contact(request: HttpRequest, site_id: int):
    return reveals.site_contact_reveal(user=request.user, site_id=site_id, ip=client_ip(request))


def inquiry_out(inquiry, *, user) -> dict:
    return {
        "id": inquiry.id,
        "site": {"id": inquiry.site_id, "name": inquiry.site.name, "owner_name": inquiry.site.owner_unit.name},
        "user_name": inquiry.user.shown_name,
        "enterprise_name": inquiry.enterprise.name if inquiry.enterprise_id else None,
        "area_needed_m2": inquiry.area_needed_m2,
        "industry": inquiry.industry,
        "message": inquiry.message,
        "phone": inquiry.phone,
        "status": inquiry.status,
        "status_label": INQUIRY_STATUS_LABELS.get(inquiry.status, inquiry.status),
        "answer": inquiry.answer,
        "answered_at": inquiry.answered_at,
        "created_at": inquiry.created_at,
        "can_answer": selectors.can_answer(user=user, inquiry=inquiry),
    }


@router.post("/{id:site_id}/inquiries", response={201: InquiryOut}, summary="Send an inquiry to the site's owner unit")
def create_inquiry(request: HttpRequest, site_id: int, payload: InquiryIn):
    inquiry = services.inquiry_create(
        user=request.user,
        site_id=site_id,
        message=payload.message,
        industry=payload.industry,
        area_needed_m2=payload.area_needed,
        phone=payload.phone,
    )
    inquiry = selectors.inquiry_get(user=request.user, inquiry_id=inquiry.id)
    return Status(201, inquiry_out(inquiry, user=request.user))


@router.get("/inquiries", response=InquiryListOut, summary="Inquiries I may see (owner: my unit's; town team: all; others: mine)")
def list_inquiries(request: HttpRequest, params: Query[InquiryListQuery]):
    qs = selectors.inquiry_list(user=request.user, status=params.status, site_id=params.site_id)
    return page(qs, limit=params.limit, offset=params.offset, shape=lambda i: inquiry_out(i, user=request.user))


@router.get("/inquiries/{id:inquiry_id}", response=InquiryOut)
def get_inquiry(request: HttpRequest, inquiry_id: int):
    return inquiry_out(selectors.inquiry_get(user=request.user, inquiry_id=inquiry_id), user=request.user)


@router.post("/inquiries/{id:inquiry_id}/answer", response=InquiryOut, summary="Owner: answer, optionally set the site status")
def answer_inquiry(request: HttpRequest, inquiry_id: int, payload: InquiryAnswerIn):
    inquiry = services.inquiry_answer(
        user=request.user, inquiry_id=inquiry_id, answer=payload.answer, site_status=payload.site_status
    )
    return inquiry_out(inquiry, user=request.user)


@router.get("/saved-searches", response=SavedSearchListOut, summary="My saved searches")
def list_saved_searches(request: HttpRequest, params: Query[PageQuery]):
    return page(selectors.saved_search_list(user=request.user), limit=params.limit, offset=params.offset)


@router.post("/saved-searches", response={201: SavedSearchOut}, summary="Save a search: new matching sites send a notice")
def create_saved_search(request: HttpRequest, payload: SavedSearchIn):
    saved = services.saved_search_create(user=request.user, name=payload.name, params=payload.params())
    return Status(201, saved)


@router.delete("/saved-searches/{id:saved_search_id}", response={204: None})
def delete_saved_search(request: HttpRequest, saved_search_id: int):
    services.saved_search_delete(user=request.user, saved_search_id=saved_search_id)
    return Status(204, None)


@router.get("/{id:site_id}/photos/{id:photo_id}", auth=None, response={200: None}, summary="A listing photo (thumb=true for the thumbnail)")
def get_photo(request: HttpRequest, site_id: int, photo_id: int, thumb: bool = False):
    photo = SitePhoto.objects.filter(site_id=site_id, id=photo_id).first()
    if photo is None:
        raise NotFound("照片不存在")
    field = photo.thumbnail if thumb else photo.image
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise NotFound("照片文件丢失") from None
    response = FileResponse(handle, content_type="image/jpeg")
    # Public listing photos; a photo id never changes content (a new upload gets a new id).
    response["Cache-Control"] = "public, max-age=86400"
    response["ETag"] = f'"{photo.sha256[:32]}{"t" if thumb else ""}"'
    return response


@router.post("/{id:site_id}/photos", response={200: SitePhotoOut, 201: SitePhotoOut}, summary="Owner: add a photo (JPEG/PNG/WebP ≤ 10 MB)")
def add_photo(request: HttpRequest, site_id: int, file: File[UploadedFile]):
    photo, created = photos.site_photo_add(user=request.user, site_id=site_id, data=file.read())
    return Status(201 if created else 200, selectors.photo_urls(site_id, photo))


@router.delete("/{id:site_id}/photos/{id:photo_id}", response={204: None}, summary="Owner: remove a photo")
def delete_photo(request: HttpRequest, site_id: int, photo_id: int):
    photos.site_photo_delete(user=request.user, site_id=site_id, photo_id=photo_id)
    return Status(204, None)


@router.post("/import", response=ImportReportOut, summary="Admin: import a site file (GeoJSON, zipped Shapefile, GPKG, CSV, XLSX)")
def import_file(
    request: HttpRequest,
    file: File[UploadedFile],
    crs: CleanText = Form("", max_length=100),
    layer: CleanText = Form("", max_length=100),
    dry_run: Form[bool] = False,
    skip_invalid: Form[bool] = False,
    allow_far: Form[bool] = False,
):
    access.sites.require_site_importer(request.user)
    report = sites_import_upload(
        upload=file, crs=crs, layer=layer, dry_run=dry_run, skip_invalid=skip_invalid, allow_far=allow_far
    )
    return {**report.as_dict(), "summary": report.summary()}
