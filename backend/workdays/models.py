from django.conf import settings
from django.db import models
from django.utils import timezone


class YearSchedule(models.Model):
    """A year's official holiday schedule as an admin entered it from the State Council's notice.

    It takes precedence over chinesecalendar for its year: the package stops at the
    last year it was released for (2026 in 1.11.0), and an admin can correct it.
    """

    year = models.PositiveSmallIntegerField(unique=True)
    # [{"date": "2027-10-01", "name": "国庆节"}, ...]: days off, weekends inside a holiday included.
    holidays = models.JSONField(default=list)
    # ["2027-09-26", ...]: weekend days worked in exchange (调休上班).
    workdays = models.JSONField(default=list)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "节假日安排"
        verbose_name_plural = "节假日安排"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}年节假日安排"
