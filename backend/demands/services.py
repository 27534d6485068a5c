"""Writes to the demands ledger."""

from collections.abc import Iterable

from .models import VisitDemand


def visit_demands_record(*, visit_id: int, demands: Iterable[dict]) -> list[VisitDemand]:
    """The needs an official wrote down at check-out (category, text), in one insert.

    Called by visits inside its check-out transaction: both are written or neither.
    """
    return VisitDemand.objects.bulk_create(
        [VisitDemand(visit_id=visit_id, category=d["category"], text=d["text"]) for d in demands]
    )
