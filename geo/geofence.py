"""Is a check-in at the enterprise?

A phone reports a position and an accuracy radius; the true position is
somewhere in that circle. We count a check-in as inside when that circle
overlaps the fence, so an honest user with a mediocre fix indoors is not
flagged. The credit is capped: beyond POOR_ACCURACY_M the check-in gets its own
``poor_accuracy`` flag, and a 2 km "accuracy" must not make every fence pass.

The result feeds a review flag, never a rejection (design §5).
"""

from __future__ import annotations

DEFAULT_GEOFENCE_M = 300.0
POOR_ACCURACY_M = 100.0
ACCURACY_CREDIT_CAP_M = 100.0


def within_geofence(*, distance_m: float, radius_m: float, accuracy_m: float | None) -> bool:
    """True when the accuracy circle (credit capped at 100 m) reaches the fence.

    Missing, negative or NaN accuracy (some browsers omit it or send junk)
    earns no credit rather than an error.
    """
    # `> 0` is False for NaN too, which would otherwise poison the comparison.
    credit = 0.0
    if accuracy_m is not None and accuracy_m > 0:
        credit = min(accuracy_m, ACCURACY_CREDIT_CAP_M)
    return distance_m - credit <= radius_m
