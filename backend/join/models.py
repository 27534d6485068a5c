from django.conf import settings
from django.db import models
from django.db.models import Q


class Claim(models.Model):
    """An enterprise account's claim to act for a company (认领企业), and how it was decided.

    The membership itself (enterprises.EnterpriseMember) opens only when a claim is
    approved, so until then the account sees no company data at all.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "待核实"
        APPROVED = "approved", "已通过"
        REJECTED = "rejected", "未通过"

    class How(models.TextChoices):
        MOBILE_MATCH = "mobile_match", "手机号与登记联系人一致"
        STAFF = "staff", "工作人员核实"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_claims")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="claims")
    # As the claimant typed it (the registry's name may differ in brackets or 有限公司).
    name = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    how_verified = models.CharField(max_length=12, choices=How.choices, blank=True)
    # Why staff must look at it (shown to the claimant and the reviewer).
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="join_claims_decided"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            # One open claim per account: a second waits until the first is decided.
            models.UniqueConstraint(fields=["user"], condition=Q(status="pending"), name="join_claim_one_open"),
        ]
        indexes = [models.Index(fields=["status", "enterprise"], name="join_claim_status_ent")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.enterprise_id} ({self.status})"
