"""Online consultations (在线咨询): an enterprise asks, a named official answers within 2 working days.

The thread (`ConsultationMessage`) is append-only like a demand's transitions: the
question, every answer and follow-up, and each reassignment or conversion to a demand
are rows that are never updated or deleted. `Consultation` holds the current state.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from backend.demands.models import Demand


class AppendOnly(models.QuerySet):
    """The thread is the record of who said what when: a queryset that cannot change or remove it."""

    def update(self, **kwargs):
        raise TypeError("ConsultationMessage rows are append-only: they are never updated")

    def delete(self):
        raise TypeError("ConsultationMessage rows are append-only: they are never deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise TypeError("ConsultationMessage rows are append-only: they are never updated")

    def update_or_create(self, *args, **kwargs):
        raise TypeError("ConsultationMessage rows are append-only: they are never updated")


class Consultation(models.Model):
    Category = Demand.Category  # the same list: a consultation can become a demand

    class Status(models.TextChoices):
        WAITING = "waiting", "待回复"
        ANSWERED = "answered", "已回复"
        CLOSED = "closed", "已关闭"

    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consultations_asked")
    # The company the asker acted for when asking; None for an account not verified yet
    # (it may ask, but is linked to no company data).
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="consultations"
    )
    category = models.CharField(max_length=12, choices=Demand.Category.choices)
    subject = models.CharField(max_length=100)
    # The department it was routed to and the named official who answers for it.
    unit = models.ForeignKey("accounts.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    official = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consultations_held")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    # Counted from submission (working days, backend/workdays); a reassignment keeps it.
    deadline = models.DateTimeField(null=True, blank=True)
    deadline_explained = models.TextField(blank=True)
    deadline_from = models.DateTimeField()
    working_days = models.PositiveSmallIntegerField()
    first_answer_at = models.DateTimeField(null=True, blank=True)
    first_answer_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Judged once, at the first answer, against the deadline of that moment.
    answered_on_time = models.BooleanField(null=True, blank=True)
    demand = models.ForeignKey(Demand, null=True, blank=True, on_delete=models.PROTECT, related_name="consultations")
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Files the enterprise asks with, and the official's in answer (backend/attachments).
    attachments = models.ManyToManyField("attachments.Attachment", blank=True, related_name="+")

    class Meta:
        indexes = [
            models.Index(fields=["official", "deadline"], name="consult_official_deadline"),
            models.Index(fields=["asked_by", "created_at"], name="consult_asker_time"),
            models.Index(fields=["enterprise", "created_at"], name="consult_enterprise_time"),
            models.Index(fields=["status", "deadline"], name="consult_status_deadline"),
        ]

    def __str__(self) -> str:
        return self.subject


class ConsultationMessage(models.Model):
    class Kind(models.TextChoices):
        QUESTION = "question", "提问"
        ANSWER = "answer", "答复"
        FOLLOW_UP = "follow_up", "追问"
        REASSIGN = "reassign", "转派"
        CONVERT = "convert", "转为诉求"
        CLOSE = "close", "关闭"

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="messages")
    # None: the system (a consultation closed automatically).
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects = AppendOnly.as_manager()

    class Meta:
        indexes = [models.Index(fields=["consultation", "at"], name="consult_message_time")]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("ConsultationMessage rows are append-only: they are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("ConsultationMessage rows are append-only: they are never deleted")
