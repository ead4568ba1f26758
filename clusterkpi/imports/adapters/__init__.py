"""The registry of source adapters: real exports first, then clusterkpi's templates."""

from __future__ import annotations

from collections.abc import Sequence

from clusterkpi.imports.adapters.crm import CRM_SOURCES
from clusterkpi.imports.adapters.email import EMAIL_SOURCES
from clusterkpi.imports.adapters.events import EVENT_SOURCES
from clusterkpi.imports.adapters.press import PRESS_SOURCES
from clusterkpi.imports.adapters.social import SOCIAL_SOURCES
from clusterkpi.imports.adapters.surveys import SURVEY_SOURCES
from clusterkpi.imports.adapters.templates import TEMPLATES
from clusterkpi.imports.adapters.web import WEB_SOURCES
from clusterkpi.imports.fields import Adapter

# Scored by imports.recognition; at equal scores the first listed wins, so Google
# Forms (a lone 'Timestamp' column) stays last.
SOURCES: tuple[Adapter, ...] = (
    *EMAIL_SOURCES,
    *CRM_SOURCES,
    *EVENT_SOURCES,
    *WEB_SOURCES,
    *SOCIAL_SOURCES,
    *PRESS_SOURCES,
    *SURVEY_SOURCES,
)
ADAPTERS: dict[str, Adapter] = {a.name: a for a in (*SOURCES, *TEMPLATES)}


def find_adapter(
    header: list[str] | tuple[str, ...], context: Sequence[str] = ()
) -> Adapter | None:
    """Recognise a table from its header: the best-scoring adapter (see recognition).

    ``context`` holds the table's preamble and title lines (GA4, Meta insights).
    """
    # Imported here: recognition scores the adapters this module registers.
    from clusterkpi.imports.recognition import recognise

    return recognise(header, context)[0]
