"""Demands (诉求): whose a user may see."""

from django.db.models import Q

from . import core, enterprises
from .core import rule


@rule
def demands_q(user) -> Q:
    """Admins all; field staff their scope's visits' demands; an enterprise user their enterprise's; others none."""
    if core.is_admin(user) or core.is_field_staff(user):
        return core.staff_scope(user).q("visit__staff__")
    own = enterprises.enterprise_id_of(user) if core.is_enterprise_user(user) else None
    if own:
        return Q(visit__enterprise_id=own)
    return Q(pk__in=[])
