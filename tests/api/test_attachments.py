"""Photos and PDFs on demands and consultations (issue 13 item 1 and 4): recognised by content,
stored without metadata, at most 9 each, seen only by who may see the item, served safely."""

import io

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from backend.attachments.models import Attachment
from backend.attachments.services import clean_name
from photo_support import ARTIST, assert_no_metadata, phone_jpeg, png_bomb

from test_consultations import ask
from test_demands import act, as_, cast, demand_in, raise_  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def pdf(*, pages=2, author=ARTIST, script=True, encrypt=False) -> bytes:
    doc = pikepdf.new()
    for _ in range(pages):
        doc.add_blank_page(page_size=(595, 842))
    doc.docinfo["/Author"] = author
    doc.docinfo["/Title"] = "厨房布局图"
    with doc.open_metadata() as meta:
        meta["dc:creator"] = [author]
    if script:
        doc.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('hi')"))
    out = io.BytesIO()
    doc.save(out, encryption=pikepdf.Encryption(owner="o", user="secret") if encrypt else None)
    return out.getvalue()


def upload(user, url, data, name="photo.jpg", content_type="image/jpeg"):
    client = as_(user)
    return client.post(url, {"file": SimpleUploadedFile(name, data, content_type)}, HTTP_X_CSRFTOKEN=client.token())


def test_it_attaches_a_phone_photo_to_a_demand_without_its_metadata(cast):
    d = raise_(cast["enterprise"])["id"]
    response = upload(cast["enterprise"], f"/api/demands/{d}/attachments", phone_jpeg(size=(1600, 1200)), name="../现场 照片.JPG")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["name"], body["width"], body["height"]) == ("image", "现场 照片.jpg", 1600, 1200)
    detail = as_(cast["enterprise"]).get(f"/api/demands/{d}").json()
    assert [a["id"] for a in detail["attachments"]] == [body["id"]] and detail["can_attach"] is True
    assert as_(cast["other_staff"]).get(f"/api/demands/{d}").status_code == 404
    assert as_(cast["manager"]).get(f"/api/demands/{d}").json()["can_attach"] is False  # the intake queue: not a party yet
    full = as_(cast["manager"]).get(body["url"])
    assert full.status_code == 200 and full["Content-Type"] == "image/jpeg" and full["X-Content-Type-Options"] == "nosniff"
    assert_no_metadata(b"".join(full.streaming_content))
    thumb = as_(cast["manager"]).get(body["thumb_url"])
    assert_no_metadata(b"".join(thumb.streaming_content))


def test_it_stores_a_pdf_without_its_author_xmp_or_script_and_serves_it_as_a_download(cast):
    d = demand_in(cast, "handling")
    response = upload(cast["assignee"], f"/api/demands/{d}/attachments", pdf(), name="布局图.pdf", content_type="application/pdf")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["pages"], body["thumb_url"]) == ("pdf", 2, None)
    got = as_(cast["enterprise"]).get(body["url"])
    assert got["Content-Disposition"].startswith("attachment;") and "sandbox" in got["Content-Security-Policy"]
    data = b"".join(got.streaming_content)
    with pikepdf.open(io.BytesIO(data)) as stored:
        assert len(stored.pages) == 2
        assert "/OpenAction" not in stored.Root and "/Metadata" not in stored.Root
        assert "/Author" not in stored.docinfo
    assert ARTIST.encode() not in data and b"JavaScript" not in data


