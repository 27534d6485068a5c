from django.core.management.base import BaseCommand
from django.utils import timezone

from backend.reports.models import MetricSnapshot
from backend.reports.selectors import vacant_site_area


class Command(BaseCommand):
    help = "记录今日的存量指标（空置场地面积），供趋势图计算环比/同比。每天运行一次。"

    def handle(self, *args, **options):
        today = timezone.localdate()
        snap, _ = MetricSnapshot.objects.update_or_create(
            metric="vacant_site_area", day=today, defaults={"value": vacant_site_area()}
        )
        self.stdout.write(f"{today} vacant_site_area = {snap.value:.1f} m²")
