from django.db import models


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
    available_from = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VACANT)
    owner_unit = models.ForeignKey(OwnerUnit, on_delete=models.PROTECT, related_name="sites")
    contact_name = models.CharField(max_length=50, blank=True)
    contact_mobile = models.CharField(max_length=20, blank=True)
    description = models.TextField(blank=True)
    last_confirmed = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["type", "lng", "lat"], name="site_type_lng_lat"),
            models.Index(fields=["lng", "lat"], name="site_lng_lat"),
        ]

    def __str__(self) -> str:
        return self.name
