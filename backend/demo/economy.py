"""The demo town's 经济数据: 24 months of indicators for the firms that report monthly.

Deterministic (a seeded generator, the enterprises in id order), ending with last month, so
the dashboard has this year against last: every large firm, every fifth medium one and a few
small ones report; most large and medium ones are 规上, a handful enter 规上 this year and a
few leave; February dips (the Spring Festival); some taxes are refunds (negative); some months
are missing, as they are in a real town's spreadsheet.
"""

import random
from decimal import Decimal

from django.utils import timezone

from backend.economy.compare import shift_months
from backend.economy.models import ImportBatch, MonthlyIndicator
from backend.enterprises.models import Enterprise

MONTHS = 24
BASE_REVENUE = {"large": 2500, "medium": 600, "small": 120}  # 万元 a month


def economy_demo_load(*, admin_id: int | None) -> int:
    if admin_id is None or MonthlyIndicator.objects.exists():
        return 0
    rng = random.Random(16)
    last = shift_months(timezone.localdate().replace(day=1), -1)
    months = [shift_months(last, -i) for i in reversed(range(MONTHS))]
    this_year = last.year
    firms = []
    for i, (pk, size, industry) in enumerate(Enterprise.objects.filter(pending=False).order_by("id").values_list("id", "size", "industry")):
        if size == "large" or (size == "medium" and i % 5 == 0) or (size == "small" and i % 60 == 0):
            firms.append((pk, size, industry))
    batch = ImportBatch.objects.create(file_name="演示数据（生成）", imported_by_id=admin_id, rows=len(firms) * MONTHS)
    rows = []
    for pk, size, industry in firms:
        revenue = BASE_REVENUE[size] * rng.uniform(0.4, 1.8)
        growth = rng.uniform(-0.08, 0.18)  # a year
        above = size != "small" and rng.random() < 0.9
        entering = not above and rng.random() < 0.3  # 规上 from January this year
        leaving = above and rng.random() < 0.05
        staff = {"large": 800, "medium": 200, "small": 40}[size] * rng.uniform(0.5, 1.5)
        for month in months:
            if rng.random() < 0.01:
                continue  # a month the firm did not report
            years = (month.year - months[0].year) + (month.month - months[0].month) / 12
            season = 0.75 if month.month == 2 else 1.05 if month.month == 12 else 1.0
            value = revenue * (1 + growth) ** years * season * rng.uniform(0.92, 1.08)
            tax = value * rng.uniform(0.03, 0.07)
            if rng.random() < 0.01:
                tax = -tax * 0.3  # a refund month
            flag = (above and not (leaving and month.year == this_year)) or (entering and month.year == this_year)
            rows.append(
                MonthlyIndicator(
                    enterprise_id=pk,
                    month=month,
                    above_scale=flag,
                    revenue=_money(value),
                    tax=_money(tax),
                    output_value=_money(value * rng.uniform(0.9, 1.1)) if industry == "C" else None,
                    employees=Decimal(round(staff * rng.uniform(0.97, 1.03))),
                    energy=_money(value * rng.uniform(0.02, 0.05)) if industry == "C" else None,
                    batch=batch,
                )
            )
    MonthlyIndicator.objects.bulk_create(rows, batch_size=2000)
    batch.created = len(rows)
    batch.save(update_fields=["created"])
    return len(rows)


def _money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")
