"""Dated memberships: a user acts for one thing (an enterprise, an owner unit…) at a time.

The ground floor knows no domain: each domain owns its own membership table built on
`Membership`, and the two helpers below are the only code that opens, ends or reads
one. A user may move over time; the old row keeps its `until`, so history is kept.
"""

from django.db import models
from django.utils import timezone

_UNSET = object()


class Membership(models.Model):
    """Abstract: subclasses add `user` and the target foreign keys and a one-current-row constraint
    (their names predate this base, so they stay in the subclasses and no migration changes)."""

    since = models.DateTimeField(default=timezone.now)
    until = models.DateTimeField(null=True, blank=True)

    # The name of the target's foreign key field ("enterprise", "owner_unit").
    target = ""

    class Meta:
        abstract = True


def current_target_id(model: type[Membership], user) -> int | None:
    """The id `user` currently acts for in `model` (their open row), or None.

    Remembered on the user object: a request asks several times, the database once.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    key = f"_membership_{model._meta.label_lower}"
    cached = user.__dict__.get(key, _UNSET)
    if cached is _UNSET:
        cached = (
            model.objects.filter(user_id=user.id, until__isnull=True)
            .values_list(f"{model.target}_id", flat=True)
            .first()
        )
        user.__dict__[key] = cached
    return cached


def membership_move(model: type[Membership], *, user, target) -> Membership:
    """Make `user` act for `target` from now on; a previous current row ends now.

    Call inside a transaction: the current row is locked so two moves cannot both open one.
    """
    now = timezone.now()
    current = model.objects.select_for_update().filter(user=user, until__isnull=True).first()
    if current is not None:
        if getattr(current, f"{model.target}_id") == target.id:
            return current
        model.objects.filter(id=current.id).update(until=now)
    user.__dict__.pop(f"_membership_{model._meta.label_lower}", None)
    return model.objects.create(user=user, since=now, **{model.target: target})
