from django.contrib import admin
from django.urls import include, path

from backend.api import api
from backend.views import service_worker, shell

urlpatterns = [
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    # Ours before django-pwa's: the worker's cache VERSION is filled in (backend/views.py).
    path("serviceworker.js", service_worker, name="serviceworker"),
    # django-pwa: /manifest.json.
    path("", include("pwa.urls")),
    path("", shell, name="shell"),
]
