from django.contrib import admin

from .models import Visit


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ("checkin_at", "staff", "enterprise", "distance_m", "within_geofence", "rating")
    list_filter = ("within_geofence", "purpose")
    raw_id_fields = ("staff", "enterprise")
    date_hierarchy = "checkin_at"
