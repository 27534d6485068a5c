"""The demands ledger (诉求台账): an enterprise's need, from wherever it was raised to the enterprise's verdict.

`Demand.status` changes only through `services` (a conditional UPDATE per step of
`flow.TRANSITIONS`), and every change writes one `DemandTransition`, which is never
updated or deleted: the ledger's history cannot be rewritten by this code.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Demand(models.Model):
    class Category(models.TextChoices):
        LABOUR = "labour", "用工"
        FINANCE = "finance", "融资"
        SITE = "site", "场地"
        POLICY = "policy", "政策"
        APPROVALS = "approvals", "审批"
        LOGISTICS = "logistics", "物流"
        ENERGY = "energy", "能源"
        OTHER = "other", "其他"

    class Channel(models.TextChoices):
        VISIT = "visit", "走访收集"
        APP = "app", "企业在线提出"
        PHONE = "phone", "电话代为登记"

    class Status(models.TextChoices):
        PENDING = "pending", "待交办"
        ASSIGNED = "assigned", "已交办"
        VERIFYING = "verifying", "核查研判"
        HANDLING = "handling", "处办中"
        RESOLVED = "resolved", "已办结"
        CLOSED = "closed", "已回访"

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", "满意"
        BASICALLY = "basically_satisfied", "基本满意"
        UNSATISFIED = "unsatisfied", "不满意"

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="demands")
    category = models.CharField(max_length=12, choices=Category.choices)
    description = models.TextField()
    channel = models.CharField(max_length=8, choices=Channel.choices)
    # The ledger outlives a visit record: SET_NULL, not CASCADE.
    visit = models.ForeignKey(
        "visits.Visit", null=True, blank=True, on_delete=models.SET_NULL, related_name="demands"
    )
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="demands_raised")
    # An official, or a department (org unit) whose members take it up; at most one is set.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="demands_assigned"
    )
    assignee_unit = models.ForeignKey(
        "accounts.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="demands_assigned"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    rating = models.CharField(max_length=20, choices=Rating.choices, blank=True)
    resolution = models.TextField(blank=True)
    # Set at assignment by the working-day engine (backend/workdays); empty until then.
    # `deadline_from` and `working_days` are what it was counted from, kept so that a
    # corrected holiday schedule can count it again (None while 待日历确认).
    deadline = models.DateTimeField(null=True, blank=True)
    deadline_explained = models.TextField(blank=True)
    deadline_from = models.DateTimeField(null=True, blank=True)
    working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    # When the assignee was reminded of, and their manager told of, the current deadline.
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # The first 已办结 and whether it met the deadline the demand had then (None while
    # 待日历确认): a reopened demand gets a new deadline, so this is kept, not recomputed.
    first_resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_on_time = models.BooleanField(null=True, blank=True)
    # Photos and PDFs the enterprise or the officials add (backend/attachments cleans them).
    attachments = models.ManyToManyField("attachments.Attachment", blank=True, related_name="+")
    # A 场地 demand's structured needs (all optional; empty for other categories): the
    # sites' own type values, an area range in m², and where — a village/area name matched
    # like the site search's text filter, or a point with a radius. What the suggested sites
    # are matched against (selectors.site_suggestions).
    site_types = models.JSONField(default=list, blank=True)
    site_area_min_m2 = models.FloatField(null=True, blank=True)
    site_area_max_m2 = models.FloatField(null=True, blank=True)
    site_place = models.CharField(max_length=50, blank=True)
    site_lat = models.FloatField(null=True, blank=True)
    site_lng = models.FloatField(null=True, blank=True)
    site_radius_km = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(assignee__isnull=True) | models.Q(assignee_unit__isnull=True),
                name="demand_one_assignee",
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "created_at"], name="demand_enterprise_time"),
            models.Index(fields=["status", "created_at"], name="demand_status_time"),
            models.Index(fields=["assignee", "status"], name="demand_assignee_status"),
            models.Index(fields=["raised_by", "created_at"], name="demand_raiser_time"),
            # Covering on PostgreSQL: the overdue board groups the open demands by desk
            # from the index alone (SQLite ignores INCLUDE).
            models.Index(
                fields=["status", "deadline"], include=["assignee", "assignee_unit"], name="demand_open_desks"
            ),
            models.Index(fields=["first_resolved_at"], name="demand_first_resolved"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}：{self.description[:30]}"


class AppendOnly(models.QuerySet):
    """Transitions are the audit trail: a queryset that cannot change or remove them."""

    def update(self, **kwargs):
        raise TypeError("DemandTransition rows are append-only: they are never updated")

    def delete(self):
        raise TypeError("DemandTransition rows are append-only: they are never deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise TypeError("DemandTransition rows are append-only: they are never updated")

    def update_or_create(self, *args, **kwargs):
        raise TypeError("DemandTransition rows are append-only: they are never updated")


class DemandTransition(models.Model):
    """One step of a demand: who, when, from which status to which, and what they said."""

    demand = models.ForeignKey(Demand, on_delete=models.PROTECT, related_name="transitions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=10)
    from_status = models.CharField(max_length=10, blank=True)  # "" for the step that raised it
    to_status = models.CharField(max_length=10)
    rating = models.CharField(max_length=20, blank=True)
    comment = models.TextField(blank=True)

    objects = AppendOnly.as_manager()

    class Meta:
        indexes = [models.Index(fields=["demand", "at"], name="demand_transition_time")]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("DemandTransition rows are append-only: they are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("DemandTransition rows are append-only: they are never deleted")


class DemandSiteInquiry(models.Model):
    """A site inquiry sent from a 场地 demand's suggestions: one per demand and site."""

    demand = models.ForeignKey(Demand, on_delete=models.PROTECT, related_name="site_inquiries")
    site = models.ForeignKey("sites.Site", on_delete=models.PROTECT, related_name="+")
    inquiry = models.OneToOneField("sites.Inquiry", on_delete=models.PROTECT, related_name="demand_link")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["demand", "site"], name="demand_site_inquiry_once")]
