"""招商项目: the investment pipeline from lead (线索) to landed (落地: 注册 → 开工 → 投产).

A project's stage changes only through `services.project_move` / `request_decide`, each
under a row lock on the project, and every change writes one `StageChange`, which is
never updated or deleted. The stages are rows (`Stage`), one set per town; a town with
none of its own uses the default set (town NULL) the data migration seeds.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from backend.enterprises.industries import CHOICES as INDUSTRY_CHOICES


class Stage(models.Model):
    class Phase(models.TextChoices):
        LEAD = "lead", "线索"
        TALKS = "talks", "洽谈"
        SIGNED = "signed", "签约"
        LANDED = "landed", "落地"

    class Evidence(models.TextChoices):
        NONE = "", "不需要"
        CONTRACT = "contract", "签约合同"
        LICENCE = "licence", "营业执照"
        PERMIT = "permit", "施工许可或开工证明"
        OTHER = "other", "证明材料"

    # NULL: the default pipeline every town without its own uses.
    town = models.ForeignKey("accounts.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=16)
    name = models.CharField(max_length=20)
    phase = models.CharField(max_length=8, choices=Phase.choices)
    order = models.PositiveSmallIntegerField()
    probability = models.PositiveSmallIntegerField(help_text="成功概率 %（0–100）：项目进入此阶段时随之更新")
    stale_days = models.PositiveSmallIntegerField(default=14, help_text="多少天没有更新算停滞")
    evidence_required = models.CharField(max_length=10, choices=Evidence.choices, blank=True, default="")
    needs_approval = models.BooleanField(default=False, help_text="进入此阶段需要科室负责人审批")

    class Meta:
        ordering = ["town_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["town", "code"], name="stage_town_code"),
            models.UniqueConstraint(fields=["town", "order"], name="stage_town_order"),
            models.UniqueConstraint(fields=["code"], condition=Q(town__isnull=True), name="stage_default_code"),
            models.UniqueConstraint(fields=["order"], condition=Q(town__isnull=True), name="stage_default_order"),
            models.CheckConstraint(condition=Q(probability__lte=100), name="stage_probability_pct"),
        ]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    class Source(models.TextChoices):
        REFERRAL = "referral", "以商引商"
        FAIR = "fair", "展会"
        DOOR = "door", "上门"
        AGENCY = "agency", "中介机构"
        VISIT = "visit", "走访发现"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        ACTIVE = "active", "推进中"
        DONE = "done", "已投产"
        DROPPED = "dropped", "已终止"

    name = models.CharField(max_length=100)
    # The investor: a company of the registry, or one not registered yet (its name only).
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="projects"
    )
    investor_name = models.CharField(max_length=200, blank=True)
    industry = models.CharField(max_length=1, choices=INDUSTRY_CHOICES, blank=True)
    investment_wan = models.DecimalField(max_digits=12, decimal_places=2, help_text="计划投资（万元）")
    expected_tax_wan = models.DecimalField(max_digits=12, decimal_places=2, default=0, help_text="预计年税收（万元）")
    expected_jobs = models.PositiveIntegerField(default=0)
    source = models.CharField(max_length=10, choices=Source.choices)
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="projects_led")
    team = models.ForeignKey("accounts.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="projects")
    town = models.ForeignKey("accounts.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey("sites.Site", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    plot = models.CharField(max_length=200, blank=True, help_text="意向地块（不在场地库中时的文字说明）")
    visits = models.ManyToManyField("visits.Visit", blank=True, related_name="projects")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    probability = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    # Evidence files (a contract, a licence) and the follow-ups' files are linked here.
    attachments = models.ManyToManyField("attachments.Attachment", blank=True, related_name="+")
    stage_entered_at = models.DateTimeField(default=timezone.now)
    # The last stage change or follow-up: what "stale" is measured from.
    last_activity_at = models.DateTimeField(default=timezone.now)
    signed_at = models.DateTimeField(null=True, blank=True)
    landed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(enterprise__isnull=False) | ~Q(investor_name=""), name="project_has_investor"
            ),
        ]
        indexes = [
            models.Index(fields=["lead", "status"], name="project_lead_status"),
            models.Index(fields=["team", "status"], name="project_team_status"),
            models.Index(fields=["status", "last_activity_at"], name="project_status_activity"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def investor(self) -> str:
        return self.enterprise.name if self.enterprise_id else self.investor_name


class AppendOnly(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("StageChange rows are append-only: they are never updated")

    def delete(self):
        raise TypeError("StageChange rows are append-only: they are never deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise TypeError("StageChange rows are append-only: they are never updated")


class StageChange(models.Model):
    """One entry of a project's history: who, when, from which stage to which, and why.

    `kind` move is a stage change; the others (created, requested, rejected, reassigned,
    dropped) are the steps around it, kept on the same timeline."""

    class Kind(models.TextChoices):
        CREATED = "created", "登记线索"
        MOVE = "move", "阶段变更"
        REQUESTED = "requested", "申请审批"
        REJECTED = "rejected", "审批退回"
        REASSIGNED = "reassigned", "更换负责人"
        DROPPED = "dropped", "终止项目"

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    from_stage = models.ForeignKey(Stage, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_stage = models.ForeignKey(Stage, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)
    evidence = models.ForeignKey("attachments.Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # For a move that needed approval: who approved it (the request's decider).
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = AppendOnly.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["project", "at"], name="stagechange_project_time"),
            models.Index(fields=["kind", "at"], name="stagechange_kind_time"),
        ]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("StageChange rows are append-only: they are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("StageChange rows are append-only: they are never deleted")


class StageRequest(models.Model):
    """A move that waits for a manager: the project stays where it is until approved."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "已退回"

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="requests")
    from_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    to_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)
    evidence = models.ForeignKey("attachments.Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project"], condition=Q(status="pending"), name="stagerequest_one_pending"),
        ]


class FollowUp(models.Model):
    """跟进记录: what happened, the next step and when it is due. Belongs to the project,
    not to the official who wrote it: a reassigned project keeps every one."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="follow_ups")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField()
    next_step = models.CharField(max_length=200, blank=True)
    next_due = models.DateField(null=True, blank=True)
    attachments = models.ManyToManyField("attachments.Attachment", blank=True, related_name="+")
    visits = models.ManyToManyField("visits.Visit", blank=True, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["project", "at"], name="followup_project_time")]
