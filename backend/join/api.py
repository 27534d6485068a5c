"""Joining (企业入驻): register by SMS code, claim a company, staff verify it."""

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from backend import access
from backend.accounts import services as accounts
from backend.accounts.api import me_out
from backend.accounts.schemas import MessageOut, SmsSentOut
from backend.accounts.throttle import device_remember
from backend.kernel.paging import page

from . import selectors, services
from .models import Claim
from .schemas import (
    ClaimIn,
    ClaimListQuery,
    ClaimOut,
    ClaimPageOut,
    ClaimReviewOut,
    DecisionIn,
    RegisterCodeIn,
    RegisteredOut,
    RegisterIn,
    RejectIn,
    StatusOut,
)

router = Router(tags=["join"])


def claim_out(claim: Claim) -> dict:
    return {
        "id": claim.id,
        "name": claim.name,
        "uscc": claim.enterprise.uscc,
        "status": claim.status,
        "status_text": claim.get_status_display(),
        "how_verified": claim.how_verified,
        "note": claim.note,
        "reason": claim.reason,
        "created_at": claim.created_at,
        "decided_at": claim.decided_at,
    }


def claim_review_out(claim: Claim) -> dict:
    return {
        **claim_out(claim),
        "enterprise_id": claim.enterprise_id,
        "enterprise_name": claim.enterprise.name,
        "enterprise_pending": claim.enterprise.pending,
        "claimant_id": claim.user_id,
        "claimant_mobile": claim.user.mobile,
        "decided_by": claim.decided_by.shown_name if claim.decided_by_id else None,
    }


@router.post("/sms/send", auth=None, response={200: SmsSentOut, 422: MessageOut, 429: MessageOut},
             summary="Send a registration code to any mobile (same answer whether or not it is registered)")
def register_code_send(request: HttpRequest, payload: RegisterCodeIn):
    # CSRF is checked by the kernel for anonymous POSTs too.
    ttl = accounts.register_code_send(request=request, mobile=payload.mobile)
    return {"sent": True, "expires_in": ttl}


@router.post("/register", auth=None, response={200: RegisteredOut, 401: MessageOut, 409: MessageOut, 429: MessageOut},
             summary="Register (or log into) an enterprise account with the mobile's SMS code")
def register(request: HttpRequest, response: HttpResponse, payload: RegisterIn):
    user, created = accounts.sms_register(request=request, mobile=payload.mobile, code=payload.code)
    device_remember(request, response, user.username)
    return {**me_out(user), "created": created}


@router.post("/claim", response={201: ClaimOut}, summary="Claim my company by name and 统一社会信用代码")
def claim(request: HttpRequest, payload: ClaimIn):
    created = services.claim_create(user=request.user, name=payload.name, uscc=payload.uscc)
    return Status(201, claim_out(created))


@router.get("/status", response=StatusOut, summary="My claim, in words: 未认领 / 待核实 / 已通过 / 未通过")
def status(request: HttpRequest):
    latest = selectors.claim_latest(user=request.user)
    enterprise_id = access.enterprises.enterprise_id_of(request.user)
    if latest is None:
        text = "未认领"
    elif latest.status == Claim.Status.REJECTED:
        text = f"未通过：{latest.reason}"
    else:
        text = latest.get_status_display()
    return {"verified": enterprise_id is not None, "enterprise_id": enterprise_id, "status_text": text,
            "claim": claim_out(latest) if latest else None}


@router.get("/claims", response=ClaimPageOut, summary="Claims for me to verify (my enterprises; a manager: the team's; admin: all)")
def claims(request: HttpRequest, params: Query[ClaimListQuery]):
    qs = selectors.claim_list(reviewer=request.user, status=params.status)
    return page(qs, limit=params.limit, offset=params.offset, shape=claim_review_out)


@router.post("/claims/{id:claim_id}/approve", response=ClaimReviewOut, summary="Verify a claim: the account now acts for the company")
def approve(request: HttpRequest, claim_id: int, payload: DecisionIn):
    return claim_review_out(services.claim_approve(reviewer=request.user, claim_id=claim_id, reason=payload.reason))


@router.post("/claims/{id:claim_id}/reject", response=ClaimReviewOut, summary="Refuse a claim, saying why (the claimant is told)")
def reject(request: HttpRequest, claim_id: int, payload: RejectIn):
    return claim_review_out(services.claim_reject(reviewer=request.user, claim_id=claim_id, reason=payload.reason))
