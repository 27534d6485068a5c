"""Load the demo town (fixtures/demo_town/, made by fixtures/make_demo_town.py).

Everything is written with bulk_create inside one transaction: a half-loaded
town is worse than none, and row-by-row saves of 60,000 rows would take minutes.
"""

import csv
import datetime as dt
import json
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from backend.accounts.models import OrgUnit, User
from backend.basemap.models import BaseLayer
from backend.demo.economy import economy_demo_load
from backend.enterprises.models import Enterprise, EnterpriseMember
from backend.enterprises.services import name_initials
from backend.enterprises.uscc import normalize_uscc
from backend.sites.models import OwnerUnit, OwnerUnitMember, Site
from backend.sites.rent import MU_M2
from backend.sites.services import site_derive, sites_changed
from backend.visits.models import Visit
from geo.distance import pairwise_distances_m
from geo.geofence import DEFAULT_GEOFENCE_M, POOR_ACCURACY_M, within_geofence

DEMO_DIR = settings.BASE_DIR / "fixtures" / "demo_town"
DEMO_PASSWORD = "dianxiaoer-demo"
DEMO_ACCOUNTS = ["demo_staff", "demo_manager", "demo_enterprise", "demo_owner", "demo_admin"]
BATCH = 2000
# Registry contact mobiles for a few of demo_staff's companies, so the joining demo can show
# "verified at once": register with one of these numbers and claim its company. No account
# has them (people.csv numbers are random 13x–19x numbers, never 1330000000x).
DEMO_JOIN_MOBILES = ["13300000001", "13300000002", "13300000003"]


@dataclass
class LoadReport:
    enterprises: int
    sites: int
    visits: int
    users: int
    date_shift_days: int
    already_loaded: bool = False


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _float(text: str | None) -> float | None:
    return float(text) if text not in (None, "") else None


