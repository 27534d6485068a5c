from ninja import Schema
from pydantic import ConfigDict, Field


class LoginIn(Schema):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=256)


class SmsSendIn(Schema):
    model_config = ConfigDict(extra="forbid")

    mobile: str = Field(pattern=r"^1[3-9]\d{9}$", description="11位中国大陆手机号码")


class SmsVerifyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    mobile: str = Field(pattern=r"^1[3-9]\d{9}$")
    code: str = Field(pattern=r"^\d{6}$")


class SmsSentOut(Schema):
    sent: bool
    expires_in: int


class PrivacyAckIn(Schema):
    model_config = ConfigDict(extra="forbid")

    version: str = Field(max_length=20)


class MeOut(Schema):
    id: int
    username: str
    role: str
    display_name: str
    org_unit: str | None = None
    enterprise_id: int | None = None
    owner_unit_id: int | None = None
    privacy_notice_version: str
    privacy_acknowledged: bool
    # The privacy notice tells officials when their check-in positions get coarsened.
    location_retention_days: int


class MessageOut(Schema):
    detail: str
