"""The Alibaba Cloud SMS adapter: its signing against the provider's published examples,
and every answer of the provider (as the local fake speaks it) turned into ours."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from backend.sms import SmsPermanentError, SmsTemporaryError
from backend.sms.aliyun import AliyunSmsBackend, percent_encode, rpc_signature, string_to_sign
from fakes.fixtures import fake_sms  # noqa: F401  (fixture)

# Alibaba Cloud's own example for SendSms (短信服务 "HTTP 协议及签名" documentation):
# AccessKeyId testId, AccessKeySecret testSecret, GET.
SEND_SMS_EXAMPLE = {
    "AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123", "PhoneNumbers": "15300000001",
    "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用", "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466", "SignatureVersion": "1.0", "TemplateCode": "SMS_71390007",
    "TemplateParam": '{"customer":"test"}', "Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25",
}
SEND_SMS_STRING_TO_SIGN = (
    "GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123%26PhoneNumbers%3D15300000001"
    "%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD%25E4%25BF"
    "%25A1%25E6%25B5%258B%25E8%25AF%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod%3DHMAC-SHA1"
    "%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0%26TemplateCode%3DSMS_71390007"
    "%26TemplateParam%3D%257B%2522customer%2522%253A%2522test%2522%257D%26Timestamp%3D2017-07-12T02%253A42%253A19Z"
    "%26Version%3D2017-05-25"
)
# The RPC signature example of Alibaba Cloud's API documentation (ECS DescribeRegions, secret testsecret).
DESCRIBE_REGIONS_EXAMPLE = {
    "AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML", "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "SignatureVersion": "1.0", "Timestamp": "2016-02-23T12:46:24Z",
    "Version": "2014-05-26",
}


def test_it_signs_like_the_providers_published_examples():
    assert string_to_sign(SEND_SMS_EXAMPLE, "GET") == SEND_SMS_STRING_TO_SIGN
    assert rpc_signature(SEND_SMS_EXAMPLE, "testSecret", "GET") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="
    assert rpc_signature(DESCRIBE_REGIONS_EXAMPLE, "testsecret", "GET") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_it_percent_encodes_by_rfc_3986_not_form_rules():
    assert percent_encode("a b*c~d/e+") == "a%20b%2Ac~d%2Fe%2B"
    assert percent_encode("派") == "%E6%B4%BE"


def send(**overrides):
    args = {"mobile": "13800001111", "text": "【店小二】测试", "template": "notice", "params": {"title": "测试"}, "out_id": "dxe1"}
    return AliyunSmsBackend().send(**{**args, **overrides})


def test_it_sends_through_the_provider_and_keeps_its_ids(fake_sms):
    sent = send()
    [message] = fake_sms.accepted
    assert (message["phone"], message["template"], message["params"], message["out_id"]) == (
        "13800001111", "SMS_900000002", {"title": "测试"}, "dxe1")
    assert sent.provider_id == message["biz_id"] and re.fullmatch(r"[0-9A-F-]{36}", sent.request_id)


def test_it_is_refused_with_a_wrong_secret(fake_sms, settings):
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET = "not-the-secret"
    with pytest.raises(SmsPermanentError) as caught:
        send()
    assert caught.value.code == "SignatureDoesNotMatch"
    assert "AccessKey Secret" in caught.value.detail
    assert fake_sms.accepted == []


@pytest.mark.parametrize(
    ("setup", "code", "reason"),
    [
        (lambda f: f.invalid_numbers.add("13800001111"), "isv.MOBILE_NUMBER_ILLEGAL", "手机号码无效"),
        (lambda f: f.unapproved_templates.add("SMS_900000002"), "isv.SMS_TEMPLATE_ILLEGAL", "短信模板不存在或未通过审核"),
    ],
)
def test_it_fails_for_good_on_permanent_errors(fake_sms, setup, code, reason):
    setup(fake_sms)
    with pytest.raises(SmsPermanentError) as caught:
        send()
    assert (caught.value.code, caught.value.detail) == (code, reason)
    assert caught.value.request_id


def test_it_tells_temporary_errors_apart(fake_sms):
    fake_sms.temporary_fraction = 1.0
    codes = set()
    for _ in range(40):
        with pytest.raises(SmsTemporaryError) as caught:
            send()
        assert not caught.value.maybe_sent
        codes.add(caught.value.code)
    assert codes == {"isp.SYSTEM_ERROR", "isv.BUSINESS_LIMIT_CONTROL", "Throttling.User"}
    assert fake_sms.accepted == []


def test_it_refuses_a_template_we_did_not_configure(fake_sms, settings):
    settings.SMS_ALIYUN_TEMPLATES = {"notice": "SMS_900000002"}
    with pytest.raises(SmsPermanentError) as caught:
        send(template="login_code", params={"code": "123456"})
    assert caught.value.code == "template_unset"


def test_it_does_not_know_whether_a_timed_out_message_went_out(fake_sms, settings):
    settings.SMS_TIMEOUT_S = 0.3
    fake_sms.hold_answer["13800001111"] = 1.0
    with pytest.raises(SmsTemporaryError) as caught:
        send()
    assert caught.value.maybe_sent
    assert len(fake_sms.accepted) == 1  # it did


def test_it_reads_the_carriers_receipts_by_our_id(fake_sms):
    sent = send(out_id="dxe7")
    send(mobile="13800002222", out_id="dxe8")
    fake_sms.undelivered["13800002222"] = "MK:0001"
    backend, today = AliyunSmsBackend(), timezone.localdate()
    delivered = backend.report(mobile="13800001111", out_id="dxe7", provider_id=sent.provider_id, sent_on=today)
    assert delivered.state == "delivered" and delivered.code == "DELIVERED" and delivered.at is not None
    assert backend.report(mobile="13800002222", out_id="dxe8", sent_on=today).state == "failed"
    assert backend.report(mobile="13800001111", out_id="dxe999", sent_on=today) is None
    assert backend.report(mobile="13800001111", out_id="dxe7", sent_on=today - dt.timedelta(days=1)) is None


@pytest.mark.django_db
def test_it_sends_login_codes_through_the_same_adapter(fake_sms, client, users):
    assert client.post_json("/api/auth/sms/send", {"mobile": "13800001234"}).status_code == 200
    [message] = fake_sms.accepted
    assert message["template"] == "SMS_900000001" and message["phone"] == "13800001234"
    response = client.post_json("/api/auth/sms/verify", {"mobile": "13800001234", "code": message["params"]["code"]})
    assert response.status_code == 200 and response.json()["username"] == "demo_enterprise"


@pytest.mark.django_db
def test_it_answers_the_same_when_the_provider_refuses_a_login_code(fake_sms, client, users):
    fake_sms.invalid_numbers.add("13800001234")
    response = client.post_json("/api/auth/sms/send", {"mobile": "13800001234"})
    assert response.status_code == 200 and response.json()["sent"] is True
    assert fake_sms.accepted == []
