from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from backend.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "备份数据库和上传的照片（应用运行时即可执行）：生成带清单（行数、校验和）的备份目录。"

    def add_arguments(self, parser):
        parser.add_argument("--to", type=Path, default=Path(settings.BASE_DIR) / "var" / "backups", help="备份放在哪个目录下（默认 var/backups）")
        parser.add_argument("--keep", type=int, default=None, help="只保留最新的 N 份备份，删除更早的")

    def handle(self, *args, to: Path, keep: int | None, **options):
        if keep is not None and keep < 1:
            raise CommandError("--keep 至少为 1")
        try:
            path = backup_create(into=to, keep=keep)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"备份完成：{path}")
