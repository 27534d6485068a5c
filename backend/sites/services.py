"""Writes for sites: owners' changes, inquiries, saved searches, reminders (contact reveals: reveals.py)."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from backend import access
from backend.accounts.memberships import membership_move
from backend.accounts.models import User
from backend.errors import Conflict, Forbidden, Invalid, NotFound, RateLimited
from backend.jobs.services import enqueue
from backend.notifications.services import notice_create, notices_create
from backend.ratelimit import Limit

from . import selectors
from .filters import MATCH_FIELDS, search_from_params
from .models import (
    CONFIRM_AFTER_DAYS,
    STATUSES_TO_CONFIRM,
    ContactReveal,
    Inquiry,
    OwnerUnit,
    OwnerUnitMember,
    SavedSearch,
    SavedSearchMatch,
    Site,
    SiteDataVersion,
)
from .rent import rent_per_m2_day

INQUIRIES_PER_DAY = 20
SAVED_SEARCHES_PER_USER = 20
REMIND_AGAIN_AFTER_DAYS = 30


def sites_changed() -> None:
    """Give the sites' data a new version: every process's cached counts and clusters go stale.

    Called inside the writing transaction, so other sessions see the new
    version exactly when they can see the new rows. The version is random,
    not a counter: a rolled-back write must not leave a number that a later
    write reuses while some process still caches answers under it.
    """
    token = secrets.randbits(62)
    if SiteDataVersion.objects.filter(id=1).update(value=token) == 0:
        SiteDataVersion.objects.update_or_create(id=1, defaults={"value": token})


def search_columns(
    *,
    lng: float,
    lat: float,
    footprint: dict | None,
    building_area_m2: float | None,
    land_area_m2: float | None,
    rent_value: float | None,
    rent_unit: str,
) -> dict:
    """The columns search reads, from the ones people write: area, rent per m²/day, bbox."""
    area = building_area_m2 if building_area_m2 is not None else land_area_m2
    columns = {"area_m2": area, "rent_per_m2_day": rent_per_m2_day(value=rent_value, unit=rent_unit, area_m2=area)}
    if footprint:
        from shapely.geometry import shape

        min_lng, min_lat, max_lng, max_lat = shape(footprint).bounds
        columns.update(
            min_lng=min(min_lng, lng), min_lat=min(min_lat, lat), max_lng=max(max_lng, lng), max_lat=max(max_lat, lat)
        )
    else:
        columns.update(min_lng=lng, min_lat=lat, max_lng=lng, max_lat=lat)
    return columns


def site_derive(site: Site) -> Site:
    """Fill a Site's search columns (see search_columns()) before it is saved."""
    for name, value in search_columns(
        lng=site.lng,
        lat=site.lat,
        footprint=site.footprint,
        building_area_m2=site.building_area_m2,
        land_area_m2=site.land_area_m2,
        rent_value=site.rent_value,
        rent_unit=site.rent_unit,
    ).items():
        setattr(site, name, value)
    return site


# --- owners ---------------------------------------------------------------------

EDITABLE_FIELDS = (
    "name",
    "status",
    "address",
    "building_area_m2",
    "land_area_m2",
    "floors",
    "floor_height_m",
    "floor_load_kn_m2",
    "power_kva",
    "crane",
    "fire_rating",
    "land_use",
    "property_rights",
    "rent_value",
    "rent_unit",
    "available_from",
    "contact_name",
    "contact_mobile",
    "description",
)


@transaction.atomic
def site_update(*, user: User, site_id: int, changes: dict) -> Site:
    """An owner (or admin) edits a listing. Editing it also confirms it is current."""
    site = selectors.site_for_manager(user=user, site_id=site_id, lock=True)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise Invalid("不能修改此字段", field=sorted(unknown)[0])
    was_vacant = site.status == Site.Status.VACANT
    for name, value in changes.items():
        setattr(site, name, "" if value is None and name in _TEXT_FIELDS else value)
    if site.rent_unit == Site.RentUnit.YUAN_YEAR and site.rent_value is not None and not (
        site.building_area_m2 or site.land_area_m2
    ):
        raise Invalid("按“元/年”报价时需要填写面积，才能换算为元/m²/天", field="rent_unit")
    site_derive(site)
    site.last_confirmed = timezone.localdate()
    site.save()
    if site.status == Site.Status.VACANT and not was_vacant:
        # Back on the market: saved searches that have not seen it yet hear about it.
        saved_search_alerts_queue(site_ids=[site.id])
    return site


_TEXT_FIELDS = {"name", "address", "fire_rating", "land_use", "property_rights", "contact_name", "contact_mobile", "description"}


