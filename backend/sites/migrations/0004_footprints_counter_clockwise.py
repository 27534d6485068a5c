"""Stored footprints to RFC 7946 ring order (exterior counter-clockwise).

Imports before this one kept a Shapefile's clockwise exterior rings as GDAL read
them. Footprints are GeoJSON in a JSON column, so the fix is a rewrite of those rows.
"""

from django.db import migrations

from geo.rings import ccw_geojson


def orient(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    changed = []
    for site in Site.objects.filter(footprint__isnull=False).only("id", "footprint").iterator(chunk_size=2000):
        fixed = ccw_geojson(site.footprint)
        if fixed != site.footprint:
            site.footprint = fixed
            changed.append(site)
    Site.objects.bulk_update(changed, ["footprint"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("sites", "0003_fill_area_and_version")]

    operations = [migrations.RunPython(orient, migrations.RunPython.noop)]
