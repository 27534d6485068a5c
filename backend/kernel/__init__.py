"""The shared HTTP kernel: what every API request and answer goes through, in one place.

- `api.KernelAPI`: the NinjaAPI subclass in `backend/api.py`. CSRF on every
  unsafe method, unknown query parameters refused, errors shaped as JSON,
  oversize bodies as 413, answers rendered without NaN/Infinity.
- `clientip.client_ip`: the caller's address behind `NUM_PROXIES` proxies.
- `inputs`: bounded input types (`CleanText`, `Day`, `Id`, `InputSchema`, ...).
- `paging`: the one list envelope (`PageQuery`, `Page`, `page()`).
- `jsonout`: finite JSON (`dumps`, `json_response`).

Django-free code (`geo/`) does not import this; apps import the module they need.
"""
