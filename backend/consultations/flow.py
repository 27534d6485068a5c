"""What may be done to a consultation, in which status, by whom (relations from backend.access.consultations).

A plain table, as for demands (docs/demands.md says why): the API's `actions`, the
checks in `services` and the docs read the same rows.
"""

from dataclasses import dataclass

from .models import Consultation

S = Consultation.Status
STAFF = frozenset({"official", "supervisor", "admin"})


@dataclass(frozen=True)
class Action:
    label: str
    statuses: frozenset[str]
    roles: frozenset[str]


OPEN = frozenset({S.WAITING, S.ANSWERED})
ACTIONS = {
    "answer": Action("答复", OPEN, STAFF),
    "reassign": Action("转派", OPEN, STAFF),
    "convert": Action("转为诉求", OPEN, STAFF),
    "follow_up": Action("追问", OPEN, frozenset({"enterprise"})),
    "close": Action("关闭", OPEN, frozenset({"enterprise"})),
}


def available(*, consultation: Consultation, relations: frozenset[str]) -> list[str]:
    return [
        name
        for name, action in ACTIONS.items()
        if consultation.status in action.statuses
        and action.roles & relations
        and not (name == "convert" and (consultation.demand_id or not consultation.enterprise_id))
    ]
