from django.core.management.base import BaseCommand, CommandError

from backend.errors import ServiceError
from backend.sites.imports import sites_import


class Command(BaseCommand):
    help = (
        "导入闲置场地文件（GeoJSON、zip 压缩的 Shapefile、GeoPackage、CSV、XLSX），按编号新增或更新。"
        "默认全部成功才写入；--skip-invalid 只导入没有问题的行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--crs",
            default=None,
            help="坐标系：wgs84、gcj02（高德/腾讯）、bd09（百度）、cgcs2000 或 EPSG 代码（如 EPSG:4549）；"
            "默认用文件自带的坐标系，表格默认 WGS-84",
        )
        parser.add_argument("--layer", default=None, help="GeoPackage 的图层名或 Excel 的工作表名（默认第一个）")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")
        parser.add_argument("--skip-invalid", action="store_true", help="跳过有问题的行，导入其余的")
        parser.add_argument(
            "--allow-far",
            action="store_true",
            help="导入超出坐标系适用范围或远离镇界的点（默认拒绝：通常是坐标系选错或 x/y 填反）",
        )

    def handle(self, *args, **options):
        try:
            report = sites_import(
                path=options["file"],
                crs=options["crs"],
                layer=options["layer"],
                dry_run=options["dry_run"],
                skip_invalid=options["skip_invalid"],
                allow_far=options["allow_far"],
            )
        except ServiceError as exc:
            raise CommandError(exc.detail) from None
        for line in report.lines():
            self.stdout.write(line)
        if report.problems and not report.imported and not report.dry_run:
            raise CommandError(f"有 {len(report.problems)} 处问题，未导入任何数据")
