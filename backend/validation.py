"""Turn pydantic's error list into {field: Chinese message} for the PWA's forms."""

_MESSAGES = {
    "missing": "此项为必填项",
    "extra_forbidden": "不允许提交此字段",
    "string_pattern_mismatch": "格式不正确",
    "string_too_short": "内容太短",
    "string_too_long": "内容太长",
    "string_type": "应为文本",
    "string_unicode": "含有无法识别的字符",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "finite_number": "应为有限的数字（不能是 NaN 或无穷大）",
    "int_from_float": "应为整数",
    "date_type": "应为日期 YYYY-MM-DD",
    "datetime_type": "应为带时区的 ISO 8601 时间",
    "date_from_datetime_inexact": "应为日期 YYYY-MM-DD",
    "bool_parsing": "应为是/否",
    "uuid_parsing": "应为 UUID",
    "uuid_type": "应为 UUID",
    "datetime_parsing": "应为带时区的 ISO 8601 时间",
    "datetime_from_date_parsing": "应为带时区的 ISO 8601 时间",
    "timezone_aware": "时间必须带时区",
    "date_parsing": "应为日期 YYYY-MM-DD",
    "date_from_datetime_parsing": "应为日期 YYYY-MM-DD",
    "enum": "不是可选的值",
    "literal_error": "不是可选的值",
    "json_invalid": "不是有效的 JSON",
    "list_type": "应为列表",
    "too_long": "条目过多",
    "too_short": "条目过少",
}


def _message(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "value_error":
        # Our own validators raise ValueError with a Chinese message.
        return str(ctx.get("error") or error.get("msg", "")).removeprefix("Value error, ")
    if kind in ("greater_than_equal", "greater_than"):
        return f"应不小于 {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"应不大于 {ctx.get('le', ctx.get('lt'))}"
    if kind == "string_too_long" and "max_length" in ctx:
        return f"最多 {ctx['max_length']} 个字符"
    if kind == "string_too_short" and "min_length" in ctx:
        return "此项不能为空" if ctx["min_length"] == 1 else f"至少 {ctx['min_length']} 个字符"
    return _MESSAGES.get(kind, error.get("msg", "格式不正确"))


def field_errors(errors: list[dict]) -> dict[str, str]:
    out: dict[str, str] = {}
    for error in errors:
        # loc is e.g. ("body", "payload", "lat") or ("query", "limit"): keep the field path.
        loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path", "form", "payload")]
        out.setdefault(".".join(loc) or "body", _message(error))
    return out
