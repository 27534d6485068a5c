from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

mobile_validator = RegexValidator(r"^1[3-9]\d{9}$", "请输入11位中国大陆手机号码")


class OrgUnit(models.Model):
    """The town and its teams (科室/小组): managers see their own unit's staff."""

    class Kind(models.TextChoices):
        TOWN = "town", "镇"
        TEAM = "team", "小组"

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    class Role(models.TextChoices):
        STAFF = "staff", "招商干部/网格员"
        MANAGER = "manager", "科室负责人"
        ENTERPRISE = "enterprise", "企业用户"
        OWNER = "owner", "资源持有单位"
        ADMIN = "admin", "管理员"

    role = models.CharField(max_length=12, choices=Role.choices, default=Role.ENTERPRISE)
    display_name = models.CharField(max_length=100, blank=True)
    mobile = models.CharField(max_length=11, blank=True, default="", validators=[mobile_validator])
    org_unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    # Which enterprise or owner unit a user acts for is not here: enterprises.EnterpriseMember
    # and sites.OwnerUnitMember own those links (accounts imports no domain app).

    objects = UserManager()

    class Meta:
        constraints = [
            # SMS login finds the user by mobile: one account per number.
            models.UniqueConstraint(fields=["mobile"], condition=~Q(mobile=""), name="user_mobile_unique"),
        ]

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN or self.is_superuser

    @property
    def shown_name(self) -> str:
        return self.display_name or self.username


class PrivacyAcknowledgement(models.Model):
    """That a user saw the first-use privacy notice of a given version (PIPL Art. 17)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="privacy_acks")
    version = models.CharField(max_length=20)
    acknowledged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "version"], name="privacy_ack_once_per_version")]
