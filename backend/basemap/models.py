from django.db import models


class BaseLayer(models.Model):
    """Our own map data (town boundary, roads): drawn even when no tile server answers."""

    class Kind(models.TextChoices):
        BOUNDARY = "boundary", "镇界"
        ROADS = "roads", "道路"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    geojson = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "slug"]
