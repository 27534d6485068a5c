from django.core.management.base import BaseCommand

from backend.sites.services import sites_remind_unconfirmed


class Command(BaseCommand):
    help = "提醒资源持有单位确认超过90天未确认的场地（每天运行一次，例如用 cron）。"

    def handle(self, *args, **options):
        sent = sites_remind_unconfirmed()
        self.stdout.write(f"已发送 {sent} 条确认提醒")
