from django.db import IntegrityError, transaction
from pypinyin import Style, lazy_pinyin

from backend import access
from backend.accounts.memberships import membership_move
from backend.accounts.models import User
from backend.errors import Conflict, Invalid

from .models import Enterprise, EnterpriseMember
from .uscc import USCCError, normalize_uscc


def name_initials(name: str) -> str:
    """拼音首字母 of a Chinese name, lower case ("上海青枫" → "shqf"); other characters kept."""
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")).lower()


@transaction.atomic
def enterprise_create(
    *,
    uscc: str,
    name: str,
    lat: float,
    lng: float,
    industry: str,
    address: str = "",
    size: str = Enterprise.Size.SMALL,
    tags: list[str] | None = None,
    assigned_staff_id: int | None = None,
    geofence_m: int | None = None,
    contact_mobile: str = "",
) -> Enterprise:
    uscc = uscc_checked(uscc)
    if assigned_staff_id is not None and not User.objects.filter(
        access.core.field_staff_q(), id=assigned_staff_id, is_active=True
    ).exists():
        raise Invalid("负责人必须是在岗的招商干部或科室负责人", field="assigned_staff_id")
    try:
        # A savepoint so that a duplicate does not poison an outer transaction.
        with transaction.atomic():
            return Enterprise.objects.create(
                uscc=uscc,
                name=name,
                name_initials=name_initials(name),
                address=address,
                lat=lat,
                lng=lng,
                industry=industry,
                size=size,
                tags=tags or [],
                assigned_staff_id=assigned_staff_id,
                geofence_m=geofence_m,
                contact_mobile=contact_mobile,
            )
    except IntegrityError:
        raise Conflict("该统一社会信用代码的企业已存在", code="uscc_exists", field="uscc") from None


def uscc_checked(uscc: str) -> str:
    """The normalised code, or Invalid (422) saying in Chinese what is wrong with it."""
    try:
        return normalize_uscc(uscc)
    except USCCError as exc:
        raise Invalid(str(exc), field="uscc") from None


@transaction.atomic
def enterprise_pending_get_or_create(*, uscc: str, name: str) -> tuple[Enterprise, bool]:
    """The enterprise with this code, or a new pending entry for a company missing from the
    registry (no location or industry yet: staff complete them); (enterprise, created)."""
    uscc = uscc_checked(uscc)
    found = Enterprise.objects.filter(uscc=uscc).first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            return Enterprise.objects.create(uscc=uscc, name=name, name_initials=name_initials(name), pending=True), True
    except IntegrityError:
        # Two claims for the same unknown company at once: the other created it.
        return Enterprise.objects.get(uscc=uscc), False


@transaction.atomic
def enterprise_member_add(*, user: User, enterprise: Enterprise) -> EnterpriseMember:
    """Make `user` act for `enterprise` from now on; a previous current membership ends now."""
    return membership_move(EnterpriseMember, user=user, target=enterprise)
