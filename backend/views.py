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

from backend import frontend
from backend.frontend import app_files


@never_cache
@ensure_csrf_cookie
def shell(request):
    """The PWA's one HTML page; screens are drawn by the ES modules it loads.

    never_cache: the service worker keeps its own copy for offline starts, and
    the browser's HTTP cache must not serve a stale shell over it.
    """
    if settings.DEBUG and settings.FRONTEND_BUILD:
        frontend.build_if_stale()
    visitor = not request.user.is_authenticated
    return render(request, "index.html", {"debug": settings.DEBUG, "visitor": visitor, **frontend.shell_assets(anonymous=visitor)})


SW_VERSION_PLACEHOLDER = 'const VERSION = "dev";'
SW_APP_FILES_PLACEHOLDER = "const APP_FILES = [];"


def _service_worker_source() -> str:
    """sw.js with APP_FILES filled in, and VERSION set to a hash of the worker, the shell
    template and every static file it precaches. Any front-end change thus installs a new
    service worker on the phones; a forgotten manual bump used to leave them on old code."""
    source = Path(settings.PWA_SERVICE_WORKER_PATH).read_text(encoding="utf-8")
    files = app_files()
    source = source.replace(SW_APP_FILES_PLACEHOLDER, f"const APP_FILES = {json.dumps(files, indent=2)};", 1)
    digest = hashlib.sha256(source.encode())
    digest.update((frontend.source_dir() / "index.html").read_bytes())
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
