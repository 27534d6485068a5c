from django.contrib import admin

from .models import Enterprise, EnterpriseMember


class EnterpriseMemberInline(admin.TabularInline):
    model = EnterpriseMember
    raw_id_fields = ("user",)
    extra = 0


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("name", "uscc", "industry", "size", "assigned_staff", "pending")
    list_filter = ("pending", "industry", "size")
    search_fields = ("name", "uscc", "name_initials")
    raw_id_fields = ("assigned_staff",)
    inlines = [EnterpriseMemberInline]


@admin.register(EnterpriseMember)
class EnterpriseMemberAdmin(admin.ModelAdmin):
    """企业成员: which enterprise a user acts for (set `until` to end it; add a row to move them)."""

    list_display = ("user", "enterprise", "since", "until")
    list_filter = ("until",)
    search_fields = ("user__username", "user__mobile", "enterprise__name")
    raw_id_fields = ("user", "enterprise")