def site_confirm(*, user: User, site_id: int) -> Site:
    """Confirm "still available as listed" (确认在租): resets the 90-day clock."""
    site = selectors.site_for_manager(user=user, site_id=site_id)
    today = timezone.localdate()
    # update(), not save(): confirming changes nothing search reads, so no version bump.
    Site.objects.filter(id=site.id).update(last_confirmed=today, confirm_reminded_at=None)
    site.last_confirmed, site.confirm_reminded_at = today, None
    return site


# --- inquiries ------------------------------------------------------------------


@transaction.atomic
def inquiry_create(
    *,
    user: User,
    site_id: int,
    message: str,
    industry: str = "",
    area_needed_m2: float | None = None,
    phone: str | None = None,
) -> Inquiry:
    site = Site.objects.select_related("owner_unit").filter(id=site_id).first()
    if site is None:
        raise NotFound("场地不存在或已下架")
    phone = phone or user.mobile
    if not phone:
        raise Invalid("请填写联系电话，方便资源持有单位回复您", field="phone")
    limit = Limit(f"inquiry:user:{user.id}:day", INQUIRIES_PER_DAY, 24 * 3600)
    if limit.take() is None:
        wait = max(1, limit.exceeded())
        raise RateLimited(f"今天提交的咨询已达上限（{INQUIRIES_PER_DAY}条），请明天再试", retry_after=wait, code="inquiry_throttled")
    enterprise = access.enterprises.enterprise_of(user)
    inquiry = Inquiry.objects.create(
        site=site,
        user=user,
        enterprise=enterprise,
        area_needed_m2=area_needed_m2,
        industry=industry,
        message=message,
        phone=phone,
    )
    who = enterprise.name if enterprise else user.shown_name
    need = f"需求面积约{area_needed_m2:g}平方米；" if area_needed_m2 else ""
    owners = access.sites.unit_owners(owner_unit_ids=[site.owner_unit_id])
    notices_create(
        user_ids=[user_id for user_id, _ in owners],
        kind="sites.inquiry",
        title=f"新的场地咨询：{site.name}",
        body=f"{who}：{need}{message[:200]}",
        url=f"#/inquiries/{inquiry.id}",
    )
    return inquiry


@transaction.atomic
def inquiry_answer(*, user: User, inquiry_id: int, answer: str, site_status: str | None = None) -> Inquiry:
    inquiry = selectors.inquiry_get(user=user, inquiry_id=inquiry_id)
    if not selectors.can_answer(user=user, inquiry=inquiry):
        raise Forbidden("只有该场地的资源持有单位可以回复咨询")
    # Conditional: a second answer (another colleague, a double tap) must not
    # overwrite the first one the enterprise has already been told about.
    now = timezone.now()
    answered = Inquiry.objects.filter(id=inquiry.id, status=Inquiry.Status.NEW).update(
        answer=answer, status=Inquiry.Status.ANSWERED, answered_by=user, answered_at=now
    )
    if not answered:
        raise Conflict("这条咨询已经回复过了", code="already_answered")
    inquiry.answer, inquiry.status, inquiry.answered_by, inquiry.answered_at = answer, Inquiry.Status.ANSWERED, user, now
    if site_status and site_status != inquiry.site.status:
        inquiry.site = site_update(user=user, site_id=inquiry.site_id, changes={"status": site_status})
    notice_create(
        user=inquiry.user,
        kind="sites.inquiry_answer",
        title=f"您的场地咨询有了回复：{inquiry.site.name}",
        body=answer[:200],
        url=f"#/inquiries/{inquiry.id}",
    )
    return inquiry


# --- saved searches -------------------------------------------------------------


@transaction.atomic
def saved_search_create(*, user: User, name: str, params: dict) -> SavedSearch:
    # Lock the user row so two parallel saves cannot both pass the count check.
    User.objects.select_for_update().filter(id=user.id).first()
    if SavedSearch.objects.filter(user=user).count() >= SAVED_SEARCHES_PER_USER:
        raise Conflict(f"最多保存{SAVED_SEARCHES_PER_USER}个场地订阅，请先删除不用的", code="too_many_saved_searches")
    return SavedSearch.objects.create(user=user, name=name, params=params)


def saved_search_delete(*, user: User, saved_search_id: int) -> None:
    deleted, _ = SavedSearch.objects.filter(id=saved_search_id, user=user).delete()
    if not deleted:
        raise NotFound("订阅不存在")


