from django.contrib import admin

from .models import Claim


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    """企业认领: decided through the API (which opens the membership and tells the claimant);
    here to look up and audit, so nothing is editable."""

    list_display = ("enterprise", "user", "status", "how_verified", "created_at", "decided_by", "decided_at")
    list_filter = ("status", "how_verified")
    search_fields = ("enterprise__name", "enterprise__uscc", "user__username", "user__mobile", "name")
    readonly_fields = [f.name for f in Claim._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
