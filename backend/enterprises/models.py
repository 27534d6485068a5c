from django.conf import settings
from django.db import models
from django.db.models import Q

from backend.accounts.memberships import Membership

from .industries import CHOICES as INDUSTRY_CHOICES


class Enterprise(models.Model):
    class Size(models.TextChoices):
        MICRO = "micro", "微型"
        SMALL = "small", "小型"
        MEDIUM = "medium", "中型"
        LARGE = "large", "大型"

    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("企业名称", max_length=200, db_index=True)
    # First letters of the name's pinyin ("shqfkj"), so staff can type 拼音首字母.
    name_initials = models.CharField(max_length=200, blank=True, db_index=True)
    address = models.CharField("地址", max_length=255, blank=True)
    # Empty only for a pending entry (below): a company that claimed itself has no surveyed location yet.
    lat = models.FloatField("纬度 (WGS-84)", null=True, blank=True)
    lng = models.FloatField("经度 (WGS-84)", null=True, blank=True)
    industry = models.CharField("行业门类", max_length=1, choices=INDUSTRY_CHOICES, blank=True)
    size = models.CharField("规模", max_length=8, choices=Size.choices, default=Size.SMALL)
    tags = models.JSONField("标签", default=list, blank=True)
    assigned_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_enterprises",
    )
    geofence_m = models.PositiveIntegerField("签到范围 (米)", null=True, blank=True)
    # The registry's contact: a claimant with this mobile is verified at once (backend/join).
    contact_mobile = models.CharField("联系人手机", max_length=11, blank=True, default="")
    # Not from the town's registry: created when a company missing from it claimed itself
    # (backend/join); staff complete it (location, industry) and clear the flag.
    pending = models.BooleanField("待核实登记", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["lat", "lng"], name="enterprise_lat_lng")]

    def __str__(self) -> str:
        return self.name


class EnterpriseMember(Membership):
    """A user who acts for an enterprise (企业用户), from `since` until `until`.

    The link lives here, not on accounts.User, so the ground floor knows no domain:
    a user may move to another enterprise over time; at most one membership is current.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enterprise_memberships")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="members")
    target = "enterprise"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(until__isnull=True), name="enterprise_member_one_current"),
        ]
        indexes = [models.Index(fields=["enterprise", "until"], name="enterprise_member_ent")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.enterprise_id}"
