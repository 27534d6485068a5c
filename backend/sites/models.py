from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from backend.accounts.memberships import Membership

# Listings not confirmed by their owner for this long are shown as 待确认 and the owner is reminded.
CONFIRM_AFTER_DAYS = 90
# Only an offer needs confirming that it still stands: a leased site is not nagged
# about nor shown as 待确认 (search cards, the owner's filter and the reminder agree).
STATUSES_TO_CONFIRM = ("vacant", "reserved")


class OwnerUnit(models.Model):
    """资源持有单位: a village cooperative or the town's collective asset company."""

    class Kind(models.TextChoices):
        VILLAGE_COOP = "village_coop", "村经济合作社"
        TOWN_COMPANY = "town_company", "镇集体资产公司"
        OTHER = "other", "其他"

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.VILLAGE_COOP)
    contact_name = models.CharField(max_length=50, blank=True)
    contact_mobile = models.CharField(max_length=20, blank=True)
    address = models.CharField(max_length=255, blank=True)

    def __str__(self) -> str:
        return self.name


class OwnerUnitMember(Membership):
    """A user who manages an owner unit's listings (资源持有单位账号), from `since` until `until`.

    Owned by `sites`, not accounts.User: the ground floor knows no domain. At most one
    membership per user is current.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="owner_unit_memberships")
    owner_unit = models.ForeignKey(OwnerUnit, on_delete=models.PROTECT, related_name="members")
    target = "owner_unit"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(until__isnull=True), name="owner_unit_member_one_current"),
        ]
        indexes = [models.Index(fields=["owner_unit", "until"], name="owner_unit_member_unit")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.owner_unit_id}"


class Site(models.Model):
    """An idle collective-asset site (闲置场地). Point + bbox columns, no GeoDjango."""

    class Type(models.TextChoices):
        FACTORY = "factory", "厂房"
        OFFICE = "office", "办公"
        WAREHOUSE = "warehouse", "仓库"
        SHOP = "shop", "商铺"
        LAND = "land", "土地"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        VACANT = "vacant", "空置"
        RESERVED = "reserved", "洽谈中"
        LEASED = "leased", "已出租"

    class RentUnit(models.TextChoices):
        YUAN_M2_DAY = "yuan_m2_day", "元/m²/天"
        YUAN_M2_MONTH = "yuan_m2_month", "元/m²/月"
        YUAN_YEAR = "yuan_year", "元/年"

    external_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=12, choices=Type.choices)
    address = models.CharField(max_length=255, blank=True)
    village = models.CharField(max_length=100, blank=True)
    lat = models.FloatField()
    lng = models.FloatField()
    min_lng = models.FloatField()
    min_lat = models.FloatField()
    max_lng = models.FloatField()
    max_lat = models.FloatField()
    footprint = models.JSONField(null=True, blank=True)
    building_area_m2 = models.FloatField(null=True, blank=True)
    land_area_m2 = models.FloatField(null=True, blank=True)
    floors = models.PositiveSmallIntegerField(null=True, blank=True)
    floor_height_m = models.FloatField(null=True, blank=True)
    floor_load_kn_m2 = models.FloatField(null=True, blank=True)
    power_kva = models.FloatField(null=True, blank=True)
    crane = models.BooleanField(null=True, blank=True)
    fire_rating = models.CharField(max_length=20, blank=True)
    land_use = models.CharField(max_length=20, blank=True)
    property_rights = models.CharField(max_length=100, blank=True)
    rent_value = models.FloatField(null=True, blank=True)
    rent_unit = models.CharField(max_length=16, choices=RentUnit.choices, default=RentUnit.YUAN_M2_DAY)
    # Normalised to 元/m²/天 when written, so search can filter and sort on it.
    rent_per_m2_day = models.FloatField(null=True, blank=True, db_index=True)
    # What "area" means in search: the building area, or the land area for land (and
    # buildings without one). Kept in its own column so filters need no CASE expression.
    area_m2 = models.FloatField(null=True, blank=True)
    available_from = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VACANT)
    owner_unit = models.ForeignKey(OwnerUnit, on_delete=models.PROTECT, related_name="sites")
    contact_name = models.CharField(max_length=50, blank=True)
    contact_mobile = models.CharField(max_length=20, blank=True)
    description = models.TextField(blank=True)
    last_confirmed = models.DateField(null=True, blank=True)
    # When the owner was last reminded to confirm, so the daily reminder does not nag every day.
    confirm_reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # Covering indexes for the map search: the bbox range leads (after the
        # type when one is asked for), and the other filter columns ride along
        # so that a count or a page of ids never touches the table. With 100,000
        # sites this took a city-wide count from 24 ms to 2 ms on SQLite.
        indexes = [
            models.Index(fields=["type", "lng", "lat", "status", "area_m2", "rent_per_m2_day"], name="site_search_type"),
            models.Index(fields=["lng", "lat", "type", "status", "area_m2", "rent_per_m2_day"], name="site_search_any"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def contact_name_shown(self) -> str:
        """The site's own contact, else the owner unit's (platform files often give only the unit's)."""
        return self.contact_name or self.owner_unit.contact_name

    @property
    def contact_mobile_shown(self) -> str:
        return self.contact_mobile or self.owner_unit.contact_mobile

    def awaiting_confirmation(self, today=None) -> bool:
        if self.status not in STATUSES_TO_CONFIRM:
            return False
        today = today or timezone.localdate()
        return self.last_confirmed is None or (today - self.last_confirmed).days > CONFIRM_AFTER_DAYS


class SiteDataVersion(models.Model):
    """One row whose (random) number changes with every write to sites.

    Search caches expensive counts and clusters in each process under this
    number; reading one row is far cheaper than counting thousands, and the
    database (unlike the shared cache, which culls entries) never loses it.
    """

    value = models.BigIntegerField(default=0)


def _site_photo_path(photo: "SitePhoto", filename: str) -> str:
    # Our own name: an upload's file name is user input and not trusted in a path.
    return f"sites/{photo.site_id}/{photo.sha256[:32]}.jpg"


def _site_thumb_path(photo: "SitePhoto", filename: str) -> str:
    return f"sites/{photo.site_id}/{photo.sha256[:32]}-thumb.jpg"


class SitePhoto(models.Model):
    """A listing photo, re-encoded as JPEG: public, so no EXIF (device, GPS) survives."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=_site_photo_path)
    thumbnail = models.FileField(upload_to=_site_thumb_path)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class ContactReveal(models.Model):
    """Who saw a site's full contact, when, from where (PIPL: the owner's phone is personal data).

    Every reveal is a row, a repeat too (`repeat`: this user had seen this site's
    contact within REPEAT_FREE_DAYS, so it counted against no limit). `network` and
    `enterprise` are the keys the per-network and per-organisation limits and the
    harvest alerts count by.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contact_reveals")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="contact_reveals")
    at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)
    network = models.CharField(max_length=43, blank=True, help_text="IPv4 /24 or IPv6 /64 of the address")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="the organisation the user revealed it for",
    )
    repeat = models.BooleanField(default=False)

    class Meta:
        verbose_name = verbose_name_plural = "场地联系方式查看记录"
        indexes = [
            models.Index(fields=["user", "at"], name="reveal_user_at"),
            models.Index(fields=["site", "at"], name="reveal_site_at"),
            models.Index(fields=["enterprise", "at"], name="reveal_enterprise_at"),
            models.Index(fields=["network", "at"], name="reveal_network_at"),
        ]


class Inquiry(models.Model):
    """A company's inquiry about a site (场地咨询), for the owner unit and the town team."""

    class Status(models.TextChoices):
        NEW = "new", "待回复"
        ANSWERED = "answered", "已回复"

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="inquiries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="site_inquiries")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="site_inquiries"
    )
    area_needed_m2 = models.FloatField(null=True, blank=True)
    industry = models.CharField(max_length=50, blank=True)
    message = models.TextField()
    phone = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["site", "created_at"], name="inquiry_site_time"),
            models.Index(fields=["user", "created_at"], name="inquiry_user_time"),
        ]


class SavedSearch(models.Model):
    """A search an enterprise user keeps; new matching sites send them an in-app notice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(max_length=50)
    # The search's parameters as the API takes them (filters plus bbox or polygon).
    params = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)


class SavedSearchMatch(models.Model):
    """A site already announced for a saved search: each match is notified once."""

    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="matches")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    notified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["saved_search", "site"], name="saved_search_match_once")]
