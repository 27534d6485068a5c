"""Rate limits whose check and count are one atomic SQL statement (see limits.py).

Importing `Limit` from here loads no model: the counters are written with raw
SQL, so this package can be imported before the app registry is ready.
"""

from .limits import Limit, Ticket, take_all
from .networks import network_of

__all__ = ["Limit", "Ticket", "network_of", "take_all"]
