from django.conf import settings
from django.db import models


class Visit(models.Model):
    """One enterprise visit: a GPS check-in and, later, a check-out.

    The server keeps what the phone sent (position, accuracy, device time,
    whether it was queued offline) next to what it saw itself (receive time,
    IP) so that flags can be reviewed later; it never rejects on them.
    """

    class Purpose(models.TextChoices):
        POLICY = "policy", "送政策"
        SERVICE = "service", "送服务"
        FACTORS = "factors", "送要素"
        DEMAND_COLLECTION = "demand_collection", "诉求收集"
        INVESTMENT = "investment", "招商洽谈"
        SAFETY = "safety", "安全检查"

    # Idempotency key made on the phone: the database's unique index, not a
    # read-then-write, is what keeps a replayed check-in from becoming two.
    client_id = models.UUIDField(unique=True)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="visits")

    checkin_at = models.DateTimeField()
    checkin_received_at = models.DateTimeField()
    checkin_lat = models.FloatField()
    checkin_lng = models.FloatField()
    checkin_accuracy_m = models.FloatField(null=True, blank=True)
    checkin_speed = models.FloatField(null=True, blank=True)
    checkin_heading = models.FloatField(null=True, blank=True)
    checkin_ip = models.GenericIPAddressField(null=True, blank=True)
    queued = models.BooleanField(default=False)
    distance_m = models.FloatField()
    within_geofence = models.BooleanField()

    checkout_client_id = models.UUIDField(unique=True, null=True, blank=True)
    checkout_at = models.DateTimeField(null=True, blank=True)
    checkout_received_at = models.DateTimeField(null=True, blank=True)
    checkout_lat = models.FloatField(null=True, blank=True)
    checkout_lng = models.FloatField(null=True, blank=True)
    checkout_accuracy_m = models.FloatField(null=True, blank=True)

    purpose = models.CharField(max_length=20, choices=Purpose.choices, blank=True)
    people_met = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    flags = models.JSONField(default=list, blank=True)

    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.TextField(blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["staff", "checkin_at"], name="visit_staff_time"),
            models.Index(fields=["enterprise", "checkin_at"], name="visit_enterprise_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="visit_rating_1_5",
            ),
        ]
