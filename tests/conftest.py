import pytest
from django.core.cache import cache

from apisupport import PASSWORD, ApiClient, make_user
from backend.accounts.models import OrgUnit, User
from backend.enterprises.services import enterprise_create
from backend.sites.models import OwnerUnit


@pytest.fixture(scope="session", autouse=True)
def _front_end_built(django_test_environment):
    # The shell serves the built bundles (backend/frontend.py): build them when a source
    # changed since the last build (about a second; `make install` builds too).
    from django.core.management import call_command

    call_command("build_frontend", if_stale=True)


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    # PBKDF2's deliberate slowness is for attackers, not for a test suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SMS_BACKEND = "backend.sms.backends.LocmemSmsBackend"
    from backend.sms.backends import LocmemSmsBackend

    LocmemSmsBackend.outbox.clear()
    # Holiday schedules are cached per process; a test's YearSchedule rows roll back with it.
    from backend.workdays.selectors import schedule_cache_clear

    schedule_cache_clear()
    yield


@pytest.fixture(autouse=True)
def _clear_cache(request):
    # SMS codes live in the cache; each test starts with none (rate-limit counters are
    # rows of their own, rolled back or flushed with the test database).
    # The database cache needs database access, so only clear it when the test has it.
    if "django_db" in {m.name for m in request.node.iter_markers()} or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames):
        cache.clear()
    yield


# Shared world for API, contract and reliability tests: a town, a team and one user per role.
@pytest.fixture
def town(db):
    town = OrgUnit.objects.create(code="QF", name="青枫镇", kind=OrgUnit.Kind.TOWN)
    team = OrgUnit.objects.create(code="T1", name="招商一组", kind=OrgUnit.Kind.TEAM, parent=town)
    return {"town": town, "team": team}


@pytest.fixture
def enterprise(db):
    return enterprise_create(uscc="91350100M000100Y43", name="上海青枫示范科技有限公司", lat=31.12, lng=121.42, industry="C")


@pytest.fixture
def owner_unit(db):
    return OwnerUnit.objects.create(code="OU001", name="青枫镇东湾村经济合作社")


@pytest.fixture
def users(town, enterprise, owner_unit):
    def make(username, role, **extra):
        return make_user(username, role, **extra)

    return {
        "staff": make("demo_staff", User.Role.STAFF, org_unit=town["team"], display_name="王小明"),
        "manager": make("demo_manager", User.Role.MANAGER, org_unit=town["team"]),
        "enterprise": make("demo_enterprise", User.Role.ENTERPRISE, enterprise=enterprise, mobile="13800001234"),
        "owner": make("demo_owner", User.Role.OWNER, owner_unit=owner_unit),
        "admin": make("demo_admin", User.Role.ADMIN),
    }


@pytest.fixture
def client():
    return ApiClient()
