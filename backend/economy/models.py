"""Monthly indicators per enterprise, the import batch each value came in, and its corrections."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from backend.enterprises.models import Enterprise

# The indicators as the town's statistics spreadsheet has them: field → (heading, unit).
METRICS = {
    "tax": ("税收", "万元"),
    "revenue": ("营业收入", "万元"),
    "output_value": ("工业总产值", "万元"),
    "employees": ("从业人员", "人"),
    "energy": ("综合能耗", "吨标准煤"),
}


class ImportBatch(models.Model):
    file_name = models.CharField(max_length=200)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.file_name} ({self.imported_at:%Y-%m-%d})"


class MonthlyIndicator(models.Model):
    """One enterprise's figures for one month; an empty value is missing, never zero."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="indicators")
    month = models.DateField()  # the first day of the month
    # 规上 (above designated size) that month, as the statistics office reported it: the
    # current month's flag decides a figure's enterprises (同口径, backend/economy/compare.py).
    above_scale = models.BooleanField(default=False)
    tax = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    revenue = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    output_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    employees = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    energy = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="indicators")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "month"], name="indicator_one_per_month"),
            # LIKE, not an EXTRACT(day): SQLite would need Django's own SQL function for that, and
            # the backup's PRAGMA integrity_check (a plain sqlite3 connection) checks constraints.
            models.CheckConstraint(condition=Q(month__endswith="-01"), name="indicator_month_first_day"),
        ]
        indexes = [models.Index(fields=["month", "enterprise"], name="indicator_month")]


class Correction(models.Model):
    """A value changed after it was imported: by an admin, or by a later import."""

    indicator = models.ForeignKey(MonthlyIndicator, on_delete=models.CASCADE, related_name="corrections")
    field = models.CharField(max_length=20)
    old = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    new = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
