"""Settings for bench/sites_search.py's servers: the app's own, plus the minimal endpoint's URLs."""

from backend.settings import *  # noqa: F403

ROOT_URLCONF = "bench.sites_bench_urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DEBUG = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "ERROR"},
}
