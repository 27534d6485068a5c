"""Helpers shared by the API tests (importable, unlike conftest fixtures)."""

from django.test import Client

from backend.enterprises.uscc import check_character

PASSWORD = "dianxiaoer-demo"


class ApiClient(Client):
    """A browser-like client: CSRF checks on, token taken from the cookie like the PWA does."""

    def __init__(self, **kwargs):
        super().__init__(enforce_csrf_checks=True, **kwargs)

    def token(self) -> str:
        if "csrftoken" not in self.cookies:
            self.get("/api/auth/csrf")
        return self.cookies["csrftoken"].value

    def post_json(self, url, data=None, *, csrf=True, **extra):
        if csrf:
            extra["HTTP_X_CSRFTOKEN"] = self.token()
        return self.post(url, data or {}, content_type="application/json", **extra)

    def login_as(self, username, password=PASSWORD):
        response = self.post_json("/api/auth/login", {"username": username, "password": password})
        assert response.status_code == 200, response.content
        return response


def make_user(username: str, role: str, *, enterprise=None, owner_unit=None, password: str = PASSWORD, **fields):
    """A user, and the enterprise / owner unit they act for (membership rows, not fields of User)."""
    from backend.accounts.models import User
    from backend.enterprises.services import enterprise_member_add
    from backend.sites.services import owner_unit_member_add

    user = User.objects.create_user(username=username, password=password, role=role, **fields)
    if enterprise is not None:
        enterprise_member_add(user=user, enterprise=enterprise)
    if owner_unit is not None:
        owner_unit_member_add(user=user, owner_unit=owner_unit)
    return user


def members_bulk_create(*, user_ids, enterprise) -> None:
    from backend.enterprises.models import EnterpriseMember

    EnterpriseMember.objects.bulk_create([EnterpriseMember(user_id=i, enterprise=enterprise) for i in user_ids], batch_size=1000)


def new_logged_in_client(username: str, password: str = PASSWORD) -> ApiClient:
    client = ApiClient()
    client.login_as(username, password)
    return client


def valid_uscc(prefix15: str) -> str:
    """A valid unified social credit code from 15 leading characters."""
    body = prefix15 + "00"
    return body + check_character(body)


def run_tasks(*, limit: int = 10_000) -> int:
    """Run the queued background tasks here, in the test's transaction; returns how many ran.

    The same claim-and-run as `manage.py run_worker`, without its loop: the loop closes
    "old" database connections, which would end the test's transaction.
    """
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id="test-worker", excluded_queue_names=[],
    )
    ran = 0
    while ran < limit and (result := DBTaskResult.objects.ready().first()) is not None:
        result.claim("test-worker")
        worker.run_task(result)
        ran += 1
    return ran
