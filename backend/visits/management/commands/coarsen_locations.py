from django.conf import settings
from django.core.management.base import BaseCommand

from backend.visits.services import locations_coarsen


class Command(BaseCommand):
    help = "把超过保存期限的签到位置模糊到约100米。后台进程每天自动运行；也可由 cron 运行。"

    def handle(self, *args, **options):
        n = locations_coarsen()
        self.stdout.write(f"coarsened {n} visits older than {settings.LOCATION_RETENTION_DAYS} days")
