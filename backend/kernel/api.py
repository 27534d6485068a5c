"""`KernelAPI`: the NinjaAPI every router is mounted on, with what all of them share.

Before any operation runs (before authentication and validation):

- **CSRF on every unsafe method**, logged in or not. ninja checks CSRF only
  inside session auth, so an anonymous POST (login, SMS code, rating) was
  checked only where someone remembered to call a helper; now none can forget.
- **Unknown query parameters are refused** (422). ninja hands a Query schema
  only the names it declares, so `extra="forbid"` never sees the rest, and a
  misspelt filter (`area_mim=500`) silently returned unfiltered results.

And for every answer:

- JSON through `jsonout.dumps()`: no NaN or Infinity, ever;
- errors as `{"detail": "中文说明", "code": "...", "errors": {field: 中文说明}}`;
- a request body over DATA_UPLOAD_MAX_MEMORY_SIZE is the JSON 413 the README
  promises, not Django's HTML 400 page.
"""

import json
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, JsonResponse
from django.views import defaults
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.operation import Operation
from ninja.parser import Parser
from ninja.utils import check_csrf

from backend.errors import Forbidden, PayloadTooLarge, RateLimited, ServiceError, ServiceUnavailable
from backend.validation import field_errors

from .jsonout import FiniteJSONRenderer

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
CSRF_FAILED = "CSRF 校验失败，请刷新页面后重试"


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


class StrictJSONParser(Parser):
    """JSON bodies as the standard defines them: Python also accepts NaN and Infinity."""

    def parse_body(self, request: HttpRequest):
        return json.loads(request.body, parse_constant=_refuse_constant)


def known_query_names(operation: Operation) -> frozenset[str]:
    names: set[str] = set()
    for model in operation.models:
        if model.__ninja_param_source__ == "query":
            names.update(getattr(model, "__ninja_flatten_map__", None) or model.model_fields)
    return frozenset(names)


def _operation_of(run) -> Operation:
    # ninja applies view-mode decorators to each bound operation's `run` method.
    operation = getattr(run, "__self__", None)
    if not isinstance(operation, Operation):
        raise TypeError("the HTTP kernel must wrap an Operation's own run(); is another view decorator applied first?")
    return operation


TOO_LARGE = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


def _too_large(exc: Exception) -> PayloadTooLarge:
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge("请求内容过大，请精简后再提交")
    return PayloadTooLarge("请求中的字段或文件过多")


def bad_request(request: HttpRequest, exception: Exception | None = None):
    """Django's handler400 (backend/urls.py), for what happens outside an API operation:
    Django itself reads a form (the admin's CSRF check) and finds it too large."""
    if isinstance(exception, TOO_LARGE):
        error = _too_large(exception)
        return JsonResponse({"detail": error.detail, "code": error.code}, status=error.status)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "请求无效", "code": "bad_request"}, status=400)
    return defaults.bad_request(request, exception)


class KernelAPI(NinjaAPI):
    def __init__(self, **kwargs: Any):
        kwargs.setdefault("renderer", FiniteJSONRenderer())
        kwargs.setdefault("parser", StrictJSONParser())
        super().__init__(**kwargs)
        self.add_decorator(self._guard, mode="view")
        self.add_exception_handler(ServiceError, self._service_error)
        self.add_exception_handler(ValidationError, self._validation_error)
        self.add_exception_handler(AuthenticationError, self._not_logged_in)
        self.add_exception_handler(HttpError, self._http_error)
        for exc_class in TOO_LARGE:
            self.add_exception_handler(exc_class, lambda request, exc: self._service_error(request, _too_large(exc)))

    # --- before every operation ---------------------------------------------------

    def _guard(self, run):
        operation = _operation_of(run)
        known = known_query_names(operation)

        def guarded(request: HttpRequest, *args, **kwargs):
            try:
                self._check(request, known)
            except Exception as exc:  # shaped like any error the operation itself raises
                return self.on_exception(request, exc)
            return run(request, *args, **kwargs)

        return guarded

    def _check(self, request: HttpRequest, known: frozenset[str]) -> None:
        if request.method not in SAFE_METHODS:
            if check_csrf(request) is not None:
                raise Forbidden(CSRF_FAILED, code="csrf_failed")
            # Checked: session auth need not run the same check a second time.
            request._ninja_csrf_exempt = True
        unknown = sorted(set(request.GET) - known)
        if unknown:
            raise ValidationError(
                [{"loc": ("query", name), "type": "extra_forbidden", "msg": "不允许提交此字段"} for name in unknown]
            )

    # --- errors -----------------------------------------------------------------

    def _service_error(self, request: HttpRequest, exc: ServiceError):
        body: dict[str, Any] = {"detail": exc.detail, "code": exc.code}
        if exc.field:
            body["errors"] = {exc.field: exc.detail}
        response = self.create_response(request, body, status=exc.status)
        if isinstance(exc, (RateLimited, ServiceUnavailable)):
            response["Retry-After"] = str(exc.retry_after)
        return response

    def _validation_error(self, request: HttpRequest, exc: ValidationError):
        errors = field_errors(exc.errors)
        detail = "提交的内容有误：" + "；".join(f"{k}：{v}" for k, v in errors.items())
        return self.create_response(request, {"detail": detail, "code": "invalid", "errors": errors}, status=422)

    def _not_logged_in(self, request: HttpRequest, exc: AuthenticationError):
        return self.create_response(request, {"detail": "请先登录", "code": "not_authenticated"}, status=401)

    def _http_error(self, request: HttpRequest, exc: HttpError):
        detail, code = str(exc), "http_error"
        if exc.status_code == 403 and "CSRF" in detail:
            detail, code = CSRF_FAILED, "csrf_failed"
        elif exc.status_code == 400 and detail.startswith("Cannot parse request body"):
            detail, code = "提交的内容不是有效的 JSON", "invalid_json"
        elif exc.status_code == 429:
            detail, code = "请求过于频繁，请稍后再试", "rate_limited"
        return self.create_response(request, {"detail": detail, "code": code}, status=exc.status_code)
