"""Who may see or act on what: the only place that reads a user's role, team or memberships.

Selectors and services ask this package for a scope (a queryset filter, a SQL
predicate) or a yes/no, and never test `user.role`, `org_unit` or an
enterprise/owner-unit link themselves (tests/api/test_access.py scans for that).

`core` knows only accounts; the domain modules (`visits`, `enterprises`, `sites`,
`reports`) read the membership tables of their domain, so they are imported on
first use: `backend.access.core` stays usable from the ground floor (notifications).
"""

import importlib

from .core import StaffScope, staff_scope  # noqa: F401

_DOMAIN_MODULES = {"consultations", "demands", "economy", "enterprises", "join", "policies", "projects", "reports", "sites", "visits", "workdays"}


def __getattr__(name: str):
    if name in _DOMAIN_MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
