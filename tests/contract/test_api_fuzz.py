"""Schemathesis against our own OpenAPI description: every operation, as every role.

Requests go over HTTP to the live test server, as a phone's would. One test per
role walks every operation with a few generated requests each (bounded for CI).
No 5xx, and every documented response matches its schema.
"""

import os

import pytest
import requests
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from backend.api import api

ROLES = ["anonymous", "staff", "manager", "enterprise", "owner", "admin"]
EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_EXAMPLES", "6"))
CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]


def operations():
    schema = schemathesis.openapi.from_dict(dict(api.get_openapi_schema(path_prefix="/api/")))
    return [result.ok() for result in schema.get_all_operations()]


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
    tried = 0
    try:
        for operation in operations():

            @given(case=operation.as_strategy())
            @hypothesis_settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True,
                      suppress_health_check=list(HealthCheck), database=None)
            def exercise(case):
                nonlocal tried
                tried += 1
                case.call_and_validate(base_url=live_server.url, session=session, checks=CHECKS)

            exercise()
    finally:
        # A kept-alive connection keeps a live-server thread, and its database
        # connection, alive past the test run: PostgreSQL then refuses to drop the test database.
        session.close()
    print(f"{role}: {tried} generated requests")
    assert tried >= len(operations())
