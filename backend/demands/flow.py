"""The lifecycle of a demand as one plain table (why not a state-machine library: docs/demands.md).

Each row: from which status, by which action (and, for a rating, which answer), to which
status, and which relations to the demand may take it. The relations are computed by
`backend.access.demands.relations(user, demand)`:

- `admin`      — an administrator;
- `dispatcher` — who may hand a waiting demand to someone (a manager who sees it, an admin);
- `assignee`   — the official it was assigned to, or a member of the department it was assigned to;
- `supervisor` — a manager of the assignee's unit (or of the assigned department);
- `enterprise` — a user of the enterprise the demand belongs to.

The services look a step up here and then change the status with
`UPDATE … WHERE id = … AND status = <from>`, so of two concurrent actions one wins.
"""

from dataclasses import dataclass

from .models import Demand

S = Demand.Status
R = Demand.Rating


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    roles: frozenset[str]
    outcome: str = ""  # the rating that picks this row, for "rate"


OFFICIALS = frozenset({"assignee", "supervisor", "admin"})

TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.PENDING, "assign", S.ASSIGNED, frozenset({"dispatcher", "admin"})),
    Transition(S.ASSIGNED, "verify", S.VERIFYING, OFFICIALS),
    Transition(S.VERIFYING, "handle", S.HANDLING, OFFICIALS),
    Transition(S.HANDLING, "resolve", S.RESOLVED, OFFICIALS),
    # The enterprise's verdict: only 满意 closes it; "partly" and "not" send it back to work.
    Transition(S.RESOLVED, "rate", S.CLOSED, frozenset({"enterprise"}), outcome=R.SATISFIED),
    Transition(S.RESOLVED, "rate", S.HANDLING, frozenset({"enterprise"}), outcome=R.BASICALLY),
    Transition(S.RESOLVED, "rate", S.HANDLING, frozenset({"enterprise"}), outcome=R.UNSATISFIED),
)

ACTIONS = ("assign", "verify", "handle", "resolve", "rate")

ACTION_LABELS = {
    "raise": "提出诉求",
    "assign": "交办",
    "verify": "核查研判",
    "handle": "开始处办",
    "resolve": "办结",
    "rate": "回访评价",
    # Entries that change no status (from_status == to_status): the timeline's notes.
    "site_needs": "填写场地需求",
    "inquire": "发出场地咨询",
}


def roles_for(action: str) -> frozenset[str]:
    """Every relation that may take `action` from some status."""
    return frozenset().union(*(t.roles for t in TRANSITIONS if t.action == action))


def find(*, source: str, action: str, outcome: str = "") -> Transition | None:
    for t in TRANSITIONS:
        if t.source == source and t.action == action and t.outcome == outcome:
            return t
    return None


def sources_of(action: str) -> list[str]:
    return list(dict.fromkeys(t.source for t in TRANSITIONS if t.action == action))


def available(*, status: str, relations: frozenset[str] | set[str]) -> list[str]:
    """The actions someone with these relations may take on a demand in `status`, in table order."""
    return list(dict.fromkeys(t.action for t in TRANSITIONS if t.source == status and t.roles & relations))
