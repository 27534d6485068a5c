"""The app's settings plus two baseline endpoints, for the load benchmark only (never deployed)."""

from backend.settings import *  # noqa: F403

ROOT_URLCONF = "bench.load.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
