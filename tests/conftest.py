import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    # PBKDF2's deliberate slowness is for attackers, not for a test suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SMS_BACKEND = "backend.accounts.sms.LocmemSmsBackend"
    from backend.accounts.sms import LocmemSmsBackend

    LocmemSmsBackend.outbox.clear()
    yield


@pytest.fixture(autouse=True)
def _clear_cache(request):
    # Rate-limit counters live in the cache; each test starts with none.
    # The database cache needs database access, so only clear it when the test has it.
    if "django_db" in {m.name for m in request.node.iter_markers()} or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames):
        cache.clear()
    yield
