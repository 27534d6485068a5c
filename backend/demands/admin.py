from django.contrib import admin

from .models import VisitDemand


@admin.register(VisitDemand)
class VisitDemandAdmin(admin.ModelAdmin):
    list_display = ("id", "category", "text", "visit", "created_at")
    list_filter = ("category",)
    search_fields = ("text",)
    raw_id_fields = ("visit",)
