"""Writes to consultations: asking, answering, following up, closing, reassigning, converting to a demand.

Each write is one transaction: the consultation row, its thread message and the
notices. A status change is a conditional UPDATE (the status in the WHERE), so of two
people acting at once on a consultation the second gets 409 instead of a lost write.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from backend import access
from backend.accounts.models import User
from backend.demands.services import demand_from_consultation
from backend.errors import Conflict, Forbidden, RateLimited
from backend.notifications.services import batch_send
from backend.ratelimit import Limit
from backend.workdays.selectors import deadline_after

from . import flow, selectors
from .models import Consultation, ConsultationMessage

S = Consultation.Status
K = ConsultationMessage.Kind
ASKS_PER_DAY = 20  # per account: a company with many questions is still far below; a script is not


def _short(text: str, n: int = 60) -> str:
    text = text.replace("\n", " ")
    return text[:n] + ("…" if len(text) > n else "")


def _url(c: Consultation) -> str:
    return f"#/consultations/{c.id}"


def _tell_official(c: Consultation, msg: ConsultationMessage, title: str) -> None:
    batch_send(
        key=f"consultations.asked:{msg.id}", kind="consultations.asked", title=title,
        body=f"「{c.subject}」{_short(msg.text)}。请于 {_when(c)} 前答复。", user_ids=[c.official_id], url=_url(c),
    )


def _tell_asker(c: Consultation, msg: ConsultationMessage, title: str) -> None:
    users = access.consultations.askers(c)
    if users:
        batch_send(
            key=f"consultations.answered:{msg.id}", kind="consultations.answered", title=title,
            body=f"「{c.subject}」{_short(msg.text)}", user_ids=users, url=_url(c),
        )


def _when(c: Consultation) -> str:
    return f"{timezone.localtime(c.deadline):%m月%d日 %H:%M}" if c.deadline else "答复时限（待日历确认）"


def _take_one(user: User) -> None:
    limit = Limit(f"consultation:user:{user.id}:day", ASKS_PER_DAY, 24 * 3600)
    if limit.take() is None:
        raise RateLimited(
            f"今天提交的咨询已达上限（{ASKS_PER_DAY}条），请明天再试",
            retry_after=max(1, limit.exceeded()), code="consultation_throttled",
        )


def _deadline(*, start: dt.datetime, working_days: int) -> dict:
    counted = deadline_after(start=start, working_days=working_days)
    return {"deadline": counted.at, "deadline_explained": counted.explained}


def consultation_ask(*, user: User, category: str, subject: str, text: str) -> Consultation:
    """An enterprise account asks; the question is routed to a department and a named official
    and must be answered within CONSULTATION_WORKING_DAYS working days of now."""
    enterprise_id = access.consultations.asker_enterprise(user)
    _take_one(user)
    unit, official = access.consultations.route(category=category, enterprise_id=enterprise_id)
    now = timezone.now()
    days = settings.CONSULTATION_WORKING_DAYS
    with transaction.atomic():
        c = Consultation.objects.create(
            asked_by=user, enterprise_id=enterprise_id, category=category, subject=subject, unit=unit,
            official=official, deadline_from=now, working_days=days, created_at=now, updated_at=now,
            **_deadline(start=now, working_days=days),
        )
        msg = ConsultationMessage.objects.create(consultation=c, author=user, kind=K.QUESTION, text=text, at=now)
        _tell_official(c, msg, "您有一条新的在线咨询")
    return c


def _check(*, user: User, c: Consultation, action: str) -> None:
    spec = flow.ACTIONS[action]
    relations = access.consultations.relations(user, c)
    if not spec.roles & relations:
        raise Forbidden(f"您无权对这条咨询进行「{spec.label}」")
    if c.status not in spec.statuses:
        raise Conflict(f"咨询当前为「{S(c.status).label}」，不能进行「{spec.label}」", code="illegal_transition")


def _move(c: Consultation, *, action: str, now: dt.datetime, **changes) -> None:
    moved = Consultation.objects.filter(id=c.id, status__in=flow.ACTIONS[action].statuses).update(
        updated_at=now, **changes
    )
    if not moved:
        raise Conflict("这条咨询刚刚已被他人处理，请刷新后查看", code="illegal_transition")


def _first_answer(c: Consultation, *, user: User, now: dt.datetime) -> None:
    """Record the first answer once: whether it came by the deadline is judged now, for good
    (unless the deadline was 待日历确认, then when the calendar is entered)."""
    on_time = None if c.deadline is None else now <= c.deadline
    Consultation.objects.filter(id=c.id, first_answer_at__isnull=True).update(
        first_answer_at=now, first_answer_by=user, answered_on_time=on_time
    )


def consultation_answer(*, user: User, consultation_id: int, text: str) -> Consultation:
    c = selectors.consultation_get(user=user, consultation_id=consultation_id)
    _check(user=user, c=c, action="answer")
    now = timezone.now()
    with transaction.atomic():
        _move(c, action="answer", now=now, status=S.ANSWERED)
        _first_answer(c, user=user, now=now)
        msg = ConsultationMessage.objects.create(consultation=c, author=user, kind=K.ANSWER, text=text, at=now)
        _tell_asker(c, msg, "您的咨询有了答复")
    return c


def consultation_follow_up(*, user: User, consultation_id: int, text: str) -> Consultation:
    """The enterprise asks again in the same thread: back to 待回复. The deadline stays the
    first question's (the on-time rate judges the first answer)."""
    c = selectors.consultation_get(user=user, consultation_id=consultation_id)
    _check(user=user, c=c, action="follow_up")
    now = timezone.now()
    with transaction.atomic():
        _move(c, action="follow_up", now=now, status=S.WAITING)
        msg = ConsultationMessage.objects.create(consultation=c, author=user, kind=K.FOLLOW_UP, text=text, at=now)
        _tell_official(c, msg, "企业对咨询进行了追问")
    return c


