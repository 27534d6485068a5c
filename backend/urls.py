from django.contrib import admin
from django.urls import include, path

from backend.api import api
from backend.views import shell

urlpatterns = [
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    # django-pwa: /manifest.json and /serviceworker.js (our frontend_static/sw.js).
    path("", include("pwa.urls")),
    path("", shell, name="shell"),
]
