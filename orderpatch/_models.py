r"""Base classes of every vendor's request and response models.

* ``RequestModel`` subclasses are frozen attrs classes whose optional fields default to
  ``UNSET``; their types are checked when the object is built (``ValidationError``). Declare
  them ``@attrs.frozen(kw_only=True, repr=False)``: ``repr=False`` keeps this base's ``repr``,
  which shows only the fields that are set (``OrderUpdate(email='a@b.co')``, not forty
  ``UNSET``\ s). ``tests/test_models.py`` checks every subclass does.
* ``ResponseModel`` subclasses keep every key the vendor sent that the model does not know in
  ``extra``, so a vendor's new fields are never silently dropped. Each has ``to_dict()`` and
  ``to_json()``: the vendor's JSON field names, ``extra`` merged back, money as exact strings,
  timestamps ISO-8601, and every ``Secret`` as ``"***"``.
* A field's JSON name differs from its Python name through ``metadata=wire("_archive")``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import cast

import attrs

from ._types import UNSET, JSONValue
from ._validation import check_model

__all__ = ["WIRE_NAME", "RequestModel", "ResponseModel", "set_fields_repr", "wire"]

#: The ``attrs`` metadata key holding a field's JSON name.
WIRE_NAME = "orderpatch.wire_name"


def wire(name: str) -> Mapping[str, str]:
    """Field metadata that gives the field's JSON name: ``attrs.field(metadata=wire("_place"))``."""
    return {WIRE_NAME: name}


class RequestModel:
    """Mixin of request models: validates field types as soon as the object is built.

    Its ``repr`` shows only the fields that are set (not ``UNSET``), in declaration order, and
    leaves out fields declared ``repr=False``.
    """

    __slots__ = ()

    def __attrs_post_init__(self) -> None:
        check_model(self)

    def __repr__(self) -> str:
        return set_fields_repr(self)


def set_fields_repr(model: object) -> str:
    """``Name(field=value, …)`` of the fields of an attrs instance that are not ``UNSET``."""
    parts: list[str] = []
    for field in attrs.fields(cast("type[attrs.AttrsInstance]", type(model))):
        value = getattr(model, field.name)
        if value is UNSET or field.repr is False:
            continue
        shown = field.repr(value) if callable(field.repr) else repr(value)
        parts.append(f"{field.name}={shown}")
    return f"{type(model).__name__}({', '.join(parts)})"


@attrs.frozen(kw_only=True)
class ResponseModel:
    """Base of response models: ``extra`` holds the keys this version of orderpatch does not know."""

    extra: dict[str, JSONValue] = attrs.field(factory=dict, repr=False)

    def to_dict(self) -> dict[str, JSONValue]:
        """The model as JSON-ready data: the vendor's field names, ``extra`` merged back.

        Money comes as exact decimal strings, timestamps as ISO-8601, enums as their values,
        nested models as objects, and every ``Secret`` (e.g. a Trunkery payment's
        ``client_secret``) as ``"***"``, so the result is safe to print or log.

        >>> order.to_dict()["number"]          # doctest: +SKIP
        'R123456789'
        """
        from ._convert import to_json_data  # here: _convert imports this module

        return to_json_data(self)

    def to_json(self, *, indent: int | None = 2) -> str:
        """:meth:`to_dict` as a JSON string (``indent=None`` for one line); non-ASCII kept as is."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)
