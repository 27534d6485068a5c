from django.contrib import admin

from .models import OwnerUnit, Site


@admin.register(OwnerUnit)
class OwnerUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "contact_name")


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ("name", "type", "status", "building_area_m2", "rent_per_m2_day", "owner_unit")
    list_filter = ("type", "status", "owner_unit")
    search_fields = ("name", "external_id", "address")
