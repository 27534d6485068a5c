"""OpenAPI component names are class names: two schemas of one name overwrite each other.

The fuzzer once validated /api/auth/login's 401 against a consultation message because
both apps had a `MessageOut`; django-ninja kept one of them for both.
"""

from collections import defaultdict

from pydantic import BaseModel

import backend.api  # noqa: F401  (imports every app's schemas)


def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


def test_it_gives_every_schema_of_ours_its_own_name():
    names = defaultdict(set)
    for cls in subclasses(BaseModel):
        if cls.__module__.startswith("backend."):
            names[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    assert {name: where for name, where in names.items() if len(where) > 1} == {}
