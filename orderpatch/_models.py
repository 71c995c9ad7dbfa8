"""Base classes of every vendor's request and response models.

* ``RequestModel`` subclasses are frozen attrs classes whose optional fields default to
  ``UNSET``; their types are checked when the object is built (``ValidationError``).
* ``ResponseModel`` subclasses keep every key the vendor sent that the model does not know in
  ``extra``, so a vendor's new fields are never silently dropped.
* A field's JSON name differs from its Python name through ``metadata=wire("_archive")``.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from ._types import JSONValue
from ._validation import check_model

__all__ = ["WIRE_NAME", "RequestModel", "ResponseModel", "wire"]

#: The ``attrs`` metadata key holding a field's JSON name.
WIRE_NAME = "orderpatch.wire_name"


def wire(name: str) -> Mapping[str, str]:
    """Field metadata that gives the field's JSON name: ``attrs.field(metadata=wire("_place"))``."""
    return {WIRE_NAME: name}


class RequestModel:
    """Mixin of request models: validates field types as soon as the object is built."""

    __slots__ = ()

    def __attrs_post_init__(self) -> None:
        check_model(self)


@attrs.frozen(kw_only=True)
class ResponseModel:
    """Base of response models: ``extra`` holds the keys this version of orderpatch does not know."""

    extra: dict[str, JSONValue] = attrs.field(factory=dict, repr=False)
