"""Downloadable template files for clusterkpi's own formats, in French and English."""

from __future__ import annotations

import csv
import io

from clusterkpi.imports.adapters.templates import TEMPLATES
from clusterkpi.imports.fields import Adapter

# The English header of each template field (the French one is the field's first alias).
ENGLISH = {
    "member_id": "Member ID", "name": "Name", "member_type": "Member type",
    "country": "Country", "region": "Region", "sector": "Sector", "joined_on": "Joined",
    "left_on": "Left on", "event_id": "Event ID", "title": "Title", "kind": "Kind",
    "held_on": "Event date", "event_title": "Event", "event_date": "Event date",
    "attendee": "Email", "organisation": "Organisation", "is_member": "Member",
    "registered": "Registered", "attended": "Attended", "mention_id": "ID",
    "published_on": "Publication date", "outlet": "Outlet", "tone": "Tone", "reach": "Reach",
    "media_partner": "Media partner", "interaction_id": "ID", "occurred_on": "Date",
    "is_target": "Target company", "material_id": "ID", "produced_on": "Produced",
    "co_produced": "Co-produced with members", "partnership_id": "ID",
    "partner_name": "Partner", "signed_on": "Signed on", "ended_on": "End date",
    "project_id": "Project ID", "launched_on": "Start date", "project_title": "Project",
    "member_name": "Name", "role": "Role", "kpi_id": "KPI", "period": "Period",
    "value": "Value", "note": "Note",
}  # fmt: skip
# One example row per language, so that a filled template shows the expected forms.
EXAMPLES = {
    ("template_members", "fr"): {
        "name": "Laiterie des Causses", "member_type": "PME", "country": "France",
        "region": "Occitanie", "sector": "Laitier", "joined_on": "15/01/2024",
    },
    ("template_members", "en"): {
        "name": "Causses Dairy", "member_type": "SME", "country": "France",
        "region": "Occitanie", "sector": "Dairy", "joined_on": "2024-01-15",
    },
    ("template_observations", "fr"): {
        "kpi_id": "member_nps", "period": "2026Q2", "value": "32", "note": "Enquête externe",
    },
    ("template_observations", "en"): {
        "kpi_id": "member_nps", "period": "2026Q2", "value": "32", "note": "External survey",
    },
}  # fmt: skip


def template_headers(adapter: Adapter, lang: str) -> list[str]:
    """Return a template's column headers in ``lang``."""
    headers = []
    for spec in adapter.fields:
        if lang == "en":
            headers.append(ENGLISH.get(spec.target, spec.columns[0]))
        else:
            headers.append(spec.columns[0])
    return headers


def template_csv(name: str, lang: str) -> bytes:
    """Return a template as a UTF-8 CSV (with BOM, ';' for French Excel, ',' in English)."""
    adapter = next(a for a in TEMPLATES if a.name == name)
    out = io.StringIO()
    writer = csv.writer(
        out, delimiter=";" if lang == "fr" else ",", lineterminator="\r\n"
    )
    writer.writerow(template_headers(adapter, lang))
    example = EXAMPLES.get((name, lang))
    if example:
        writer.writerow([example.get(f.target, "") for f in adapter.fields])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
