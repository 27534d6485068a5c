from collections.abc import Iterable

from backend.accounts.models import User

from .models import LocationAccess


def location_access_log(*, viewer: User, subject_ids: Iterable[int], what: str, detail: str = "", ip: str | None) -> None:
    """Record a read of other people's whereabouts; reading one's own is not logged."""
    rows = [
        LocationAccess(viewer=viewer, subject_id=subject_id, what=what, detail=detail[:100], ip=ip)
        for subject_id in sorted(set(subject_ids))
        if subject_id != viewer.id
    ]
    LocationAccess.objects.bulk_create(rows)
