from django.conf import settings
from django.http import JsonResponse


class RequestSizeLimitMiddleware:
    """Refuse an oversize body from its Content-Length, before Django reads it.

    Django streams file uploads to disk without a size limit; the photo endpoint
    checks its own 10 MB, but nothing should have to receive a gigabyte first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            limit_mb = settings.MAX_REQUEST_BYTES // (1024 * 1024)
            return JsonResponse({"detail": f"请求内容过大（上限约{limit_mb}MB）", "code": "too_large"}, status=413)
        return self.get_response(request)
