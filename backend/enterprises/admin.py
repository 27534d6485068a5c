from django.contrib import admin

from .models import Enterprise


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("name", "uscc", "industry", "size", "assigned_staff")
    list_filter = ("industry", "size")
    search_fields = ("name", "uscc", "name_initials")
    raw_id_fields = ("assigned_staff",)
