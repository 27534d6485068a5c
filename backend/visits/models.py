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
    # "lat,lng" to 6 decimals, indexed: finds the same fix reused at another place or day.
    checkin_point_key = models.CharField(max_length=32, db_index=True, blank=True)
    # SHA-256 of the canonical request body: a replay must match it exactly (else 409).
    checkin_fingerprint = models.CharField(max_length=64, blank=True)

    checkout_client_id = models.UUIDField(unique=True, null=True, blank=True)
    checkout_at = models.DateTimeField(null=True, blank=True)
    checkout_received_at = models.DateTimeField(null=True, blank=True)
    checkout_lat = models.FloatField(null=True, blank=True)
    checkout_lng = models.FloatField(null=True, blank=True)
    checkout_accuracy_m = models.FloatField(null=True, blank=True)
    checkout_distance_m = models.FloatField(null=True, blank=True)
    checkout_point_key = models.CharField(max_length=32, db_index=True, blank=True)
    checkout_fingerprint = models.CharField(max_length=64, blank=True)
    checkout_flags = models.JSONField(default=list, blank=True)

    purpose = models.CharField(max_length=20, choices=Purpose.choices, blank=True)
    people_met = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    flags = models.JSONField(default=list, blank=True)

    # Random token in the QR code the staff phone shows after check-out.
    rating_token = models.CharField(max_length=32, unique=True, null=True, blank=True)
    # The rating that counts (team report, trends, dashboard): given by a logged-in
    # user of the visited enterprise, `rated_by` (the demo town loads its ratings
    # as such). The link is on the official's own phone, so a rating sent without
    # logging in could be anyone's, the official's too: it is kept apart below,
    # shown to the manager, and counts nowhere; a verified rating may follow it.
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.TextField(blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unverified_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    unverified_comment = models.TextField(blank=True)
    unverified_rated_at = models.DateTimeField(null=True, blank=True)
    # Set when the retention job rounded this visit's positions to ~100 m.
    coarsened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["staff", "checkin_at"], name="visit_staff_time"),
            models.Index(fields=["enterprise", "checkin_at"], name="visit_enterprise_time"),
            models.Index(fields=["staff", "checkout_at"], name="visit_staff_checkout"),
            # Reports scan a month of everyone's visits by time. On PostgreSQL the
            # INCLUDE columns make that an index-only scan (5M visits: 600 → 300 ms);
            # SQLite ignores INCLUDE and still gets the time index.
            models.Index(
                fields=["checkin_at"],
                include=["staff", "enterprise", "checkout_at", "rating"],
                name="visit_time_cover",
            ),
            # Flagged visits are ~2%: a partial index counts them without touching the rest.
            models.Index(
                fields=["checkin_at"],
                include=["staff"],
                condition=~models.Q(flags=[], checkout_flags=[]),
                name="visit_flagged_time",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="visit_rating_1_5",
            ),
            models.CheckConstraint(
                condition=models.Q(unverified_rating__isnull=True) | models.Q(unverified_rating__gte=1, unverified_rating__lte=5),
                name="visit_unverified_rating_1_5",
            ),
        ]

    @property
    def duration_s(self) -> int | None:
        if self.checkout_at is None:
            return None
        return int((self.checkout_at - self.checkin_at).total_seconds())


# Demands (诉求) recorded on a visit live in backend.demands (Demand.visit, related name `demands`).


def _photo_path(photo: "VisitPhoto", filename: str) -> str:
    # Our own name: the phone's file name is user input and not trusted in a path.
    return f"visits/{photo.visit_id}/{photo.client_id}.{photo.content_type.split('/')[-1]}"


def _thumb_path(photo: "VisitPhoto", filename: str) -> str:
    return f"visits/{photo.visit_id}/{photo.client_id}-thumb.jpg"


class VisitPhoto(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    client_id = models.UUIDField(unique=True)
    image = models.FileField(upload_to=_photo_path)
    thumbnail = models.FileField(upload_to=_thumb_path)
    content_type = models.CharField(max_length=20)
    size_bytes = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    exif_lat = models.FloatField(null=True, blank=True)
    exif_lng = models.FloatField(null=True, blank=True)
    # Distance from the check-in to where the photo says it was taken, if it says.
    exif_distance_m = models.FloatField(null=True, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)


class FlagReview(models.Model):
    """A manager's verdict on one flag of one visit, and the staff member's explanation."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        ACCEPTED = "accepted", "认可（无问题）"
        EXPLAINED = "explained", "已说明"
        REJECTED = "rejected", "不认可"

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="flag_reviews")
    flag = models.CharField(max_length=32)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    comment = models.TextField(blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    explanation = models.TextField(blank=True)
    explained_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["visit", "flag"], name="flag_review_once_per_flag")]


class LocationAccess(models.Model):
    """Append-only: who read whose whereabouts, when (PIPL: location is sensitive data).

    Nothing in the code updates or deletes these rows; staff can list who looked at theirs.
    """

    class What(models.TextChoices):
        TRAIL = "trail", "查看轨迹"
        VISIT = "visit", "查看走访签到位置"
        VISIT_LIST = "visit_list", "查看走访列表"
        EXPORT = "export", "导出走访记录"

    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="location_reads")
    what = models.CharField(max_length=12, choices=What.choices)
    detail = models.CharField(max_length=100, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["subject", "at"], name="access_subject_time")]
