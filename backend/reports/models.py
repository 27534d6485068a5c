from django.db import models


class MetricSnapshot(models.Model):
    """A daily reading of a stock (e.g. vacant site area), which has no history of its own.

    Written by `manage.py snapshot_metrics` (run daily); trends read the last one in each period.
    """

    metric = models.CharField(max_length=32)
    day = models.DateField()
    value = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["metric", "day"], name="snapshot_once_a_day")]
