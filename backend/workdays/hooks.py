"""Who recomputes their deadlines when a year's schedule changes.

Apps that store deadlines (demands, consultations) register a function from their
AppConfig.ready(); workdays imports none of them. After an admin enters or corrects
a year, the task `recompute_deadlines` calls every hook with the years that changed.
A hook recomputes the open deadlines that depend on those years (or every open one;
"待日历确认" ones first of all) and returns how many it touched.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger(__name__)

Hook = Callable[..., "int | None"]
_hooks: list[Hook] = []


def register_recompute(fn: Hook) -> Hook:
    """Register `fn(*, years: list[int]) -> int | None`; usable as a decorator, idempotent."""
    if fn not in _hooks:
        _hooks.append(fn)
    return fn


def unregister_recompute(fn: Hook) -> None:
    if fn in _hooks:
        _hooks.remove(fn)


def registered() -> list[Hook]:
    return list(_hooks)


def recompute_all(*, years: list[int]) -> dict[str, int | None]:
    """Run every hook; one failing does not stop the others, but the run fails at the end."""
    results: dict[str, int | None] = {}
    failed: list[str] = []
    for fn in registered():
        name = f"{fn.__module__}.{fn.__qualname__}"
        try:
            results[name] = fn(years=list(years))
        except Exception:
            log.exception("deadline recompute hook %s failed for %s", name, years)
            failed.append(name)
    if failed:
        raise RuntimeError(f"deadline recompute hooks failed: {', '.join(failed)}")
    return results
