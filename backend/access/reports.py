"""Manager reads: who may read reports, and whose rows they hold."""

from django.db.models import QuerySet

from backend.accounts.models import User
from backend.errors import Forbidden

from . import core
from .core import StaffScope, rule


@rule
def require_report_reader(user) -> None:
    if not (core.is_admin(user) or core.is_manager(user)):
        raise Forbidden("只有科室负责人和管理员可以查看报表")


@rule
def report_scope(user) -> StaffScope:
    require_report_reader(user)
    return core.staff_scope(user)


@rule
def team_members(user) -> QuerySet[User]:
    """The active field staff in the reader's scope: the rows of a team report."""
    scope = report_scope(user)
    return User.objects.filter(core.field_staff_q(), scope.q(), is_active=True)