def _shift_days(last_visit: dt.date, today: dt.date) -> int:
    """Whole weeks that move the last visit into the past week: weekdays stay weekdays."""
    gap = (today - last_visit).days - 1
    return max(0, gap // 7 * 7)


def demo_town_loaded() -> bool:
    return User.objects.filter(username="demo_admin").exists()


@transaction.atomic
def demo_town_load(*, directory: Path = DEMO_DIR, shift_dates: bool = True) -> LoadReport:
    if demo_town_loaded():
        return LoadReport(
            enterprises=Enterprise.objects.count(),
            sites=Site.objects.count(),
            visits=Visit.objects.count(),
            users=User.objects.count(),
            date_shift_days=0,
            already_loaded=True,
        )

    boundary = json.loads((directory / "boundary.geojson").read_text(encoding="utf-8"))
    roads = json.loads((directory / "roads.geojson").read_text(encoding="utf-8"))
    town_name = boundary["features"][0]["properties"].get("name", "示范镇")
    BaseLayer.objects.create(slug="boundary", name=town_name, kind=BaseLayer.Kind.BOUNDARY, geojson=boundary)
    BaseLayer.objects.create(slug="roads", name="道路", kind=BaseLayer.Kind.ROADS, geojson=roads)

    town = OrgUnit.objects.create(code="TOWN", name=town_name, kind=OrgUnit.Kind.TOWN)
    teams = {
        row["code"]: OrgUnit.objects.create(code=row["code"], name=row["name"], kind=OrgUnit.Kind.TEAM, parent=town)
        for row in _csv(directory / "teams.csv")
    }

    owner_units = {}
    for row in _csv(directory / "owner_units.csv"):
        owner_units[row["code"]] = OwnerUnit(
            code=row["code"],
            name=row["name"],
            kind=row["kind"],
            contact_name=row["contact_name"],
            contact_mobile=row["contact_mobile"],
            address=row["address"],
        )
    OwnerUnit.objects.bulk_create(owner_units.values())
    owner_unit_ids = dict(OwnerUnit.objects.values_list("code", "id"))

    # One hash for every demo account: hashing 4,000 passwords one by one takes minutes.
    password = make_password(DEMO_PASSWORD)
    people = _csv(directory / "people.csv")
    def make_user(row: dict[str, str], **extra) -> User:
        return User(
            username=row["username"],
            password=password,
            role=row["role"],
            display_name=row["display_name"],
            mobile=row["mobile"],
            is_staff=row["role"] == User.Role.ADMIN,
            **extra,
        )

    User.objects.bulk_create(
        [
            make_user(row, org_unit=teams.get(row["team_code"]) or (town if row["role"] == User.Role.ADMIN else None))
            for row in people
            if row["role"] != User.Role.ENTERPRISE
        ],
        batch_size=BATCH,
    )
    user_ids = dict(User.objects.values_list("username", "id"))
    # Owner accounts act for their unit through sites.OwnerUnitMember (accounts knows no domain).
    OwnerUnitMember.objects.bulk_create(
        [
            OwnerUnitMember(user_id=user_ids[row["username"]], owner_unit_id=owner_unit_ids[row["owner_unit_code"]])
            for row in people
            if row["role"] != User.Role.ENTERPRISE and row["owner_unit_code"] in owner_unit_ids
        ],
        batch_size=BATCH,
    )

    enterprise_rows = _csv(directory / "enterprises.csv")
    Enterprise.objects.bulk_create(
        [
            Enterprise(
                uscc=normalize_uscc(row["uscc"]),
                name=row["name"],
                name_initials=name_initials(row["name"]),
                address=row["address"],
                lat=float(row["lat"]),
                lng=float(row["lng"]),
                industry=row["industry"],
                size=row["size"],
                tags=[t for t in row["tags"].split(";") if t],
                assigned_staff_id=user_ids.get(row["assigned_staff"]),
                geofence_m=int(row["geofence_m"]) if row["geofence_m"] else None,
            )
            for row in enterprise_rows
        ],
        batch_size=BATCH,
    )
    enterprises = {
        uscc: (pk, lat, lng, fence)
        for uscc, pk, lat, lng, fence in Enterprise.objects.values_list("uscc", "id", "lat", "lng", "geofence_m")
    }

    enterprise_people = [row for row in people if row["role"] == User.Role.ENTERPRISE]
    User.objects.bulk_create([make_user(row) for row in enterprise_people], batch_size=BATCH)
    user_ids = dict(User.objects.values_list("username", "id"))
    EnterpriseMember.objects.bulk_create(
        [
            EnterpriseMember(user_id=user_ids[row["username"]], enterprise_id=enterprises[row["enterprise_uscc"]][0])
            for row in enterprise_people
        ],
        batch_size=BATCH,
    )

    _give_join_demo_mobiles(staff_id=user_ids.get("demo_staff"))

    visit_rows = _csv(directory / "visits.csv")
    shift = 0
    if shift_dates and visit_rows:
        last = max(dt.datetime.fromisoformat(row["checkin_at"]) for row in visit_rows).date()
        shift = _shift_days(last, timezone.localdate())

    sites = json.loads((directory / "sites.geojson").read_text(encoding="utf-8"))["features"]
    # Site dates move with the visits, so ~15 % of listings stay "awaiting confirmation" (> 90 days).
    Site.objects.bulk_create([_site(feature, owner_unit_ids, shift) for feature in sites], batch_size=BATCH)
    sites_changed()  # bulk_create sends no signals: tell search its cached counts are stale

    Visit.objects.bulk_create(_visits(visit_rows, enterprises, user_ids, shift), batch_size=BATCH)
    _demo_site_demand(user_id=user_ids.get("demo_enterprise"))
    economy_demo_load(admin_id=user_ids.get("demo_admin"))
    _demo_policies(user_ids=user_ids)
    from backend.projects.demo import demo_projects_load

    # The 招商项目 pipeline, led by the field staff (the demo accounts among them).
    demo_projects_load(
        town_id=town.id,
        lead_usernames=[row["username"] for row in people if row["role"] in (User.Role.STAFF, User.Role.MANAGER)][:40] + ["demo_staff"],
    )

    return LoadReport(
        enterprises=len(enterprise_rows),
        sites=len(sites),
        visits=len(visit_rows),
        users=len(people),
        date_shift_days=shift,
    )


def _demo_policies(*, user_ids: dict[str, int]) -> None:
    """~a dozen policies, and facts for demo_staff's companies and demo_enterprise's (issue 14)."""
    from backend.policies.demo import demo_policies_load

    featured = EnterpriseMember.objects.filter(user_id=user_ids.get("demo_enterprise")).values_list("enterprise_id", flat=True).first()
    companies = Enterprise.objects.filter(Q(assigned_staff_id=user_ids.get("demo_staff")) | Q(id=featured)).only("id", "uscc", "industry")
    demo_policies_load(enterprises=companies.order_by("id"), featured_id=featured, admin_id=user_ids.get("demo_admin"),
                       today=timezone.localdate())


def _demo_site_demand(*, user_id: int | None) -> None:
    """One 场地 demand of demo_enterprise's company, with needs, waiting to be assigned: its
    推荐场地 show at once (issue 13 item 5), and demo_manager finds it in the intake queue."""
    from backend.demands.models import Demand, DemandTransition

    member = EnterpriseMember.objects.filter(user_id=user_id).select_related("enterprise").first() if user_id else None
    if member is None:
        return
    ent = member.enterprise
    now = timezone.now()
    demand = Demand.objects.create(
        enterprise=ent, category=Demand.Category.SITE, channel=Demand.Channel.APP, raised_by_id=user_id,
        description="研发和小批量生产扩容，需要一处 800–2,000㎡ 的厂房或办公楼，最好离现址 5 公里以内。",
        site_types=["factory", "office"], site_area_min_m2=800, site_area_max_m2=2000,
        site_lat=ent.lat, site_lng=ent.lng, site_radius_km=5, created_at=now, updated_at=now,
    )
    DemandTransition.objects.create(demand=demand, actor_id=user_id, at=now, action="raise", from_status="", to_status="pending")


def _give_join_demo_mobiles(*, staff_id: int | None) -> None:
    """The first companies of demo_staff's (by USCC) that nobody acts for get a registry contact mobile."""
    if staff_id is None:
        return
    free = (
        Enterprise.objects.filter(assigned_staff_id=staff_id, pending=False, members__isnull=True)
        .order_by("uscc")
        .values_list("id", flat=True)[: len(DEMO_JOIN_MOBILES)]
    )
    for enterprise_id, mobile in zip(list(free), DEMO_JOIN_MOBILES, strict=False):
        Enterprise.objects.filter(id=enterprise_id).update(contact_mobile=mobile)


def join_demo_companies() -> list[Enterprise]:
    """The companies a demo registration can claim and be verified at once (their contact mobile)."""
    return list(Enterprise.objects.filter(contact_mobile__in=DEMO_JOIN_MOBILES).order_by("contact_mobile"))


def _shifted(text: str | None, days: int) -> dt.date | None:
    return dt.date.fromisoformat(text) + dt.timedelta(days=days) if text else None


def _site(feature: dict, owner_unit_ids: dict[str, int], shift_days: int = 0) -> Site:
    p = feature["properties"]
    lng, lat = feature["geometry"]["coordinates"][:2]
    land_area_m2 = p["land_area_mu"] * MU_M2 if p.get("land_area_mu") else None
    # site_derive() fills the search columns (area_m2, rent per m²/day, bbox) as imports do.
    return site_derive(Site(
        external_id=p["external_id"],
        name=p["name"],
        type=p["type"],
        address=p.get("address") or "",
        village=p.get("village") or "",
        lat=lat,
        lng=lng,
        building_area_m2=p.get("building_area_m2"),
        land_area_m2=land_area_m2,
        floors=p.get("floors"),
        floor_height_m=p.get("floor_height_m"),
        floor_load_kn_m2=p.get("floor_load_kn_m2"),
        power_kva=p.get("power_kva"),
        crane=p.get("crane"),
        fire_rating=p.get("fire_rating") or "",
        land_use=p.get("land_use") or "",
        rent_value=p.get("rent_value"),
        rent_unit=p.get("rent_unit") or Site.RentUnit.YUAN_M2_DAY,
        available_from=_shifted(p.get("available_from"), shift_days),
        status=p.get("status") or Site.Status.VACANT,
        owner_unit_id=owner_unit_ids[p["owner_unit_code"]],
        contact_name=p.get("contact_name") or "",
        contact_mobile=p.get("contact_mobile") or "",
        description=p.get("description") or "",
        last_confirmed=_shifted(p.get("last_confirmed"), shift_days),
    ))


def _visits(rows, enterprises, user_ids, shift_days: int) -> list[Visit]:
    shift = dt.timedelta(days=shift_days)
    targets = [enterprises[row["enterprise_uscc"]] for row in rows]
    lats = np.array([float(row["checkin_lat"]) for row in rows])
    lngs = np.array([float(row["checkin_lng"]) for row in rows])
    ent_lats = np.array([t[1] for t in targets])
    ent_lngs = np.array([t[2] for t in targets])
    dists = pairwise_distances_m(lats, lngs, ent_lats, ent_lngs)
    visits = []
    for row, (pk, _, _, fence), dist in zip(rows, targets, dists, strict=True):
        accuracy = _float(row["accuracy_m"])
        inside = within_geofence(distance_m=dist, radius_m=fence or DEFAULT_GEOFENCE_M, accuracy_m=accuracy)
        flags = ([] if inside else ["outside_geofence"]) + (
            ["poor_accuracy"] if accuracy and accuracy > POOR_ACCURACY_M else []
        )
        checkin_at = dt.datetime.fromisoformat(row["checkin_at"]) + shift
        checkout_at = dt.datetime.fromisoformat(row["checkout_at"]) + shift if row["checkout_at"] else None
        rating = int(row["rating"]) if row["rating"] else None
        visits.append(
            Visit(
                client_id=uuid.UUID(row["client_id"]),
                staff_id=user_ids[row["staff"]],
                enterprise_id=pk,
                checkin_at=checkin_at,
                checkin_received_at=checkin_at,
                checkin_lat=float(row["checkin_lat"]),
                checkin_lng=float(row["checkin_lng"]),
                checkin_accuracy_m=accuracy,
                distance_m=round(float(dist), 1),
                within_geofence=inside,
                checkout_at=checkout_at,
                checkout_received_at=checkout_at,
                checkout_lat=_float(row["checkout_lat"]),
                checkout_lng=_float(row["checkout_lng"]),
                purpose=row["purpose"],
                summary=row["summary"],
                flags=flags,
                rating=rating,
                rated_at=checkout_at if rating else None,
            )
        )
    return visits