@pytest.mark.parametrize("data,message", [
    (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer <<>>\n%%EOF", "PDF 文件已损坏"),
    (pdf(encrypt=True), "设置了密码"),
    (b"PK\x03\x04 a zip, or a .docx", "只能上传照片"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "只能上传照片"),
    (b"", "文件是空的"),
])
def test_it_refuses_what_it_cannot_clean_with_a_chinese_message_and_stores_nothing(cast, data, message):
    d = raise_(cast["enterprise"])["id"]
    response = upload(cast["enterprise"], f"/api/demands/{d}/attachments", data, name="x.pdf")
    assert response.status_code == 422, response.content
    assert message in str(response.json()) and Attachment.objects.count() == 0


def test_it_refuses_a_pixel_bomb_and_a_long_pdf(cast, settings):
    d = raise_(cast["enterprise"])["id"]
    response = upload(cast["enterprise"], f"/api/demands/{d}/attachments", png_bomb(), name="bomb.png")
    assert response.status_code == 422 and "像素过大" in str(response.json())
    settings.ATTACHMENT_PDF_MAX_PAGES = 3
    response = upload(cast["enterprise"], f"/api/demands/{d}/attachments", pdf(pages=4), name="long.pdf")
    assert response.status_code == 422 and "最多 3 页" in str(response.json())


def test_it_refuses_a_file_over_10_mb_with_413(cast, settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    d = raise_(cast["enterprise"])["id"]
    response = upload(cast["enterprise"], f"/api/demands/{d}/attachments", phone_jpeg())
    assert response.status_code == 413


def test_it_keeps_the_same_file_once_and_at_most_nine(cast):
    d = raise_(cast["enterprise"])["id"]
    url = f"/api/demands/{d}/attachments"
    # The same bytes twice (phone_jpeg's ICC profile carries the time it was made).
    photo = phone_jpeg(size=(300, 200))
    first = upload(cast["enterprise"], url, photo).json()
    again = upload(cast["enterprise"], url, photo)
    assert again.status_code == 201 and again.json()["id"] == first["id"] and Attachment.objects.count() == 1
    for side in range(301, 309):
        assert upload(cast["enterprise"], url, phone_jpeg(size=(side, 200))).status_code == 201
    tenth = upload(cast["enterprise"], url, phone_jpeg(size=(400, 200)))
    assert tenth.status_code == 409 and "最多上传 9 个附件" in tenth.json()["detail"]
    assert Attachment.objects.count() == 9


def test_it_discards_the_file_of_an_upload_that_lost_the_race_for_the_last_place(cast, settings, monkeypatch):
    from backend.attachments import services

    d = raise_(cast["enterprise"])["id"]
    url = f"/api/demands/{d}/attachments"
    settings.ATTACHMENTS_PER_ITEM = 1
    stored = services.attachment_store

    def store_while_another_lands(**kwargs):
        made = stored(**kwargs)
        # Another upload links its file between our count and our link.
        from backend.demands.models import Demand

        Demand.objects.get(id=d).attachments.add(stored(user=cast["assignee"], name="b.jpg", data=phone_jpeg(size=(64, 64))))
        return made

    monkeypatch.setattr(services, "attachment_store", store_while_another_lands)
    late = upload(cast["enterprise"], url, phone_jpeg(size=(300, 200)))
    assert late.status_code == 409 and Attachment.objects.count() == 1


@override_settings(ATTACHMENTS_PER_DAY=2)
def test_it_limits_uploads_per_person_a_day_without_locking_out_others(cast):
    d = demand_in(cast, "assigned")
    url = f"/api/demands/{d}/attachments"
    for side in (300, 301):
        assert upload(cast["enterprise"], url, phone_jpeg(size=(side, 200))).status_code == 201
    assert upload(cast["enterprise"], url, phone_jpeg(size=(302, 200))).status_code == 429
    assert upload(cast["assignee"], url, phone_jpeg(size=(303, 200))).status_code == 201


def test_it_lets_only_the_parties_attach_and_only_viewers_download(cast):
    d = raise_(cast["enterprise"])["id"]
    url = f"/api/demands/{d}/attachments"
    ours = upload(cast["enterprise"], url, phone_jpeg()).json()
    # Another company, another team's staff: the demand is not theirs to see (404).
    assert upload(cast["other_enterprise"], url, phone_jpeg()).status_code == 404
    assert as_(cast["other_enterprise"]).get(ours["url"]).status_code == 404
    assert as_(cast["other_staff"]).get(ours["url"]).status_code == 404
    assert as_(None).get(ours["url"]).status_code == 401
    # An attachment id of another demand answers like a missing one.
    other = raise_(cast["enterprise"])["id"]
    assert as_(cast["enterprise"]).get(f"/api/demands/{other}/attachments/{ours['id']}").status_code == 404


def test_it_closes_attachments_with_the_demand(cast):
    d = demand_in(cast, "closed")
    response = upload(cast["enterprise"], f"/api/demands/{d}/attachments", phone_jpeg())
    assert response.status_code == 409 and "回访办结" in response.json()["detail"]


def test_it_attaches_files_to_a_consultation_for_the_asker_and_the_official(cast):
    c = ask(cast["enterprise"])
    url = f"/api/consultations/{c['id']}/attachments"
    mine = upload(cast["enterprise"], url, pdf(), name="营业执照.pdf")
    assert mine.status_code == 201, mine.content
    official = next(u for u in (cast["staff"], cast["manager"], cast["teammate"]) if u.id == c["official_id"])
    assert upload(official, url, phone_jpeg()).status_code == 201
    assert upload(cast["other_enterprise"], url, phone_jpeg()).status_code == 404
    detail = as_(official).get(f"/api/consultations/{c['id']}").json()
    assert [a["name"] for a in detail["attachments"]] == ["营业执照.pdf", "photo.jpg"]
    assert as_(official).get(detail["attachments"][0]["url"]).status_code == 200


def test_it_cleans_names_for_showing_and_downloading():
    assert clean_name("C:\\Users\\王\\平面图.final.PDF", kind="pdf") == "平面图.final.pdf"
    assert clean_name("\x00\x1b../", kind="image") == "照片.jpg"
    assert clean_name("a" * 300 + ".png", kind="image") == "a" * 90 + ".jpg"
