from django.conf import settings
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