def consultation_close(*, user: User, consultation_id: int) -> Consultation:
    c = selectors.consultation_get(user=user, consultation_id=consultation_id)
    _check(user=user, c=c, action="close")
    now = timezone.now()
    with transaction.atomic():
        _move(c, action="close", now=now, status=S.CLOSED, closed_at=now)
        ConsultationMessage.objects.create(consultation=c, author=user, kind=K.CLOSE, text="企业已关闭咨询", at=now)
    return c


def consultation_reassign(
    *, user: User, consultation_id: int, official_id: int | None = None, unit_id: int | None = None, comment: str = ""
) -> Consultation:
    """Hand it to another official or department. The clock keeps running from submission:
    a question passed around is not given more time."""
    c = selectors.consultation_get(user=user, consultation_id=consultation_id)
    _check(user=user, c=c, action="reassign")
    unit, official = access.consultations.reassign_target(official_id=official_id, unit_id=unit_id)
    if official.id == c.official_id:
        raise Conflict("咨询已由该工作人员负责", code="illegal_transition")
    now = timezone.now()
    to = f"{unit.name} {official.shown_name}" if unit else official.shown_name
    with transaction.atomic():
        # The new holder gets their own reminder and escalation.
        _move(c, action="reassign", now=now, official=official, unit=unit, reminded_at=None, escalated_at=None)
        msg = ConsultationMessage.objects.create(
            consultation=c, author=user, kind=K.REASSIGN, text=f"转派给{to}。{comment}".strip(), at=now
        )
        c.refresh_from_db()
        _tell_official(c, msg, "一条在线咨询转派给您")
    return c


