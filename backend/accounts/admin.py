from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import OrgUnit, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "role", "org_unit", "mobile", "is_active")
    list_filter = ("role", "org_unit", "is_active")
    search_fields = ("username", "display_name", "mobile")
    raw_id_fields = ("enterprise", "owner_unit")
    fieldsets = BaseUserAdmin.fieldsets + (
        ("店小二", {"fields": ("role", "display_name", "mobile", "org_unit", "enterprise", "owner_unit")}),
    )


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent")
