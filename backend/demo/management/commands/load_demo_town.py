import time
from pathlib import Path

from django.core.management.base import BaseCommand

from backend.accounts.models import User
from backend.demo.services import DEMO_ACCOUNTS, DEMO_DIR, DEMO_PASSWORD, demo_town_load, join_demo_companies
from backend.enterprises.models import EnterpriseMember
from backend.sites.models import OwnerUnitMember


class Command(BaseCommand):
    help = "载入示范镇（青枫镇）演示数据并打印演示账号 / Load the demo town and print the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=DEMO_DIR, help="demo town files (default fixtures/demo_town)")
        parser.add_argument(
            "--no-shift",
            action="store_true",
            help="keep the visit dates as in the files instead of moving them up to the past week",
        )

    def handle(self, *args, dir: Path, no_shift: bool, **options):
        started = time.perf_counter()
        report = demo_town_load(directory=dir, shift_dates=not no_shift)
        elapsed = time.perf_counter() - started
        if report.already_loaded:
            self.stdout.write("演示数据已载入，跳过。 Demo town already loaded; nothing changed.")
        else:
            self.stdout.write(
                f"载入完成 Loaded in {elapsed:.1f} s: {report.enterprises} 家企业 enterprises, "
                f"{report.sites} 处场地 sites, {report.visits} 次走访 visits, {report.users} 个账号 users "
                f"(dates moved {report.date_shift_days} days forward)."
            )
        self.stdout.write(f"\n演示账号 Demo accounts (password 密码: {DEMO_PASSWORD})")
        users = User.objects.filter(username__in=DEMO_ACCOUNTS).select_related("org_unit")
        for user in sorted(users, key=lambda u: DEMO_ACCOUNTS.index(u.username)):
            enterprise = EnterpriseMember.objects.filter(user=user, until__isnull=True).select_related("enterprise").first()
            unit = OwnerUnitMember.objects.filter(user=user, until__isnull=True).select_related("owner_unit").first()
            where = (
                (user.org_unit and user.org_unit.name)
                or (enterprise and enterprise.enterprise.name)
                or (unit and unit.owner_unit.name)
                or ""
            )
            self.stdout.write(f"  {user.username:<16} {user.get_role_display():<10} {user.shown_name}  {where}")
        companies = join_demo_companies()
        if companies:
            self.stdout.write(
                "\n企业注册演示 Joining demo: 在“企业注册”用下列手机号注册（验证码见控制台），"
                "再认领对应企业，当即通过；用其他手机号认领则由 demo_staff 在“我的 → 企业认领审核”核实。"
            )
            for company in companies:
                self.stdout.write(f"  {company.contact_mobile}  {company.uscc}  {company.name}")