def consultation_convert(*, user: User, consultation_id: int, comment: str = "") -> Consultation:
    """Turn it into a demand of the ledger (raised in the app by the asker, 待交办). This is an
    answer too: the enterprise is told, and it counts as the first answer if none came before."""
    c = selectors.consultation_get(user=user, consultation_id=consultation_id)
    _check(user=user, c=c, action="convert")
    if c.demand_id:
        raise Conflict("这条咨询已转为诉求", code="illegal_transition")
    if not c.enterprise_id:
        raise Conflict("咨询人尚未通过企业认证，不能转为诉求", code="illegal_transition")
    question = selectors.consultation_question(consultation=c)
    now = timezone.now()
    with transaction.atomic():
        demand = demand_from_consultation(
            actor=user, enterprise_id=c.enterprise_id, raised_by_id=c.asked_by_id, category=c.category,
            description=f"{c.subject}：{question}", consultation_id=c.id,
        )
        moved = Consultation.objects.filter(
            id=c.id, status__in=flow.ACTIONS["convert"].statuses, demand__isnull=True
        ).update(status=S.ANSWERED, demand=demand, updated_at=now)
        if not moved:
            raise Conflict("这条咨询刚刚已被他人处理，请刷新后查看", code="illegal_transition")
        _first_answer(c, user=user, now=now)
        text = f"已转为诉求（编号 {demand.id}），将交办给相关部门办理，您可在「我的诉求」中跟进。{comment}".strip()
        msg = ConsultationMessage.objects.create(consultation=c, author=user, kind=K.CONVERT, text=text, at=now)
        _tell_asker(c, msg, "您的咨询已转为诉求")
    return c


def deadlines_recompute(*, years: list[int]) -> int:
    """After a year's holiday schedule changed: count again every deadline not yet judged
    (no answer yet, or answered while the deadline was 待日历确认); returns how many moved."""
    moved = 0
    pending = Consultation.objects.filter(answered_on_time__isnull=True).exclude(
        status=S.CLOSED, first_answer_at__isnull=True
    )
    for c in pending.only("id", "deadline", "deadline_explained", "deadline_from", "working_days", "first_answer_at").iterator(
        chunk_size=2000
    ):
        fields = _deadline(start=c.deadline_from, working_days=c.working_days)
        if c.first_answer_at and fields["deadline"] is not None:
            fields["answered_on_time"] = c.first_answer_at <= fields["deadline"]
        if (fields["deadline"], fields["deadline_explained"]) != (c.deadline, c.deadline_explained):
            fields |= {"reminded_at": None, "escalated_at": None}
        elif "answered_on_time" not in fields:
            continue
        Consultation.objects.filter(id=c.id).update(**fields)
        moved += 1
    return moved


def consultations_auto_close(*, now: dt.datetime | None = None) -> int:
    """Close what was answered CONSULTATION_AUTO_CLOSE_DAYS ago without a follow-up since."""
    now = now or timezone.now()
    stale = Consultation.objects.filter(
        status=S.ANSWERED, updated_at__lte=now - dt.timedelta(days=settings.CONSULTATION_AUTO_CLOSE_DAYS)
    ).values_list("id", flat=True)
    closed = 0
    for cid in list(stale[:5000]):
        with transaction.atomic():
            if Consultation.objects.filter(id=cid, status=S.ANSWERED).update(status=S.CLOSED, closed_at=now, updated_at=now):
                ConsultationMessage.objects.create(
                    consultation_id=cid, author=None, kind=K.CLOSE,
                    text=f"答复后 {settings.CONSULTATION_AUTO_CLOSE_DAYS} 天无追问，自动关闭", at=now,
                )
                closed += 1
    return closed


def consultation_attach(*, user: User, consultation_id: int, name: str, data: bytes):
    """Add a photo or a PDF to a consultation: the question's material, or the answer's."""
    from backend.attachments.services import attachment_add

    consultation = selectors.consultation_get(user=user, consultation_id=consultation_id)
    access.consultations.may_attach(user, consultation)
    return attachment_add(user=user, to=consultation, name=name, data=data)
