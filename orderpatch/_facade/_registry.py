"""Which adapter serves which vendor; an adapter module (and its vendor package) loads on first use."""

from __future__ import annotations

import functools
import importlib

from .._config import VENDORS
from ..errors import ConfigurationError
from ._adapter import VendorAdapter

__all__ = ["adapter_for"]


@functools.cache
def adapter_for(vendor: str) -> VendorAdapter:
    """The adapter of ``vendor`` (``ConfigurationError`` for a name the facade does not know)."""
    if vendor not in VENDORS:
        known = ", ".join(VENDORS)
        raise ConfigurationError(f"vendor: unknown vendor {vendor!r} (known vendors: {known})", key="vendor")
    adapter = importlib.import_module(f"{__package__}._{vendor}").ADAPTER
    assert isinstance(adapter, VendorAdapter)
    return adapter


def mapping_table() -> str:
    """The ``OrderChanges`` → vendor field table (Markdown) that ``docs/facade.md`` shows, from the adapters' rules."""
    import attrs

    from .._config import VENDORS
    from ._adapter import To
    from ._changes import OrderChanges

    adapters = [adapter_for(vendor) for vendor in VENDORS]
    lines = [
        "| `OrderChanges` | " + " | ".join(a.vendor for a in adapters) + " |",
        "|---|" + "---|" * len(adapters),
    ]
    for field in attrs.fields(OrderChanges):
        cells = []
        for adapter in adapters:
            rule = adapter.rules[field.name]
            if isinstance(rule, To):
                cell = f"`{rule.field}`"
                if rule.no_null:
                    cell += " (no `None`)"
            else:
                cell = f"✗ → `{rule.alternative.removeprefix('orderpatch.')}`"
            cells.append(cell + (f" — {rule.note}" if rule.note else ""))
        lines.append(f"| `{field.name}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
