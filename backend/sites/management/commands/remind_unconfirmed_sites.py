from django.core.management.base import BaseCommand

from backend.sites.services import sites_remind_unconfirmed


class Command(BaseCommand):
    help = "提醒资源持有单位确认超过90天未确认的场地。后台进程每个工作日自动运行；也可由 cron 运行。"

    def handle(self, *args, **options):
        sent = sites_remind_unconfirmed()
        self.stdout.write(f"已发送 {sent} 条确认提醒")
