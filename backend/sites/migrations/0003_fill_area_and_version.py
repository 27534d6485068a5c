from django.db import migrations
from django.db.models import F
from django.db.models.functions import Coalesce


def fill(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    # Same rule as services.site_derive(): building area, else land area.
    Site.objects.filter(area_m2__isnull=True).update(area_m2=Coalesce(F("building_area_m2"), F("land_area_m2")))
    SiteDataVersion = apps.get_model("sites", "SiteDataVersion")
    SiteDataVersion.objects.get_or_create(id=1)


class Migration(migrations.Migration):
    dependencies = [("sites", "0002_search_inquiries_reveals")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
