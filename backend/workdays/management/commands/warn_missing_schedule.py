from django.core.management.base import BaseCommand

from backend.workdays.services import missing_schedule_warn


class Command(BaseCommand):
    help = "自11月1日起，若下一年的节假日安排尚未录入，提醒管理员（每天至多一次）。后台进程每天自动运行；也可由 cron 运行。"

    def handle(self, *args, **options):
        sent = missing_schedule_warn()
        self.stdout.write(f"已发送 {sent} 条提醒")
