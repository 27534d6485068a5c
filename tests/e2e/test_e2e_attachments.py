"""Attachments on a 360-px phone (issue 13 items 1 and 4): the enterprise adds a photo and a PDF
to its demand, sees a refused file's message as the server wrote it, and the official it is
assigned to opens them — the photo shown from its cleaned copy, the PDF as a download."""

import io

import pikepdf
import pytest
from e2e_support import log_in, small_touch_targets
from playwright.sync_api import expect

from photo_support import ARTIST, phone_jpeg

pytestmark = pytest.mark.e2e


def a_pdf() -> bytes:
    doc = pikepdf.new()
    doc.add_blank_page(page_size=(595, 842))
    doc.docinfo["/Author"] = ARTIST
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_it_adds_a_photo_and_a_pdf_to_a_demand_and_the_official_opens_them(new_context, users, town, tmp_path):
    from backend.demands.models import Demand

    demand = Demand.objects.create(
        enterprise=_ent(users),
        raised_by=users["enterprise"], channel="app", category="site", description="需要 800 平方米厂房",
        status="assigned", assignee=users["staff"],
    )
    photo, pdf, zip_ = tmp_path / "现场.jpg", tmp_path / "平面图.pdf", tmp_path / "资料.zip"
    photo.write_bytes(phone_jpeg(size=(1200, 900)))
    pdf.write_bytes(a_pdf())
    zip_.write_bytes(b"PK\x03\x04 not a photo")

    page = new_context().new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "e2e_enterprise")
    page.goto(page.url.split("#")[0] + f"#/demands/{demand.id}")
    expect(page.locator("#demand-attachments-empty")).to_have_text("还没有附件")
    page.locator("#demand-attachments-input").set_input_files([str(photo), str(pdf)])
    expect(page.locator("#demand-attachments-list .att")).to_have_count(2)
    expect(page.locator("#demand-attachments-list .att-pdf")).to_contain_text("平面图.pdf")
    page.locator("#demand-attachments-input").set_input_files([str(zip_)])
    expect(page.locator(".toast")).to_contain_text("资料.zip：只能上传照片（JPEG、PNG、WebP）或 PDF 文件")
    assert small_touch_targets(page) == []
    assert not errors, errors

    official = new_context().new_page()
    log_in(official, "e2e_staff")
    official.goto(official.url.split("#")[0] + f"#/demands/{demand.id}")
    thumb = official.locator("#demand-attachments-list .att-image img")
    expect(thumb).to_have_count(1)
    official.wait_for_function("() => document.querySelector('#demand-attachments-list .att-image img').naturalWidth > 0")
    with official.expect_download() as got:
        official.locator("#demand-attachments-list .att-pdf a").click()
    data = open(got.value.path(), "rb").read()
    assert got.value.suggested_filename == "平面图.pdf" and data.startswith(b"%PDF-") and ARTIST.encode() not in data


def _ent(users):
    from backend.enterprises.models import Enterprise

    return Enterprise.objects.get(name="测试精密制造有限公司")
