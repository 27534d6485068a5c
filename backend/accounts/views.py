from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from .throttle import device_remember


def admin_login(request: HttpRequest) -> HttpResponse:
    """Django's admin login, whose form goes through the login limiter
    (admin.AdminLoginForm); here only the status code and the known-device cookie."""
    response = admin.site.login(request)
    wait = getattr(request, "login_throttled_wait", None)
    if wait:
        response.status_code = 429
        response["Retry-After"] = str(wait)
    elif request.method == "POST" and request.user.is_authenticated:
        device_remember(request, response, request.user.get_username())
    return response
