"""The one NinjaAPI: mounts each app's Router under /api/ and shapes every error."""

import logging

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import django_auth

import backend.converters  # noqa: F401  (registers {id:...} before any route is built)
from backend.accounts.api import router as auth_router
from backend.basemap.api import router as basemap_router
from backend.enterprises.api import router as enterprises_router
from backend.errors import RateLimited, ServiceError
from backend.jobs.api import router as jobs_router
from backend.notifications.api import router as notifications_router
from backend.reports.api import router as reports_router
from backend.sites.api import router as sites_router
from backend.visits.api import ratings_router, trails_router
from backend.visits.api import router as visits_router
from backend.validation import field_errors

api = NinjaAPI(
    title="店小二 API",
    version="1",
    description="走访打卡、闲置场地、留痕管理。坐标一律为 WGS-84 十进制度。",
    docs_url="/docs",
    auth=django_auth,
    urls_namespace="api",
)

api.add_router("/auth", auth_router)
api.add_router("/", basemap_router)
api.add_router("/enterprises", enterprises_router)
api.add_router("/visits", visits_router)
api.add_router("/ratings", ratings_router)
api.add_router("/trails", trails_router)
api.add_router("/reports", reports_router)
api.add_router("/sites", sites_router)
api.add_router("/notifications", notifications_router)
api.add_router("/jobs", jobs_router)


@api.get("/health", auth=None, tags=["ops"], summary="Liveness and database check for the load balancer")
def health(request: HttpRequest):
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database failure means "take me out of rotation"
        logging.getLogger(__name__).exception("health check: database unreachable")
        return api.create_response(request, {"status": "error", "database": "unreachable"}, status=503)
    return {"status": "ok", "database": connection.vendor}


@api.exception_handler(ServiceError)
def service_error(request: HttpRequest, exc: ServiceError):
    body = {"detail": exc.detail, "code": exc.code}
    if exc.field:
        body["errors"] = {exc.field: exc.detail}
    response = api.create_response(request, body, status=exc.status)
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError):
    errors = field_errors(exc.errors)
    return api.create_response(
        request,
        {"detail": "提交的内容有误：" + "；".join(f"{k}：{v}" for k, v in errors.items()), "code": "invalid", "errors": errors},
        status=422,
    )


@api.exception_handler(AuthenticationError)
def not_logged_in(request: HttpRequest, exc: AuthenticationError):
    return api.create_response(request, {"detail": "请先登录", "code": "not_authenticated"}, status=401)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError):
    detail = str(exc)
    if exc.status_code == 403 and "CSRF" in detail:
        detail = "CSRF 校验失败，请刷新页面后重试"
    elif exc.status_code == 429:
        detail = "请求过于频繁，请稍后再试"
    return api.create_response(request, {"detail": detail}, status=exc.status_code)
