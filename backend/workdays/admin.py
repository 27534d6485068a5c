from django.contrib import admin

from .models import YearSchedule


@admin.register(YearSchedule)
class YearScheduleAdmin(admin.ModelAdmin):
    """Read-only here: an entry goes through PUT /api/workdays/{year}, which validates it and recomputes deadlines."""

    list_display = ("year", "updated_by", "updated_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
