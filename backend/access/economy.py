"""Economic figures: the town's economic office reads them (managers, admins); admins import and correct."""

from backend.errors import Forbidden

from . import core
from .core import rule


@rule
def require_economy_reader(user) -> None:
    if not (core.is_admin(user) or core.is_manager(user)):
        raise Forbidden("只有科室负责人和管理员可以查看经济数据")


@rule
def require_economy_editor(user) -> None:
    if not core.is_admin(user):
        raise Forbidden("只有管理员可以导入或更正经济数据")
