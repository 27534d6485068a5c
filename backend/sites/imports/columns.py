"""Which file column is which field: Chinese or English headers, and names a Shapefile cut short."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from backend.errors import Invalid
from geo.sitefiles import match_truncated

# Canonical field → headers it may have in a file (compared after norm()).
ALIASES: dict[str, tuple[str, ...]] = {
    "external_id": ("external_id", "ext_id", "编号", "场地编号", "资产编号", "资源编号", "资产编码"),
    "name": ("name", "名称", "场地名称", "资产名称", "资源名称"),
    "type": ("type", "类型", "场地类型", "资产类型", "资源类型"),
    "address": ("address", "地址", "坐落", "坐落位置", "详细地址"),
    "village": ("village", "所属村", "村", "村/社区", "村居", "区域", "片区"),
    "building_area_m2": ("building_area_m2", "bldg_m2", "建筑面积", "建筑面积(m²)", "建筑面积(m2)"),
    "land_area_m2": ("land_area_m2", "land_m2", "土地面积(m²)", "土地面积(m2)", "占地面积(m²)", "占地面积"),
    "land_area_mu": ("land_area_mu", "land_mu", "土地面积(亩)", "占地面积(亩)", "土地面积", "亩数"),
    "floors": ("floors", "层数", "楼层数"),
    "floor_height_m": ("floor_height_m", "height_m", "层高", "层高(m)", "层高(米)"),
    "floor_load_kn_m2": ("floor_load_kn_m2", "load_kn", "楼面荷载", "楼面荷载(kn/m²)", "承重", "荷载"),
    "power_kva": ("power_kva", "用电容量", "用电容量(kva)", "电力容量", "配电容量", "变压器容量"),
    "crane": ("crane", "行车", "有无行车", "起重机"),
    "fire_rating": ("fire_rating", "fire", "火灾危险性", "消防等级", "消防类别"),
    "land_use": ("land_use", "用地性质", "用地类型", "土地用途"),
    "property_rights": ("property_rights", "rights", "产权状况", "产权", "权属"),
    "rent_value": ("rent_value", "rent", "租金", "租金价格", "价格"),
    "rent_unit": ("rent_unit", "租金单位", "价格单位"),
    "status": ("status", "状态", "招租状态", "使用状态"),
    "available_from": ("available_from", "avail_from", "可租日期", "起租日期", "可入驻日期"),
    "last_confirmed": ("last_confirmed", "confirmed", "确认日期", "最近确认", "更新日期"),
    "owner_unit_code": ("owner_unit_code", "unit_code", "单位编码", "持有单位编码", "资源持有单位编码"),
    "owner_unit_name": ("owner_unit_name", "unit_name", "资源持有单位", "持有单位", "权属单位", "产权单位"),
    "contact_name": ("contact_name", "contact", "联系人"),
    "contact_mobile": ("contact_mobile", "mobile", "联系电话", "手机", "电话", "联系方式"),
    "description": ("description", "remark", "描述", "说明", "备注", "简介"),
}
LABELS = {
    "external_id": "编号",
    "name": "名称",
    "type": "类型",
    "owner_unit_code": "单位编码",
    "owner_unit_name": "资源持有单位",
    "land_area_m2": "土地面积(m²)",
    "land_area_mu": "土地面积(亩)",
}
CJK = re.compile(r"[\u4e00-\u9fff]")


def norm(text: Any) -> str:
    value = str(text).strip().lower()
    value = value.replace("（", "(").replace("）", ")").replace("㎡", "m²").replace("平方米", "m²").replace("m2", "m²")
    return re.sub(r"\s+", "", value)


def norm_word(text: Any) -> str:
    return norm(text).replace("／", "/").replace("每", "/").replace("平米", "m²")


def _has_chinese(series: pd.Series) -> bool:
    return any(isinstance(v, str) and CJK.search(v) for v in series.dropna().head(50))


def map_columns(table: pd.DataFrame) -> dict[str, str]:
    """canonical field → the file's column, from the headers present.

    Exact aliases first; then names a Shapefile cut to 10 bytes (``external_i``,
    ``owner_unit``/``owner_un_1``). When a cut name could be several fields, the
    owner unit's code and name are told apart by content (a name is Chinese), others
    by the order GDAL renames clashes in (first = plain cut); a cut name that still
    cannot be told is refused rather than guessed (亩 and m² differ 667-fold).
    """
    headers = [str(c) for c in table.columns]
    normalized = {norm(h): h for h in headers}
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for canonical, aliases in ALIASES.items():
        for alias in aliases:
            column = normalized.get(norm(alias))
            if column is not None and column not in used:
                mapping[canonical] = column
                used.add(column)
                break
    truncated = {c: [f for f in fields if f not in mapping] for c, fields in match_truncated(
        [h for h in headers if h not in used], ALIASES, norm=norm
    ).items()}
    groups: dict[tuple[str, ...], list[str]] = {}
    for column, fields in truncated.items():
        if fields:
            groups.setdefault(tuple(fields), []).append(column)
    for fields, columns in groups.items():
        if len(fields) == 1 and len(columns) == 1:
            mapping[fields[0]] = columns[0]
            continue
        if set(fields) == {"owner_unit_code", "owner_unit_name"} and len(columns) <= 2:
            chinese = [c for c in columns if _has_chinese(table[c])]
            latin = [c for c in columns if c not in chinese]
            if len(chinese) <= 1 and len(latin) <= 1:
                if chinese:
                    mapping["owner_unit_name"] = chinese[0]
                if latin:
                    mapping["owner_unit_code"] = latin[0]
                continue
        if len(columns) == len(fields):
            # GDAL: the earlier field keeps the plain cut, later ones get _1, _2 …
            ordered = [c for c in columns if not re.search(r"_\d$", c)] + sorted(c for c in columns if re.search(r"_\d$", c))
            if len(ordered) == len(fields):
                mapping.update(zip(fields, ordered, strict=True))
                continue
        raise Invalid(
            f"无法确定列 {'、'.join(columns)} 是哪一项（Shapefile 把字段名截成了 10 个字符，可能是 "
            + "、".join(fields)
            + "）：请在文件中把它改成完整的中文列名，如 "
            + "、".join(LABELS.get(f, f) for f in fields[:2]),
            field="file",
        )
    return mapping


def require_columns(*, mapping: dict[str, str], headers: list[str]) -> None:
    missing = [LABELS[n] + f"（{n}）" for n in ("external_id", "name", "type") if n not in mapping]
    if "owner_unit_code" not in mapping and "owner_unit_name" not in mapping:
        missing.append("单位编码或资源持有单位（owner_unit_code / owner_unit_name）")
    if missing:
        found = "、".join(headers) if headers else "（没有属性列）"
        raise Invalid(f"文件缺少必需的列：{'、'.join(missing)}。文件中的列：{found}", field="file")
