from django.db import models


class VisitDemand(models.Model):
    """An enterprise's need (诉求) recorded during a visit: the first entry of the demands ledger (问题台账)."""

    class Category(models.TextChoices):
        LABOUR = "labour", "用工"
        FINANCE = "finance", "融资"
        SITE = "site", "场地"
        POLICY = "policy", "政策"
        APPROVALS = "approvals", "审批"
        LOGISTICS = "logistics", "物流"
        ENERGY = "energy", "能源"
        OTHER = "other", "其他"

    visit = models.ForeignKey("visits.Visit", on_delete=models.CASCADE, related_name="demands")
    category = models.CharField(max_length=12, choices=Category.choices)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.get_category_display()}：{self.text[:30]}"
