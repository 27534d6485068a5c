"""/api/economy (issue 16 items 1–2): the indicator spreadsheet, figures like for like, the rows
behind each figure, corrections with history, trends with gaps."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from apisupport import ApiClient, valid_uscc
from backend.economy.models import Correction, ImportBatch, MonthlyIndicator
from backend.enterprises.services import enterprise_create

pytestmark = pytest.mark.django_db

HEAD = ["统一社会信用代码", "企业名称", "月份", "是否规上", "税收（万元）", "营业收入（万元）", "从业人员（人）"]


def xlsx(rows, head=HEAD) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(head)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, data: bytes, *, dry_run=False, name="2026年经济数据.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        "/api/economy/imports",
        {"file": SimpleUploadedFile(name, data), "dry_run": "true" if dry_run else "false"},
        HTTP_X_CSRFTOKEN=client.token(),
    )


def as_user(user) -> ApiClient:
    client = ApiClient()
    client.force_login(user)
    return client


@pytest.fixture
def firms(db):
    """Three manufacturers and a retailer; B entered 规上 in 2026, D left it."""
    return {
        key: enterprise_create(uscc=valid_uscc(f"91310000MA1K{i:03d}"), name=f"企业{key}", lat=31.12, lng=121.42, industry=industry)
        for i, (key, industry) in enumerate([("A", "C"), ("B", "C"), ("C", "C"), ("D", "F")], start=1)
    }


@pytest.fixture
def loaded(users, firms):
    rows = []
    for key, (tax_25, tax_26, above_25, above_26) in {
        "A": (100, 120, "是", "是"),
        "B": (40, 50, "否", "是"),
        "C": (30, None, "是", "是"),  # no 2026-03 tax: missing, not zero
        "D": (200, 10, "是", "否"),
    }.items():
        uscc = firms[key].uscc
        rows.append([uscc, f"企业{key}", "2025-03", above_25, tax_25, tax_25 * 10, 50])
        rows.append([uscc, f"企业{key}", "2026年3月", above_26, tax_26, None, 55])
    rows.append([firms["A"].uscc, "企业A", dt.datetime(2026, 2, 1), "是", 110, 1100, 55])
    response = upload(as_user(users["admin"]), xlsx(rows))
    assert response.status_code == 200, response.content
    assert response.json()["imported"] is True
    return response.json()


def test_it_imports_the_spreadsheet_and_keeps_its_batch(loaded, firms):
    assert (loaded["created"], loaded["updated"], loaded["problems"]) == (9, 0, [])
    row = MonthlyIndicator.objects.get(enterprise=firms["A"], month=dt.date(2026, 3, 1))
    assert (row.tax, row.revenue, row.employees, row.above_scale) == (Decimal("120.00"), None, Decimal("55.00"), True)
    assert row.batch.file_name == "2026年经济数据.xlsx"


def test_it_compares_above_scale_firms_like_for_like(loaded, users):
    body = as_user(users["manager"]).get("/api/economy/figures", {"metric": "tax", "month": "2026-03", "scope": "above_scale"}).json()
    total = body["total"]
    # 规上 in March 2026: A, B (entered) and C; D left and is in neither side.
    assert total["enterprises"] == 3
    assert Decimal(str(total["current"])) == Decimal("170")  # A 120 + B 50; C has no value
    yoy = total["comparisons"]["yoy"]
    assert (Decimal(str(yoy["comparable_current"])), Decimal(str(yoy["comparable_base"]))) == (Decimal("170"), Decimal("140"))
    assert yoy["label"] == "+21.4%"
    assert total["missing_current_count"] == 1 and total["missing_current"][0]["months"] == ["2026-03"]
    # 环比: only A reported February.
    assert body["total"]["comparisons"]["mom"]["comparable"] == 1


def test_it_opens_the_rows_behind_a_figure(loaded, users):
    client = as_user(users["manager"])
    figure = client.get("/api/economy/figures", {"metric": "tax", "month": "2026-03", "by": "industry"}).json()
    manufacturing = next(r for r in figure["rows"] if r["group"] == "C")
    assert manufacturing["label"] == "C 制造业"
    rows = client.get("/api/economy/rows", manufacturing["filter"]).json()
    assert {i["enterprise_name"] for i in rows["items"]} == {"企业A", "企业B", "企业C"}
    summed = sum(Decimal(str(i["sides"]["yoy"]["current"])) for i in rows["items"] if i["sides"]["yoy"]["current"] is not None)
    assert summed == Decimal(str(manufacturing["current"]))
    compared = [i for i in rows["items"] if i["sides"]["yoy"]["comparable"]]
    assert sum(Decimal(str(i["sides"]["yoy"]["base"])) for i in compared) == Decimal(str(manufacturing["comparisons"]["yoy"]["comparable_base"]))
    assert all(i["batch"] == "2026年经济数据.xlsx" for i in rows["items"])


def test_it_refuses_a_file_with_problems_and_writes_nothing(users, firms):
    rows = [
        [firms["A"].uscc, "企业A", "2026-13", "是", 1, 1, 1],
        ["91310000XXXXXXXXXX", "无名", "2026-01", "是", 1, 1, 1],
        [firms["B"].uscc, "企业B", "2026-01", "也许", "一百", -5, 1],
        [firms["C"].uscc, "企业C", "2026-01", "否", 1, 1, 1],
        [firms["C"].uscc, "企业C", "2026年1月", "否", 2, 2, 2],
    ]
    body = upload(as_user(users["admin"]), xlsx(rows)).json()
    assert body["imported"] is False
    problems = {(p["row"], p["field"]) for p in body["problems"]}
    assert problems == {(2, "月份"), (3, "统一社会信用代码"), (4, "是否规上"), (4, "税收"), (4, "营业收入"), (6, "月份")}
    assert "未导入任何数据" in body["summary"]
    assert not MonthlyIndicator.objects.exists() and not ImportBatch.objects.exists()


def test_it_keeps_what_a_reimport_changed(loaded, users, firms):
    client = as_user(users["admin"])
    rows = [[firms["A"].uscc, "企业A", "2025-03", "是", 90, 1000, 50]]
    dry = upload(client, xlsx(rows), dry_run=True).json()
    assert (dry["imported"], dry["updated"], dry["corrected"]) == (False, 1, 1)
    assert MonthlyIndicator.objects.get(enterprise=firms["A"], month=dt.date(2025, 3, 1)).tax == Decimal("100.00")
    body = upload(client, xlsx(rows), name="更正.xlsx").json()
    assert (body["updated"], body["corrected"]) == (1, 1)
    correction = Correction.objects.get()
    assert (correction.field, correction.old, correction.new, correction.batch.file_name) == ("tax", Decimal("100.00"), Decimal("90.00"), "更正.xlsx")


def test_it_lets_an_admin_correct_one_value_with_history(loaded, users, firms):
    row = MonthlyIndicator.objects.get(enterprise=firms["B"], month=dt.date(2025, 3, 1))
    admin = as_user(users["admin"])
    response = admin.post_json(f"/api/economy/indicators/{row.id}/corrections", {"field": "tax", "value": "-3", "reason": "税务局更正：退税"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert Decimal(str(body["tax"])) == Decimal("-3")
    assert Decimal(body["corrections"][0]["old"]) == 40 and body["corrections"][0]["reason"] == "税务局更正：退税"
    figure = as_user(users["manager"]).get("/api/economy/figures", {"metric": "tax", "month": "2026-03", "scope": "above_scale"}).json()
    assert Decimal(str(figure["total"]["comparisons"]["yoy"]["comparable_base"])) == Decimal("97")  # 100 − 3
    for bad in ("NaN", "Infinity", "1e13", "1.234"):
        response = admin.post_json(f"/api/economy/indicators/{row.id}/corrections", {"field": "tax", "value": bad, "reason": "x"})
        assert response.status_code == 422, bad
    refused = as_user(users["manager"]).post_json(f"/api/economy/indicators/{row.id}/corrections", {"field": "tax", "value": "1", "reason": "x"})
    assert refused.status_code == 403


def test_it_draws_a_month_without_data_as_a_gap(loaded, users):
    body = as_user(users["manager"]).get("/api/economy/trend", {"metric": "tax", "end": "2026-03", "months": 13}).json()
    points = {p["month"]: p for p in body["points"]}
    assert points["2026-01"]["value"] is None and points["2026-01"]["enterprises"] == 0
    assert Decimal(points["2026-03"]["value"]) == 180 and points["2026-03"]["yoy"] == "-47.1%"  # 180 vs 340: C has no March 2026 tax
    assert Decimal(points["2025-03"]["value"]) == 370


def test_it_shows_figures_to_managers_and_admins_only(loaded, users):
    query = {"metric": "tax", "month": "2026-03"}
    assert ApiClient().get("/api/economy/figures", query).status_code == 401
    for role in ("staff", "enterprise", "owner"):
        assert as_user(users[role]).get("/api/economy/figures", query).status_code == 403, role
    assert as_user(users["admin"]).get("/api/economy/figures", query).status_code == 200
    assert upload(as_user(users["manager"]), xlsx([])).status_code == 403


@pytest.mark.parametrize(
    "query",
    [
        {"metric": "tax", "month": "2026-13"},
        {"metric": "profit", "month": "2026-03"},
        {"metric": "tax", "month": "2026-03", "kind": "week"},
        {"metric": "tax", "month": "2026-03", "extra": "1"},
    ],
)
def test_it_refuses_bad_queries_in_chinese(users, query):
    response = as_user(users["manager"]).get("/api/economy/figures", query)
    assert response.status_code == 422


def test_it_refuses_a_file_too_large_before_reading_it(users, settings):
    settings.ECONOMY_IMPORT_MAX_BYTES = 1000
    response = upload(as_user(users["admin"]), b"x" * 2000)
    assert response.status_code == 413


def test_it_refuses_a_file_that_is_not_a_workbook(users):
    response = upload(as_user(users["admin"]), b"PK\x03\x04 not really")
    assert response.status_code == 422
    assert "Excel" in response.content.decode()


def test_it_names_the_columns_a_file_has_when_required_ones_are_missing(users):
    response = upload(as_user(users["admin"]), xlsx([["a", "b"]], head=["名称", "金额"]))
    assert response.status_code == 422
    assert "名称、金额" in response.content.decode()


def test_it_keeps_months_on_their_first_day_in_the_database(users, firms):
    from django.db import IntegrityError, transaction

    batch = ImportBatch.objects.create(file_name="x.xlsx", imported_by=users["admin"])
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyIndicator.objects.create(enterprise=firms["A"], month=dt.date(2026, 3, 15), batch=batch)
    MonthlyIndicator.objects.create(enterprise=firms["A"], month=dt.date(2026, 3, 1), batch=batch)


def test_it_keeps_no_control_characters_of_an_uploaded_file_s_name(users, firms):
    from backend.economy.imports import indicators_import

    data = xlsx([[firms["A"].uscc, "企业A", "2026-03", "是", 1, 1, 1]])
    report = indicators_import(user=users["admin"], data=data, file_name="月报\x00\x07\u0085.xlsx")
    assert ImportBatch.objects.get(id=report.batch_id).file_name == "月报.xlsx"