def saved_search_alerts_queue(*, site_ids: Iterable[int]) -> bool:
    """Queue the saved-search alerts for new or re-listed sites: a worker sends them.

    Never sent inside the caller's transaction: an import of 100,000 rows would hold
    its transaction (and SQLite's write lock) while thousands of notices are matched
    and written, and a failure there would undo the import. With the database queue
    the task row commits with the sites, so a rolled-back import queues nothing and a
    worker sees the task only once the sites are visible; `once()` in the task makes
    a rerun send nothing twice.
    """
    ids = sorted(set(site_ids))
    if not ids:
        return False
    from .tasks import saved_search_alerts  # tasks import this module

    return enqueue(saved_search_alerts, key=f"sites.alerts:{uuid.uuid4()}", site_ids=ids)


def saved_searches_notify(*, site_ids: Iterable[int]) -> int:
    """Tell each saved search's owner about new matching sites; each site once per search.

    The new sites (few) are checked against every saved search (maybe many)
    in Python with the same predicate the search's SQL uses, rather than one
    query per saved search. Returns the number of notices sent.
    """
    site_ids = list(site_ids)
    searches = SavedSearch.objects.filter(user__is_active=True)
    # A city import creates ~100,000 sites: loading them to match no saved search took 3 s.
    if not site_ids or not searches.exists():
        return 0
    sites = []
    for start in range(0, len(site_ids), 5000):
        chunk = site_ids[start : start + 5000]
        sites.extend(Site.objects.filter(id__in=chunk).values(*MATCH_FIELDS))
    sent = 0
    for saved in searches.select_related("user").iterator(chunk_size=500):
        area, filters = search_from_params(saved.params)
        matched = [s for s in sites if filters.matches(s) and area.contains(s["lng"], s["lat"])]
        if not matched:
            continue
        seen = set(
            SavedSearchMatch.objects.filter(saved_search=saved, site_id__in=[s["id"] for s in matched]).values_list(
                "site_id", flat=True
            )
        )
        new = [s for s in matched if s["id"] not in seen]
        if not new:
            continue
        SavedSearchMatch.objects.bulk_create([SavedSearchMatch(saved_search=saved, site_id=s["id"]) for s in new])
        names = "、".join(s["name"] for s in new[:5]) + ("等" if len(new) > 5 else "")
        notice_create(
            user=saved.user,
            kind="sites.saved_search",
            title=f"有{len(new)}处新场地符合订阅「{saved.name}」",
            body=names,
            url=f"#/sites/{new[0]['id']}" if len(new) == 1 else f"#/sites?saved={saved.id}",
        )
        sent += 1
    return sent


# --- reminders --------------------------------------------------------------------


@transaction.atomic
def sites_remind_unconfirmed(*, today: dt.date | None = None) -> int:
    """Remind owners of listings unconfirmed for 90 days (at most every 30 days per listing).

    Run daily (cron or a worker). Leased listings are not nagged about. Returns
    the number of notices.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    stale = (
        Site.objects.filter(status__in=STATUSES_TO_CONFIRM)
        .filter(Q(last_confirmed__isnull=True) | Q(last_confirmed__lt=today - dt.timedelta(days=CONFIRM_AFTER_DAYS)))
        .filter(
            Q(confirm_reminded_at__isnull=True)
            | Q(confirm_reminded_at__lt=now - dt.timedelta(days=REMIND_AGAIN_AFTER_DAYS))
        )
    )
    per_unit: dict[int, list[int]] = defaultdict(list)
    for site_id, unit_id in stale.values_list("id", "owner_unit_id"):
        per_unit[unit_id].append(site_id)
    sent = 0
    users_of: dict[int, list[int]] = defaultdict(list)
    for user_id, unit_id in access.sites.unit_owners(owner_unit_ids=list(per_unit)):
        users_of[unit_id].append(user_id)
    for unit_id, ids in per_unit.items():
        if not users_of[unit_id]:
            continue  # no one to tell; try again tomorrow
        sent += notices_create(
            user_ids=users_of[unit_id],
            kind="sites.confirm_reminder",
            title=f"有{len(ids)}处场地超过{CONFIRM_AFTER_DAYS}天未确认",
            body="请核对状态、面积和租金，确认后场地会继续正常展示。",
            url="#/my-sites",
        )
        Site.objects.filter(id__in=ids).update(confirm_reminded_at=now)
    return sent


@transaction.atomic
def owner_unit_member_add(*, user: User, owner_unit: OwnerUnit) -> OwnerUnitMember:
    """Make `user` manage `owner_unit`'s listings from now on; a previous current membership ends now."""
    return membership_move(OwnerUnitMember, user=user, target=owner_unit)
