"""The client's IP behind 0, 1 or 2 reverse proxies (backend/kernel/clientip.py).

Rate limits and the location access log key on it, so a client that writes its
own X-Forwarded-For must not choose the address it is counted under.
"""

import pytest
from django.test import RequestFactory

from backend.kernel.clientip import client_ip

pytestmark = pytest.mark.django_db


def request(remote="203.0.113.9", xff=None):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/api/health", **extra)


@pytest.mark.parametrize(
    "proxies,remote,xff,expected",
    [
        # No proxy: the socket's address; any X-Forwarded-For is the client's own invention.
        (0, "198.51.100.7", None, "198.51.100.7"),
        (0, "198.51.100.7", "1.2.3.4", "198.51.100.7"),
        # One proxy (nginx): it appends the address it saw, the last entry.
        (1, "10.0.0.2", "198.51.100.7", "198.51.100.7"),
        (1, "10.0.0.2", "1.2.3.4, 198.51.100.7", "198.51.100.7"),  # spoofed entry on the left
        (1, "10.0.0.2", "1.2.3.4,5.6.7.8 , 198.51.100.7", "198.51.100.7"),
        # Two proxies (load balancer → nginx): the second entry from the right.
        (2, "10.0.0.3", "198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (2, "10.0.0.3", "1.2.3.4, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        # Fewer entries than proxies: it did not come through all of them.
        (2, "10.0.0.3", "198.51.100.7", "10.0.0.3"),
        (1, "10.0.0.2", "", "10.0.0.2"),
        (1, "10.0.0.2", None, "10.0.0.2"),
        # Not an address at all: the socket's.
        (1, "10.0.0.2", "1.2.3.4, <script>", "10.0.0.2"),
        (1, "10.0.0.2", "1.2.3.4, 2001:db8::1", "2001:db8::1"),
        (0, "unix:/run/gunicorn.sock", None, None),
    ],
)
def test_it_finds_the_client_behind_the_configured_proxies(settings, proxies, remote, xff, expected):
    settings.NUM_PROXIES = proxies
    assert client_ip(request(remote, xff)) == expected


def test_it_counts_failed_logins_per_address_whatever_the_client_claims(client, users, settings):
    # Behind one proxy, a client rotating a spoofed X-Forwarded-For stays one address.
    settings.NUM_PROXIES = 1
    settings.LOGIN_FAILURE_IP_LIMIT = 8  # failures per IP per window, whatever the account
    for i in range(8):
        response = client.post_json(
            "/api/auth/login", {"username": f"guess{i}", "password": "x"},
            REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}, 198.51.100.7",
        )
        assert response.status_code == 401
    blocked = client.post_json(
        "/api/auth/login", {"username": "demo_staff", "password": "dianxiaoer-demo"},
        REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.99, 198.51.100.7",
    )
    assert blocked.status_code == 429
    elsewhere = client.post_json(
        "/api/auth/login", {"username": "demo_staff", "password": "dianxiaoer-demo"},
        REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.8",
    )
    assert elsewhere.status_code == 200


def test_it_logs_a_trail_read_from_a_unix_socket_without_an_address(client, users):
    # A WSGI server on a unix socket gives no IP: the access log stores none instead of failing.
    from backend.visits.models import LocationAccess

    client.login_as("demo_manager")
    response = client.get("/api/trails", {"staff_id": users["staff"].id, "date": "2026-11-17"}, REMOTE_ADDR="")
    assert response.status_code == 200
    assert list(LocationAccess.objects.values_list("subject_id", "ip")) == [(users["staff"].id, None)]
