from django.conf import settings
from django.db import models
from django.utils import timezone


class Notice(models.Model):
    """One message in a user's in-app inbox (站内消息).

    The inbox is the channel that always works; Web Push and SMS (later) only
    point people to it. ``kind`` is "<app>.<event>" (e.g. "sites.inquiry") so
    that each app can add kinds without a migration here.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    # An in-app route the PWA opens, e.g. "#/sites/12".
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"], name="notice_user_time")]

    def __str__(self) -> str:
        return self.title
