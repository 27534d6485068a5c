"""The `{id:name}` path converter for object ids in API routes.

At most 18 digits, so every id that matches fits a 64-bit database integer:
`/api/visits/99999999999999999999999` is a plain 404 instead of an overflow
inside the database driver (schemathesis found that one).
"""

from django.urls import register_converter


class IdConverter:
    regex = "[1-9][0-9]{0,17}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")
