"""The working-day calendar: who may enter a year's holiday schedule."""

from . import core
from .core import rule


@rule
def require_calendar_editor(user) -> None:
    # Every deadline in the town moves with it: admins only.
    core.require_admin(user, "只有管理员可以录入节假日安排")
