from django.conf import settings
from django.db import models

from backend.enterprises.models import Enterprise

from .facts import FACTS


class EnterpriseFact(models.Model):
    """One fact about one enterprise, as recorded by whom and when (provenance).

    One row per (enterprise, fact, year): the current value. A correction overwrites the
    value and its source, so what the matcher reads is always what the row says it is.
    `year` is 0 for facts that are not kept per year.
    """

    class Source(models.TextChoices):
        IMPORT = "import", "导入"
        STAFF = "staff", "工作人员登记"
        ENTERPRISE = "enterprise", "企业自报"

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="facts")
    key = models.CharField(max_length=32, choices=[(k, f.label) for k, f in FACTS.items()])
    year = models.PositiveSmallIntegerField(default=0)
    number = models.FloatField(null=True, blank=True)
    text = models.CharField(max_length=64, blank=True, default="")
    held = models.BooleanField(null=True, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=12, choices=Source.choices)
    as_of = models.DateField("数据日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enterprise", "key", "year"], name="enterprise_fact_one")]
        # The SQL prefilter's lookups: one fact of one year above/below a threshold.
        indexes = [models.Index(fields=["key", "year", "number"], name="enterprise_fact_number")]


class Policy(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"

    title = models.CharField(max_length=200)
    issuer = models.CharField("发文单位", max_length=100)
    document_no = models.CharField("文号", max_length=100, blank=True, default="")
    summary = models.TextField("条款摘要", blank=True, default="")
    benefits = models.TextField("扶持内容", blank=True, default="")
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    # The structured conditions, see engine.py (validated by schemas.RulesIn on the way in).
    rules = models.JSONField(default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["status", "valid_until"], name="policy_status_until")]

    def __str__(self) -> str:
        return self.title
