from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import authenticate
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError

from backend.errors import RateLimited

from .models import OrgUnit, User
from .services import login_attempt_start


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "role", "org_unit", "mobile", "is_active")
    list_filter = ("role", "org_unit", "is_active")
    search_fields = ("username", "display_name", "mobile")
    fieldsets = BaseUserAdmin.fieldsets + (
        # The enterprise / owner unit a user acts for: 企业成员 and 资源持有单位成员 in their apps' admin.
        ("店小二", {"fields": ("role", "display_name", "mobile", "org_unit")}),
    )


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent")


class AdminLoginForm(AdminAuthenticationForm):
    """/admin/login/ through the same login limiter as the API (services.login_attempt_start)."""

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return self.cleaned_data
        try:
            attempt = login_attempt_start(request=self.request, account=username)
        except RateLimited as throttled:
            # The view answers 429 with Retry-After (backend/accounts/views.py).
            self.request.login_throttled_wait = throttled.retry_after
            raise ValidationError(throttled.detail, code="throttled") from None
        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None:
            attempt.failed()
            raise self.get_invalid_login_error()
        attempt.succeeded()
        self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


admin.site.login_form = AdminLoginForm
