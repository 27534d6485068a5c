from django.contrib import admin
from django.urls import include, path

from backend.accounts.views import admin_login
from backend.api import api
from backend.views import service_worker, shell

# An oversize form read by Django itself (before any view) is the JSON 413 too.
handler400 = "backend.kernel.api.bad_request"

urlpatterns = [
    path("api/", api.urls),
    # Before the admin's own: its login form is throttled like every other login.
    path("admin/login/", admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    # Ours before django-pwa's: the worker's cache VERSION is filled in (backend/views.py).
    path("serviceworker.js", service_worker, name="serviceworker"),
    # django-pwa: /manifest.json.
    path("", include("pwa.urls")),
    path("", shell, name="shell"),
]
