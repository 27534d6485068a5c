"""Notices and their delivery: one batch per message, one delivery per recipient and channel.

A domain app sends a message with `batch_send` (or `notice_create`/`notices_create`);
the batch keeps what was said and to whom, under an idempotency key, so that the same
batch sent twice delivers once. The inbox row (`Notice`) is written with the batch, in
the caller's transaction, and is its own delivery record (sent, then read). SMS and
Web Push are external: each has a `Delivery` with a status and its `DeliveryAttempt`s,
sent by background tasks (`delivery.py`).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Batch(models.Model):
    """One message to a set of recipients (an inquiry's owners, a policy campaign's 30,000 enterprises)."""

    key = models.CharField(max_length=200, unique=True)
    # "<app>.<event>" (e.g. "sites.inquiry"): each app adds kinds without a migration here.
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    channels = models.CharField(max_length=40, help_text="inbox,sms,push: what the policy chose")
    recipients = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "发送批次"
        verbose_name_plural = "发送批次"
        indexes = [models.Index(fields=["-created_at"], name="batch_time")]

    def __str__(self) -> str:
        return self.title


class Notice(models.Model):
    """One message in a user's in-app inbox (站内消息).

    The inbox is the channel that always works; Web Push and SMS point people to it.
    As a delivery it is "sent" when written and "read" when read.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    batch = models.ForeignKey(Batch, null=True, blank=True, on_delete=models.SET_NULL, related_name="notices")
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


class PushSubscription(models.Model):
    """A browser's Web Push subscription (PushSubscription.toJSON()); a user may have several devices."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.CharField(max_length=1000)
    # SHA-256 of the endpoint: a short unique key (an index on 1,000 characters is not).
    endpoint_hash = models.CharField(max_length=64, unique=True)
    p256dh = models.CharField(max_length=100)
    auth = models.CharField(max_length=50)
    user_agent = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_success_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "推送订阅"
        verbose_name_plural = "推送订阅"

    def __str__(self) -> str:
        return f"{self.user_id}: {self.endpoint[:60]}"


class Delivery(models.Model):
    """One message to one recipient over one external channel (SMS or push)."""

    class Channel(models.TextChoices):
        SMS = "sms", "短信"
        PUSH = "push", "推送"

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        SENDING = "sending", "发送中"
        SENT = "sent", "已发送"
        DELIVERED = "delivered", "已送达"
        FAILED = "failed", "失败"

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    # The mobile number (SMS) or the subscription's id (push) this delivery goes to.
    address = models.CharField(max_length=32)
    subscription = models.ForeignKey(PushSubscription, null=True, blank=True, on_delete=models.SET_NULL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # While SENDING: until when the attempt's worker owns it. Past it, the worker is taken for dead.
    locked_until = models.DateTimeField(null=True, blank=True)
    # The provider's id of the accepted message (Alibaba's BizId), for receipts.
    provider_id = models.CharField(max_length=64, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    receipt_checks = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "投递"
        verbose_name_plural = "投递"
        constraints = [
            # Exactly one delivery per batch, channel and address, however often the batch is sent.
            models.UniqueConstraint(fields=["batch", "channel", "address"], name="delivery_once_per_address"),
        ]
        indexes = [
            models.Index(fields=["batch", "channel", "status"], name="delivery_batch_status"),
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} → {self.address}: {self.status}"

    @property
    def out_id(self) -> str:
        """Our id for this message at the provider (echoed in its records): "dxe" + the delivery id."""
        return f"dxe{self.id}"


class DeliveryAttempt(models.Model):
    """One try at a delivery: when, what happened, and the provider's request id and code."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "进行中"
        OK = "ok", "成功"
        TEMPORARY = "temporary", "暂时失败"
        PERMANENT = "permanent", "失败"
        # The worker died, or the answer was lost: whether the provider took it was unknown.
        UNKNOWN = "unknown", "结果未知"

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    code = models.CharField(max_length=64, blank=True)
    request_id = models.CharField(max_length=300, blank=True)
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "投递尝试"
        verbose_name_plural = "投递尝试"
        constraints = [models.UniqueConstraint(fields=["delivery", "number"], name="attempt_number_once")]

    def __str__(self) -> str:
        return f"#{self.number} {self.outcome}"
