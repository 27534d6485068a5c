"""Rent normalisation: every listing is searchable as 元/m²/天 (the unit the market quotes)."""

DAYS_PER_YEAR = 365
MU_M2 = 10000 / 15  # 1 亩 = 666.67 m²


def rent_per_m2_day(*, value: float | None, unit: str, area_m2: float | None) -> float | None:
    if value is None:
        return None
    if unit == "yuan_m2_day":
        return value
    if unit == "yuan_m2_month":
        return value * 12 / DAYS_PER_YEAR
    if unit == "yuan_year":
        # A yearly total means nothing per m² without an area to divide by.
        return value / area_m2 / DAYS_PER_YEAR if area_m2 else None
    raise ValueError(f"未知的租金单位：{unit}")
