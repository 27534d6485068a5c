"""Every input the API takes is bounded: a structural check over the route list.

Walks each operation's body, query, form and path models and fails on a field
that could carry an unbounded value: text without CleanText (NUL bytes became
500s on PostgreSQL) or without a maximum length, a number without a finite
range (an area of 5e-324 m² made a rent per m² infinite), a date outside
2000-01-01 … 2100-12-31 (year 1 and 9999 overflowed date arithmetic: 500s),
a nested model that does not forbid unknown fields and non-finite numbers.
"""

import datetime as dt
import decimal
import enum
import types
import typing
import uuid

import annotated_types
import pytest
from pydantic import AwareDatetime, BaseModel
from pydantic.fields import FieldInfo

from backend.api import api
from backend.kernel import inputs
from backend.kernel.inputs import InputSchema

# Inputs that are structures, validated as a whole by their own code.
FREE_FORM = {
    ("SiteAreaSearchIn", "polygon"): "parse_polygon(): GeoJSON (Multi)Polygon, ≤ 2000 vertices, WGS-84 range, valid",
    ("SavedSearchIn", "polygon"): "parse_polygon(), and what is stored is shapely's rebuilt mapping",
}


def _meta_of(meta: list) -> list:
    out = []
    for m in meta:
        out.extend(m.metadata if isinstance(m, FieldInfo) else [m])
    return out


def _has(meta: list, *kinds) -> bool:
    return any(isinstance(m, kinds) for m in meta)


def check(tp, meta: list, where: str, problems: list[str]) -> None:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        base, *extra = typing.get_args(tp)
        return check(base, meta + _meta_of(extra), where, problems)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(tp):
            if arg is not type(None):
                check(arg, meta, where, problems)
        return
    if origin is typing.Literal or tp in (bool, uuid.UUID) or (isinstance(tp, type) and issubclass(tp, enum.Enum)):
        return
    if origin in (list, set, tuple):
        if not _has(meta, annotated_types.MaxLen):
            problems.append(f"{where}: a list without max_length")
        for arg in typing.get_args(tp):
            check(arg, [], where + "[]", problems)
        return
    if tp is str:
        if not any(m is inputs.CLEAN or m is inputs.NO_CONTROLS for m in meta):
            problems.append(f"{where}: text that is not CleanText/RequiredText/Secret")
        if not _has(meta, annotated_types.MaxLen):
            problems.append(f"{where}: text without max_length")
        return
    if tp in (int, float, decimal.Decimal):
        if not (_has(meta, annotated_types.Ge, annotated_types.Gt) and _has(meta, annotated_types.Le, annotated_types.Lt)):
            problems.append(f"{where}: a number without both bounds")
        return
    if tp is dt.date:
        if not any(m is inputs.DAY_RANGE for m in meta):
            problems.append(f"{where}: a date that is not Day (2000-01-01 … 2100-12-31)")
        return
    if tp in (dt.datetime, AwareDatetime):
        if not any(m is inputs.MOMENT_RANGE for m in meta):
            problems.append(f"{where}: a time that is not Moment")
        return
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        if not issubclass(tp, InputSchema):
            problems.append(f"{where}: {tp.__name__} is not an InputSchema (extra=forbid, no NaN/Infinity)")
        for name, info in tp.model_fields.items():
            key = (tp.__name__, name)
            if key in FREE_FORM:
                continue
            check(info.annotation, list(info.metadata), f"{tp.__name__}.{name}", problems)
        return
    if getattr(tp, "__name__", "") == "UploadedFile":  # files: size and content checked by backend/images.py
        return
    problems.append(f"{where}: {tp!r} is not a known bounded input type")


def input_models():
    api.urls  # binds the routers
    for bound in api._get_bound_routers():
        for path, view in bound.path_operations.items():
            for operation in view.operations:
                yield operation, (bound.prefix.rstrip("/") + path) or "/", operation.models


def test_it_bounds_every_input_of_every_operation():
    problems: list[str] = []
    seen = 0
    for operation, path, models in input_models():
        for model in models:
            for name, info in model.model_fields.items():
                seen += 1
                where = f"{'/'.join(operation.methods)} {path} {model.__ninja_param_source__}:{name}"
                if model.__ninja_param_source__ == "path" and f"{{id:{name}}}" in operation.path:
                    continue  # the {id:...} converter: at most 18 ASCII digits (backend/converters.py)
                check(info.annotation, list(info.metadata), where, problems)
    assert seen > 40
    assert problems == []


@pytest.mark.parametrize(
    "tp",
    [str, int, float, dt.date, dict, typing.Annotated[str, inputs.CLEAN]],
)
def test_it_tells_an_unbounded_field_from_a_bounded_one(tp):
    problems: list[str] = []
    check(tp, [], "x", problems)
    assert problems, f"{tp!r} passed as bounded"
    check(typing.Annotated[str, inputs.CLEAN, FieldInfo(max_length=5)], [], "y", ok := [])
    check(inputs.Id, [], "z", ok)
    check(inputs.Day, [], "d", ok)
    assert ok == []
