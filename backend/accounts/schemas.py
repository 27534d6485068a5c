from ninja import Schema
from pydantic import Field

from backend.kernel.inputs import CleanText, InputSchema, RequiredText, Secret

# [0-9], not \d: pydantic's patterns are Unicode-aware, and \d also takes "１３８" (full-width).
MOBILE = r"^1[3-9][0-9]{9}$"


class LoginIn(InputSchema):
    username: RequiredText = Field(min_length=1, max_length=150)
    password: Secret = Field(min_length=1, max_length=256)


class SmsSendIn(InputSchema):
    mobile: CleanText = Field(max_length=11, pattern=MOBILE, description="11位中国大陆手机号码")


class SmsVerifyIn(InputSchema):
    mobile: CleanText = Field(max_length=11, pattern=MOBILE)
    code: CleanText = Field(max_length=6, pattern=r"^[0-9]{6}$")


class SmsSentOut(Schema):
    sent: bool
    expires_in: int


class PrivacyAckIn(InputSchema):
    version: CleanText = Field(max_length=20)


class MeOut(Schema):
    id: int
    username: str
    role: str
    display_name: str
    org_unit: str | None = None
    enterprise_id: int | None = None
    enterprise_name: str | None = None
    owner_unit_id: int | None = None
    owner_unit_name: str | None = None
    privacy_notice_version: str
    privacy_acknowledged: bool
    # The privacy notice tells officials when their check-in positions get coarsened.
    location_retention_days: int


class MessageOut(Schema):
    detail: str
