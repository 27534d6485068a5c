from django.db.models import QuerySet

from backend import access
from backend.accounts.models import User

from .models import Claim


def claim_list(*, reviewer: User, status: str = "pending") -> QuerySet[Claim]:
    """The claims in the reviewer's scope (backend.access.join.claims_q), oldest first."""
    access.join.require_claim_reviewer(reviewer)
    qs = Claim.objects.filter(access.join.claims_q(reviewer)).select_related("enterprise", "user", "decided_by")
    if status != "all":
        qs = qs.filter(status=status)
    return qs.order_by("created_at", "id")


def claim_latest(*, user: User) -> Claim | None:
    """The claimant's own latest claim (their status page)."""
    return Claim.objects.filter(user=user).select_related("enterprise").order_by("-created_at", "-id").first()
