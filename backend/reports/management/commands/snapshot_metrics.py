from django.core.management.base import BaseCommand

from backend.reports.services import metrics_snapshot


class Command(BaseCommand):
    help = "记录今日的存量指标（空置场地面积），供趋势图计算环比/同比。后台进程每天自动运行；也可由 cron 运行。"

    def handle(self, *args, **options):
        snap = metrics_snapshot()
        self.stdout.write(f"{snap.day} vacant_site_area = {snap.value:.1f} m²")
