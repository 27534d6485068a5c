"""Schemathesis against our own OpenAPI description: every operation, as every role.

Requests go over HTTP to the live test server, as a phone's would. One test per
role walks every operation with a few generated requests each (bounded for CI).
No 5xx, and every documented response matches its schema.

Schemathesis generates values that fit the schema; the 500s of issue 11 came
from values that fit it only too well. So about half of the cases get one or
more values swapped for what broke us before (`extreme()`): dates at year 1
and 9999, integers past 2**63, denormal and huge floats, NaN/Infinity spelt as
text, and text with NUL and other control characters. Runs on both databases
(make test): PostgreSQL refuses NUL where SQLite stores it.
"""

import os
import re
from typing import Any

import pytest
import requests
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from backend.api import api

ROLES = ["anonymous", "staff", "manager", "enterprise", "owner", "admin"]
EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_EXAMPLES", "6"))
CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]


EXTREME_DAYS = ["0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01"]
EXTREME_TIMES = ["0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00-12:00"]
EXTREME_MONTHS = ["0001-01", "9999-12", "0000-00"]
HUGE_INTS = [2**63, 2**64, -(2**63) - 1, 10**30]
ODD_FLOATS = [5e-324, -5e-324, 1e308, -1.7976931348623157e308]
# As text: requests refuses to write NaN into JSON, and a query string is text anyway.
NON_FINITE = ["NaN", "Infinity", "-Infinity", "nan", "inf", "1e999"]
CONTROLS = ["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x7f", "\x85"]
DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
TIME = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T")
MONTH = re.compile(r"^[0-9]{4}-[0-9]{2}$")


def extreme(value: Any, data, *, in_json: bool) -> Any:
    """An edge value of the same kind as `value` (as generated from the schema)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return data.draw(st.sampled_from(HUGE_INTS + NON_FINITE))
    if isinstance(value, float):
        return data.draw(st.sampled_from(ODD_FLOATS + NON_FINITE))
    if isinstance(value, str):
        for pattern, edges in ((DAY, EXTREME_DAYS), (TIME, EXTREME_TIMES), (MONTH, EXTREME_MONTHS)):
            if pattern.match(value):
                return data.draw(st.sampled_from(edges))
        # A lone surrogate survives JSON's \u escape; it cannot be put in a URL at all.
        char = data.draw(st.sampled_from(CONTROLS + (["\ud800"] if in_json else [])))
        at = data.draw(st.integers(0, len(value)))
        return value[:at] + char + value[at:]
    if isinstance(value, list) and value:
        i = data.draw(st.integers(0, len(value) - 1))
        return value[:i] + [extreme(value[i], data, in_json=in_json)] + value[i + 1 :]
    if isinstance(value, dict) and value:
        key = data.draw(st.sampled_from(sorted(value)))
        return {**value, key: extreme(value[key], data, in_json=in_json)}
    return value


def push_to_the_edges(case, data) -> None:
    """Swap some of the case's query, path and JSON body values for extreme ones."""
    for name in ("query", "path_parameters"):
        values = getattr(case, name) or {}
        for key in sorted(values):
            if data.draw(st.booleans()):
                values[key] = extreme(values[key], data, in_json=False)
    if isinstance(case.body, dict) and case.media_type == "application/json":
        for key in sorted(case.body):
            if data.draw(st.booleans()):
                case.body[key] = extreme(case.body[key], data, in_json=True)


def operations():
    schema = schemathesis.openapi.from_dict(dict(api.get_openapi_schema(path_prefix="/api/")))
    # Logout last: it ends the session, and every later operation would only be tried anonymously.
    return sorted((result.ok() for result in schema.get_all_operations()), key=lambda op: op.path == "/api/auth/logout")


def session_for(role: str, users, base_url: str) -> requests.Session:
    session = requests.Session()
    if role != "anonymous":
        client = Client()
        client.force_login(users[role])
        session.cookies.set("sessionid", client.cookies["sessionid"].value)
    session.get(base_url + "/api/auth/csrf", timeout=10)
    session.headers["X-CSRFToken"] = session.cookies.get("csrftoken", "")
    return session


@pytest.mark.parametrize("role", ROLES)
def test_it_answers_every_operation_without_server_errors(role, users, enterprise, live_server, settings):
    # Generated logins trip the throttle quickly; 429 is a fine answer, but most
    # requests should reach the code under test.
    settings.LOGIN_FAILURE_LIMIT = 10_000
    session = session_for(role, users, live_server.url)
    # The session cookie is the API's documented security scheme, so schemathesis
    # generates values for it, and every request of a logged-in role went out
    # with a made-up session (401): fix it to the real one.
    fixed_cookies = {"sessionid": session.cookies["sessionid"]} if role != "anonymous" else None
    tried = pushed = 0
    try:
        for operation in operations():

            @given(case=operation.as_strategy(cookies=fixed_cookies), data=st.data())
            @hypothesis_settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True,
                      suppress_health_check=list(HealthCheck), database=None)
            def exercise(case, data):
                nonlocal tried, pushed
                tried += 1
                if data.draw(st.booleans()):
                    pushed += 1
                    push_to_the_edges(case, data)
                case.call_and_validate(base_url=live_server.url, session=session, checks=CHECKS)

            exercise()
    finally:
        # A kept-alive connection keeps a live-server thread, and its database
        # connection, alive past the test run: PostgreSQL then refuses to drop the test database.
        session.close()
    print(f"{role}: {tried} generated requests, {pushed} with extreme values")
    assert tried >= len(operations())
    assert pushed >= len(operations()) // 2
