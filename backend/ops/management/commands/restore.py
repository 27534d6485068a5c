from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backend.ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "从备份目录恢复到当前配置的数据库（DATABASE_URL）和媒体目录（MEDIA_ROOT）。"
        "先核对清单中每个文件的校验和，恢复后核对每张表的行数。请先停止应用和后台任务进程。"
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="backup 命令生成的目录")
        parser.add_argument("--force", action="store_true", help="覆盖已有的数据库和媒体文件")

    def handle(self, *args, backup: Path, force: bool, **options):
        try:
            manifest = backup_restore(backup=backup, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"恢复完成：{len(manifest['tables'])} 张表共 {rows} 行，{len(manifest['media'])} 个文件，校验一致"
        )
