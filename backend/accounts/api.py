from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from ninja import Router, Status
from ninja.security import django_auth

from . import services
from .profile import profile_parts
from .throttle import device_remember
from .schemas import LoginIn, MeOut, MessageOut, PrivacyAckIn, SmsSendIn, SmsSentOut, SmsVerifyIn

router = Router(tags=["auth"])


def me_out(user) -> dict:
    version = settings.PRIVACY_NOTICE_VERSION
    return {
        "privacy_notice_version": version,
        "privacy_acknowledged": user.privacy_acks.filter(version=version).exists(),
        "location_retention_days": settings.LOCATION_RETENTION_DAYS,
        "id": user.id,
        "username": user.username,
        "role": "admin" if user.is_admin else user.role,
        "display_name": user.shown_name,
        "org_unit": user.org_unit.name if user.org_unit_id else None,
        **profile_parts(user),  # enterprise_id, owner_unit_id: from the domains that own those links
    }


@router.get("/csrf", auth=None, response={204: None}, summary="Set the CSRF cookie")
def csrf(request: HttpRequest):
    get_token(request)  # makes CsrfViewMiddleware send the cookie
    return Status(204, None)


@router.post("/login", auth=None, response={200: MeOut, 401: MessageOut, 429: MessageOut})
def login(request: HttpRequest, response: HttpResponse, payload: LoginIn):
    # CSRF is checked by the kernel (backend/kernel/api.py) for anonymous POSTs
    # too: without it a third-party page could log a phone into an account of
    # its choosing (login CSRF).
    user = services.user_log_in(request=request, username=payload.username, password=payload.password)
    device_remember(request, response, user.username)
    return me_out(user)


@router.post("/logout", auth=django_auth, response={204: None})
def logout(request: HttpRequest):
    services.user_log_out(request=request)
    return Status(204, None)


@router.get("/me", auth=django_auth, response={200: MeOut, 401: MessageOut})
def me(request: HttpRequest):
    return me_out(request.user)


@router.post("/sms/send", auth=None, response={200: SmsSentOut, 422: MessageOut, 429: MessageOut})
def sms_send(request: HttpRequest, payload: SmsSendIn):
    ttl = services.sms_code_send(request=request, mobile=payload.mobile)
    return {"sent": True, "expires_in": ttl}


@router.post("/sms/verify", auth=None, response={200: MeOut, 401: MessageOut, 429: MessageOut})
def sms_verify(request: HttpRequest, response: HttpResponse, payload: SmsVerifyIn):
    user = services.sms_code_verify(request=request, mobile=payload.mobile, code=payload.code)
    device_remember(request, response, user.username)
    return me_out(user)


@router.post("/privacy-ack", auth=django_auth, response={204: None}, summary="Acknowledge the first-use privacy notice")
def privacy_ack(request: HttpRequest, payload: PrivacyAckIn):
    services.privacy_acknowledge(user=request.user, version=payload.version)
    return Status(204, None)
