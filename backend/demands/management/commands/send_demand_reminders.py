from django.core.management.base import BaseCommand

from backend.demands.reminders import reminders_send


class Command(BaseCommand):
    help = "发送到期诉求的提醒和超期督办（仅工作时间）。后台进程每15分钟自动运行；也可由 cron 运行。"

    def handle(self, *args, **options):
        sent = reminders_send()
        self.stdout.write(f"提醒 {sent['reminded']} 条，超期督办 {sent['escalated']} 条")
