"""The registry of source adapters: real exports first, then clusterkpi's templates."""

from __future__ import annotations

from clusterkpi.imports.adapters.templates import TEMPLATES
from clusterkpi.imports.fields import Adapter

SOURCES: tuple[Adapter, ...] = ()
ADAPTERS: dict[str, Adapter] = {a.name: a for a in (*SOURCES, *TEMPLATES)}


def find_adapter(header: list[str] | tuple[str, ...]) -> Adapter | None:
    """Recognise a table from its header: a source's signature, else the best template."""
    for adapter in SOURCES:
        if adapter.matches(header):
            return adapter
    fitting = [a for a in TEMPLATES if a.matches(header)]
    return max(fitting, key=lambda a: a.score(header), default=None)
