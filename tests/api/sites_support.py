"""Sites for the sites API tests: a deterministic spread of specs, and an oracle.

The oracle (``expected_ids``) re-states the search rules in the plainest
Python, independently of backend.sites.filters, so a test compares the
database's answer with the rules, not with our own predicate.
"""

import random

from backend.sites.models import OwnerUnit, Site
from backend.sites.services import site_derive, sites_changed

TYPES = ["factory", "office", "warehouse", "shop", "land", "other"]
STATUSES = ["vacant", "vacant", "vacant", "reserved", "leased"]
VILLAGES = ["东湾村", "南塘村", "姚家浜村"]


def make_site(owner_unit: OwnerUnit, **fields) -> Site:
    """One site through the same derivation as imports (area_m2, rent per m²/day, bbox)."""
    defaults = {
        "name": "测试厂房",
        "type": "factory",
        "lng": 121.42,
        "lat": 31.12,
        "building_area_m2": 800.0,
        "status": "vacant",
        "contact_name": "胡春倩",
        "contact_mobile": "13148370841",
    }
    site = site_derive(Site(owner_unit=owner_unit, **(defaults | fields)))
    site.save()
    return site


def make_spread(owner_units: list[OwnerUnit], n: int = 80, seed: int = 4) -> list[dict]:
    """n sites over ~5 km × 4.5 km around the demo town centre, in bulk; returns their specs."""
    rng = random.Random(seed)
    specs = []
    for i in range(n):
        kind = TYPES[i % len(TYPES)]
        area = None if i % 13 == 0 else round(rng.uniform(50, 5000), 1)
        rent_unit, rent = "yuan_m2_day", None if i % 11 == 0 else round(rng.uniform(0.5, 3.0), 2)
        if i % 7 == 0 and rent is not None:
            rent_unit, rent = "yuan_m2_month", round(rent * 30, 1)
        unit = owner_units[i % len(owner_units)]
        specs.append(
            {
                "external_id": f"T-{i:03d}",
                "name": f"{VILLAGES[i % 3]}{i}号{'厂房' if kind == 'factory' else '场地'}",
                "type": kind,
                "status": STATUSES[i % len(STATUSES)],
                "lng": round(rng.uniform(121.39, 121.45), 6),
                "lat": round(rng.uniform(31.10, 31.14), 6),
                "building_area_m2": None if kind == "land" else area,
                "land_area_m2": area if kind == "land" else None,
                "rent_value": rent,
                "rent_unit": rent_unit,
                "village": VILLAGES[i % 3],
                "address": f"青枫镇{VILLAGES[i % 3]}{i}号",
                "owner_unit": unit,
                "contact_mobile": f"139{i:08d}",
            }
        )
    # One site exactly on the town centre, for "edges count as inside".
    specs[0].update(lng=121.42, lat=31.12)
    Site.objects.bulk_create([site_derive(Site(**spec)) for spec in specs])
    sites_changed()
    ids = dict(Site.objects.values_list("external_id", "id"))
    for spec in specs:
        spec["id"] = ids[spec["external_id"]]
        area = spec["building_area_m2"] if spec["building_area_m2"] is not None else spec["land_area_m2"]
        spec["area"] = area
        rent = spec["rent_value"]
        spec["rent_day"] = None if rent is None else (rent if spec["rent_unit"] == "yuan_m2_day" else rent * 12 / 365)
        spec["owner_name"] = spec["owner_unit"].name
    return specs


def expected_ids(specs: list[dict], params: dict) -> set[int]:
    def keep(s: dict) -> bool:
        if "bbox" in params:
            w, south, e, n = (float(x) for x in params["bbox"].split(","))
            if not (w <= s["lng"] <= e and south <= s["lat"] <= n):
                return False
        if "type" in params and s["type"] not in params["type"].split(","):
            return False
        if "status" in params and s["status"] not in params["status"].split(","):
            return False
        if "area_min" in params and (s["area"] is None or s["area"] < params["area_min"]):
            return False
        if "area_max" in params and (s["area"] is None or s["area"] > params["area_max"]):
            return False
        if "rent_max" in params and (s["rent_day"] is None or s["rent_day"] > params["rent_max"]):
            return False
        if "q" in params:
            if not any(params["q"] in text for text in (s["name"], s["address"], s["village"], s["owner_name"])):
                return False
        return True

    return {s["id"] for s in specs if keep(s)}
