"""Rate limits whose check and count are one atomic SQL statement (see limits.py).

Importing `Limit` from here loads no model: the counters are written with raw
SQL, so this package can be imported before the app registry is ready.
"""

from .limits import Limit, Ticket, take_all

__all__ = ["Limit", "Ticket", "take_all"]
