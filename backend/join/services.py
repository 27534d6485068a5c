"""Writes for joining: a claim, its decision by staff, and the membership it opens."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from backend import access
from backend.accounts.models import User
from backend.enterprises.models import Enterprise
from backend.enterprises.services import enterprise_member_add, enterprise_pending_get_or_create, uscc_checked
from backend.errors import Conflict, Forbidden, Invalid, NotFound, RateLimited
from backend.notifications.services import notice_create, notices_create
from backend.ratelimit import Limit

from .models import Claim
from .names import names_match

# Claims per account per hour: each may create a pending entry or page a reviewer.
CLAIM_LIMIT = (10, 3600)

NOTE_VERIFIED_MEMBER = "该企业已有核实的企业用户，需工作人员核实后开通"
NOTE_NOT_IN_REGISTRY = "该企业不在镇企业名录中，已新建待核实登记，需工作人员核实后开通"
NOTE_NO_MOBILE_MATCH = "手机号与企业登记的联系人手机不一致，需工作人员核实后开通"


def _claim_limit_take(user: User) -> None:
    limit = Limit(f"join:claim:{user.id}", *CLAIM_LIMIT)
    if limit.take() is None:
        wait = max(1, limit.exceeded())
        raise RateLimited(f"认领提交过于频繁，请{max(1, wait // 60)}分钟后再试", retry_after=wait, code="claim_throttled")


def _note_for_staff(*, user: User, enterprise: Enterprise, created: bool) -> str:
    if created or enterprise.pending:
        return NOTE_NOT_IN_REGISTRY
    if access.join.enterprise_has_verified_member(enterprise.id):
        return NOTE_VERIFIED_MEMBER
    return NOTE_NO_MOBILE_MATCH


def claim_create(*, user: User, name: str, uscc: str) -> Claim:
    """Claim the company with this code: verified at once when the mobile matches the
    registry's contact, otherwise pending for staff; an unknown code makes a pending entry."""
    if not access.core.is_enterprise_user(user):
        raise Forbidden("只有企业账号可以认领企业")
    uscc = uscc_checked(uscc)
    if access.join.claimant_is_member(user):
        raise Conflict("您的账号已核实为企业用户，如需更换企业请联系工作人员", code="already_member")
    if Claim.objects.filter(user=user, status=Claim.Status.PENDING).exists():
        raise Conflict("您已有一份待核实的认领，请等待工作人员处理", code="claim_open")
    _claim_limit_take(user)
    known = Enterprise.objects.filter(uscc=uscc).first()
    if known is not None and not names_match(name, known.name):
        # Not the registered name: says so without revealing it (the code alone must not look it up).
        raise Invalid("企业名称与该统一社会信用代码登记的名称不一致，请按营业执照上的名称填写", field="name")
    with transaction.atomic():
        enterprise, created = (known, False) if known else enterprise_pending_get_or_create(uscc=uscc, name=name)
        if not created and known is None and not names_match(name, enterprise.name):
            # Someone else created the pending entry for this code a moment ago, under another name.
            raise Invalid("企业名称与该统一社会信用代码登记的名称不一致，请按营业执照上的名称填写", field="name")
        at_once = access.join.claim_verifies_itself(user, enterprise)
        try:
            with transaction.atomic():
                claim = Claim.objects.create(
                    user=user,
                    enterprise=enterprise,
                    name=name,
                    status=Claim.Status.APPROVED if at_once else Claim.Status.PENDING,
                    how_verified=Claim.How.MOBILE_MATCH if at_once else "",
                    note="" if at_once else _note_for_staff(user=user, enterprise=enterprise, created=created),
                    decided_at=timezone.now() if at_once else None,
                )
        except IntegrityError:
            raise Conflict("您已有一份待核实的认领，请等待工作人员处理", code="claim_open") from None
        if at_once:
            enterprise_member_add(user=user, enterprise=enterprise)
    if not at_once:
        _tell_reviewers(claim)
    return claim


def _tell_reviewers(claim: Claim) -> None:
    enterprise = claim.enterprise
    reviewers = User.objects.filter(access.join.claim_reviewers_q(enterprise)).values_list("id", flat=True)
    notices_create(
        user_ids=list(reviewers),
        kind="join.claim_pending",
        title=f"企业认领待核实：{enterprise.name}",
        body=claim.note,
        key=f"join.claim_pending:{claim.id}",
    )


def _claim_for_decision(*, reviewer: User, claim_id: int) -> Claim:
    access.join.require_claim_reviewer(reviewer)
    claim = (
        Claim.objects.select_for_update(of=("self",))
        .select_related("enterprise", "user")
        .filter(access.join.claims_q(reviewer), id=claim_id)
        .first()
    )
    if claim is None:
        # Another team's claim looks like none at all.
        raise NotFound("认领记录不存在或无权处理")
    if claim.status != Claim.Status.PENDING:
        raise Conflict(f"该认领已处理（{claim.get_status_display()}）", code="claim_decided")
    return claim


@transaction.atomic
def claim_approve(*, reviewer: User, claim_id: int, reason: str = "") -> Claim:
    claim = _claim_for_decision(reviewer=reviewer, claim_id=claim_id)
    claim.status = Claim.Status.APPROVED
    claim.how_verified = Claim.How.STAFF
    claim.decided_by = reviewer
    claim.decided_at = timezone.now()
    claim.reason = reason
    claim.save(update_fields=["status", "how_verified", "decided_by", "decided_at", "reason"])
    if claim.enterprise.pending:
        # Staff have seen the licence: the company exists (its location and industry still to fill in).
        Enterprise.objects.filter(id=claim.enterprise_id).update(pending=False)
    enterprise_member_add(user=claim.user, enterprise=claim.enterprise)
    notice_create(
        user=claim.user,
        kind="join.claim_approved",
        title="企业认领已通过",
        body=f"您已核实为“{claim.enterprise.name}”的企业用户。",
        key=f"join.claim_decided:{claim.id}",
    )
    return claim


@transaction.atomic
def claim_reject(*, reviewer: User, claim_id: int, reason: str) -> Claim:
    if not reason.strip():
        raise Invalid("请填写未通过的原因", field="reason")
    claim = _claim_for_decision(reviewer=reviewer, claim_id=claim_id)
    claim.status = Claim.Status.REJECTED
    claim.decided_by = reviewer
    claim.decided_at = timezone.now()
    claim.reason = reason
    claim.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    notice_create(
        user=claim.user,
        kind="join.claim_rejected",
        title="企业认领未通过",
        body=f"“{claim.name}”的认领未通过：{reason}",
        key=f"join.claim_decided:{claim.id}",
    )
    return claim
