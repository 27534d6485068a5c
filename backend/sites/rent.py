"""Rent normalisation: every listing is searchable as 元/m²/天 (the unit the market quotes)."""

import math

DAYS_PER_YEAR = 365
MU_M2 = 10000 / 15  # 1 亩 = 666.67 m²
MIN_AREA_M2 = 1.0  # the smallest area the API accepts (backend/sites/schemas.py)


def rent_per_m2_day(*, value: float | None, unit: str, area_m2: float | None) -> float | None:
    """元/m²/天, or None when it cannot be known (a yearly total without a usable area)
    or would not be a finite number (imported data is not bounded the way the API's is)."""
    if value is None:
        return None
    if unit == "yuan_m2_day":
        per_day = value
    elif unit == "yuan_m2_month":
        per_day = value * 12 / DAYS_PER_YEAR
    elif unit == "yuan_year":
        # A yearly total means nothing per m² without an area to divide by; nor
        # with a vanishing one (5e-324 m² gave an infinite rent, found in an owner's edit).
        if not area_m2 or area_m2 < MIN_AREA_M2:
            return None
        per_day = value / area_m2 / DAYS_PER_YEAR
    else:
        raise ValueError(f"未知的租金单位：{unit}")
    return per_day if math.isfinite(per_day) else None
