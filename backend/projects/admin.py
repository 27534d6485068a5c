from django.contrib import admin

from .models import Stage


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    """A town's own pipeline (issue 15 item 2): the rows with its town; without any, the
    default rows (no town) apply. Stages in use are kept (PROTECT): rename them, don't delete."""

    list_display = ("town", "order", "code", "name", "phase", "probability", "stale_days", "evidence_required", "needs_approval")
    list_display_links = ("name",)
    list_filter = ("town",)
    ordering = ("town", "order")
