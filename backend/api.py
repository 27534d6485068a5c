"""The one NinjaAPI: mounts each app's Router under /api/ (what they share: backend/kernel/)."""

import logging

from django.http import HttpRequest
from ninja.security import django_auth

import backend.converters  # noqa: F401  (registers {id:...} before any route is built)
from backend.accounts.api import router as auth_router
from backend.basemap.api import router as basemap_router
from backend.consultations.api import router as consultations_router
from backend.demands.api import router as demands_router
from backend.economy.api import router as economy_router
from backend.enterprises.api import router as enterprises_router
from backend.jobs.api import router as jobs_router
from backend.join.api import router as join_router
from backend.kernel.api import KernelAPI
from backend.notifications.api import router as notifications_router
from backend.policies.api import me_router as policies_me_router
from backend.policies.api import router as policies_router
from backend.projects.api import router as projects_router
from backend.reports.api import router as reports_router
from backend.sites.api import router as sites_router
from backend.visits.api import ratings_router, trails_router
from backend.visits.api import router as visits_router
from backend.workdays.api import router as workdays_router

api = KernelAPI(
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
api.add_router("/workdays", workdays_router)
api.add_router("/demands", demands_router)
api.add_router("/join", join_router)
api.add_router("/consultations", consultations_router)
api.add_router("/economy", economy_router)
api.add_router("/policies", policies_router)
api.add_router("/me", policies_me_router)
api.add_router("/projects", projects_router)


@api.get("/health", auth=None, tags=["ops"], summary="Liveness and database check for the load balancer")
def health(request: HttpRequest):
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database failure means "take me out of rotation"
        logging.getLogger(__name__).exception("health check: database unreachable")
        return api.create_response(request, {"status": "error", "database": "unreachable"}, status=503)
    # Not the database engine's name: an anonymous caller has no use for it.
    return {"status": "ok", "database": "ok"}
