from django.contrib import admin

from .models import Demand, DemandTransition


class TransitionInline(admin.TabularInline):
    model = DemandTransition
    extra = 0
    can_delete = False
    readonly_fields = ("at", "actor", "action", "from_status", "to_status", "rating", "comment")

    def has_add_permission(self, request, obj=None):
        return False  # steps are taken through the API, never typed in


@admin.register(Demand)
class DemandAdmin(admin.ModelAdmin):
    list_display = ("id", "enterprise", "category", "channel", "status", "assignee", "assignee_unit", "created_at")
    list_filter = ("status", "channel", "category")
    search_fields = ("description", "enterprise__name")
    raw_id_fields = ("enterprise", "visit", "raised_by")
    # The status moves only through the flow (services), so each change leaves a transition.
    readonly_fields = (
        "status", "assignee", "assignee_unit", "rating", "resolution", "deadline", "deadline_explained", "created_at", "updated_at",
    )
    inlines = [TransitionInline]

    def has_delete_permission(self, request, obj=None):
        return False
