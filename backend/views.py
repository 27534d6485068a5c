import functools
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie


@never_cache
@ensure_csrf_cookie
def shell(request):
    """The PWA's one HTML page; screens are drawn by the ES modules it loads.

    never_cache: the service worker keeps its own copy for offline starts, and
    the browser's HTTP cache must not serve a stale shell over it.
    """
    return render(request, "index.html", {"debug": settings.DEBUG})


SW_VERSION_PLACEHOLDER = 'const VERSION = "dev";'
SW_APP_FILES_PLACEHOLDER = "const APP_FILES = [];"
# What the app loads from the vendor packages (settings.STATICFILES_DIRS). Chart.js is left
# out on purpose: only the manager's 报表 draws with it, and it is fetched when first needed.
VENDOR_FILES = (
    "/static/vendor/leaflet/leaflet.css",
    "/static/vendor/leaflet/leaflet-src.esm.js",
    "/static/vendor/leaflet/images/layers.png",
    "/static/vendor/leaflet/images/layers-2x.png",
    "/static/vendor/leaflet/images/marker-icon.png",
    "/static/vendor/leaflet/images/marker-icon-2x.png",
    "/static/vendor/leaflet/images/marker-shadow.png",
    # IndexedDB for the offline outbox: without it nothing could be queued offline.
    "/static/vendor/idb/index.js",
    "/static/vendor/leaflet-markercluster/leaflet.markercluster.js",
    "/static/vendor/leaflet-markercluster/MarkerCluster.css",
)
_SHIPPED_SUFFIXES = (".js", ".css", ".png")


def _frontend_dir() -> Path:
    return Path(settings.PWA_SERVICE_WORKER_PATH).parent


def app_files() -> list[str]:
    """Every URL the service worker precaches: the shell, the manifest, each file under
    frontend_static/ (served under /static/app/) and VENDOR_FILES.

    Walking the folder means a new module is precached without anyone listing it. This is
    the seam a build step (a bundler's manifest, workbox-build) replaces."""
    root = _frontend_dir()
    shipped = sorted(
        f"{settings.STATIC_URL}app/{path.relative_to(root).as_posix()}"
        for path in root.rglob("*")
        if path.is_file() and path.suffix in _SHIPPED_SUFFIXES and path != Path(settings.PWA_SERVICE_WORKER_PATH)
    )
    return ["/", "/manifest.json", *shipped, *VENDOR_FILES]


def _service_worker_source() -> str:
    """sw.js with APP_FILES filled in, and VERSION set to a hash of the worker, the shell
    template and every static file it precaches. Any front-end change thus installs a new
    service worker on the phones; a forgotten manual bump used to leave them on old code."""
    source = Path(settings.PWA_SERVICE_WORKER_PATH).read_text(encoding="utf-8")
    files = app_files()
    source = source.replace(SW_APP_FILES_PLACEHOLDER, f"const APP_FILES = {json.dumps(files, indent=2)};", 1)
    digest = hashlib.sha256(source.encode())
    digest.update((_frontend_dir() / "index.html").read_bytes())
    for url in files:
        if not url.startswith(settings.STATIC_URL):
            continue
        found = finders.find(url.removeprefix(settings.STATIC_URL))
        # A missing file fails the worker's install on the phone; tests/api/test_deploy.py catches it first.
        digest.update(Path(found).read_bytes() if found else url.encode())
    return source.replace(SW_VERSION_PLACEHOLDER, f'const VERSION = "{digest.hexdigest()[:16]}";', 1)


# Files only change with a deploy, which restarts the workers; DEBUG hashes on every request.
_cached_service_worker_source = functools.cache(_service_worker_source)


@never_cache
def service_worker(request):
    """/serviceworker.js (replaces django-pwa's view, which serves the file as it is).

    never_cache: browsers already re-check the worker at least daily; no HTTP cache
    should stretch that."""
    source = _service_worker_source() if settings.DEBUG else _cached_service_worker_source()
    return HttpResponse(source, content_type="application/javascript")
