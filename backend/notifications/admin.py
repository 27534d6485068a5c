from django.contrib import admin

from .models import Batch, Delivery, DeliveryAttempt, Notice, PushSubscription
from .selectors import batch_summary


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "kind", "title", "read_at")
    list_filter = ("kind",)
    search_fields = ("title", "user__username")
    raw_id_fields = ("user", "batch")


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ("id", "created_at", "kind", "title", "channels", "recipients", "delivery_states")
    list_filter = ("kind",)
    search_fields = ("title", "key")
    readonly_fields = ("key", "kind", "title", "body", "url", "channels", "recipients", "created_at", "delivery_states")

    @admin.display(description="投递情况")
    def delivery_states(self, batch: Batch) -> str:
        summary = batch_summary(batch=batch)["summary"]
        return "；".join(
            f"{channel}: " + "，".join(f"{status} {n}" for status, n in entry["counts"].items())
            for channel, entry in summary.items()
        )

    def has_add_permission(self, request) -> bool:
        return False  # batches are sent by the app (batch_send), never typed in


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("number", "started_at", "finished_at", "outcome", "code", "request_id", "detail")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("id", "batch", "channel", "address", "status", "attempts", "next_attempt_at", "reason")
    list_filter = ("channel", "status")
    search_fields = ("address", "provider_id")
    raw_id_fields = ("batch", "user", "subscription")
    readonly_fields = ("provider_id", "sent_at", "delivered_at", "created_at", "locked_until", "receipt_checks")
    inlines = [AttemptInline]


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "created_at", "last_success_at", "user_agent")
    search_fields = ("user__username",)
    raw_id_fields = ("user",)
    readonly_fields = ("endpoint", "endpoint_hash", "p256dh", "auth")
