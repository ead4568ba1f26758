"""Column mappings for exports no adapter recognises, saved under their header's signature."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from clusterkpi.i18n import t
from clusterkpi.imports.adapters import ADAPTERS
from clusterkpi.imports.adapters.templates import TEMPLATES
from clusterkpi.imports.fields import Adapter, Kind, normalize
from clusterkpi.imports.reading import RawTable, read_file
from clusterkpi.store import Store

SOURCE_PREFIX = "mapping:"
# One template per dataset: a mapping's target dataset names its template.
TEMPLATE_FOR: dict[str, Adapter] = {a.dataset: a for a in TEMPLATES if a.dataset}


def header_signature(header: list[str] | tuple[str, ...]) -> str:
    """Return the sha256 of a header's normalised cells, in order.

    Case, accents, punctuation and trailing empty cells do not count, so the next
    export of the same shape has the same signature; renaming, adding or moving a
    column changes it.
    """
    cells = [normalize(cell) for cell in header]
    while cells and not cells[-1]:
        cells.pop()
    return hashlib.sha256("|".join(cells).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class MappingIssue:
    """One reason a mapping does not fit its template or its file's header."""

    code: str
    params: dict[str, str] = field(default_factory=dict)

    def message(self, lang: str) -> str:
        """Return the issue in the user's language."""
        return t(f"mapping.issue.{self.code}", lang, **self.params)


def mapping_issues(
    dataset: str,
    columns: dict[str, str],
    translations: dict[str, dict[str, str]],
    header: list[str] | tuple[str, ...] | None = None,
) -> list[MappingIssue]:
    """Return every reason the mapping does not fit its dataset's template (and header).

    Without ``header`` the columns are not checked against the file.
    """
    template = TEMPLATE_FOR.get(dataset)
    if template is None:
        choices = ", ".join(TEMPLATE_FOR)
        return [
            MappingIssue("unknown_dataset", {"dataset": dataset, "choices": choices})
        ]
    specs = {f.target: f for f in template.fields}
    issues = [
        MappingIssue("unknown_field", {"field": name, "dataset": dataset})
        for name in [*columns, *(n for n in translations if n not in columns)]
        if name not in specs
    ]
    issues += [
        MappingIssue("required_unmapped", {"field": f.target})
        for f in template.fields
        if f.required and f.default is None and f.target not in columns
    ]
    if header is not None:  # matched like aliases: case and accents do not count
        present = {normalize(cell) for cell in header}
        issues += [
            MappingIssue("not_in_header", {"field": name, "column": cell})
            for name, cell in columns.items()
            if name in specs and normalize(cell) not in present
        ]
    for name, values in translations.items():
        spec = specs.get(name)
        if spec is None:
            continue
        if spec.kind is not Kind.CATEGORY:
            issues.append(MappingIssue("not_a_category", {"field": name}))
            continue
        allowed = sorted(set(spec.categories.values()))
        issues += [
            MappingIssue(
                "unknown_value",
                {
                    "field": name,
                    "raw": raw,
                    "value": value,
                    "choices": ", ".join(allowed),
                },
            )
            for raw, value in values.items()
            if value not in allowed
        ]
    return issues


class ColumnMapping(BaseModel):
    """Where each field of a dataset's template sits in an export, and how to read it.

    ``columns`` maps a field (``joined_on``) to the header cell holding it
    (``Arrivée le``); ``translations`` maps, per category field, a value of the file
    (``Labo public``) to a canonical value (``research_lab``). Validated with
    ``context={"header": [...]}``, the mapped cells must also be in that header.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    dataset: str
    columns: dict[str, str]
    date_order: Literal["dmy", "mdy"] | None = None
    translations: dict[str, dict[str, str]] = Field(default_factory=dict)
    label: str = Field(min_length=1)

    @model_validator(mode="after")
    def _fits_template(self, info: ValidationInfo) -> ColumnMapping:
        header = (info.context or {}).get("header")
        issues = mapping_issues(self.dataset, self.columns, self.translations, header)
        if issues:
            raise ValueError("\n".join(issue.message("en") for issue in issues))
        return self


@dataclass(frozen=True)
class SavedMapping:
    """A mapping as stored: the header it was made for, and when it last changed."""

    signature: str
    header: tuple[str, ...]
    mapping: ColumnMapping
    updated_at: datetime


def check_mapping(
    mapping: ColumnMapping, header: list[str] | tuple[str, ...]
) -> ColumnMapping:
    """Return the mapping validated against ``header`` (raises pydantic's ValidationError)."""
    return ColumnMapping.model_validate(
        mapping.model_dump(), context={"header": list(header)}
    )


def save_mapping(
    store: Store, header: list[str] | tuple[str, ...], mapping: ColumnMapping
) -> str:
    """Save (or replace) the mapping of exports with this header; return its signature."""
    check_mapping(mapping, header)
    signature = header_signature(header)
    document = json.dumps(
        {"header": list(header), "mapping": mapping.model_dump(mode="json")},
        ensure_ascii=False,
    )
    store.execute(
        "INSERT INTO column_mappings (signature, dataset, mapping) VALUES (?, ?, ?)"
        " ON CONFLICT (signature) DO UPDATE SET dataset = excluded.dataset,"
        " mapping = excluded.mapping, updated_at = now()",
        [signature, mapping.dataset, document],
    )
    return signature


def load_mapping(
    store: Store, header: list[str] | tuple[str, ...]
) -> ColumnMapping | None:
    """Return the mapping saved for exports with this header, if any."""
    document = store.scalar(
        "SELECT mapping FROM column_mappings WHERE signature = ?",
        [header_signature(header)],
    )
    if document is None:
        return None
    return ColumnMapping.model_validate(
        json.loads(document)["mapping"], context={"header": list(header)}
    )


def list_mappings(store: Store) -> list[SavedMapping]:
    """Return every saved mapping, the most recently changed first."""
    rows = store.rows(
        "SELECT signature, mapping, updated_at FROM column_mappings"
        " ORDER BY updated_at DESC, signature"
    )
    saved = []
    for signature, document, updated_at in rows:
        data = json.loads(document)
        header = tuple(data["header"])
        mapping = ColumnMapping.model_validate(
            data["mapping"], context={"header": list(header)}
        )
        saved.append(SavedMapping(signature, header, mapping, updated_at))
    return saved


def delete_mapping(store: Store, signature: str) -> bool:
    """Delete a saved mapping; tell whether there was one."""
    deleted = store.rows(
        "DELETE FROM column_mappings WHERE signature = ? RETURNING signature",
        [signature],
    )
    return bool(deleted)


def mapping_label(store: Store, source: str) -> str | None:
    """Return the label of the saved mapping an import result names as its source."""
    if not source.startswith(SOURCE_PREFIX):
        return None
    document = store.scalar(
        "SELECT mapping FROM column_mappings WHERE starts_with(signature, ?)"
        " ORDER BY signature LIMIT 1",
        [source.removeprefix(SOURCE_PREFIX)],
    )
    return None if document is None else json.loads(document)["mapping"]["label"]


def mapping_for(
    store: Store,
    header: list[str] | tuple[str, ...],
    building: ColumnMapping | None = None,
) -> ColumnMapping | None:
    """Return the mapping for a table: the one being built if it fits, else the saved one."""
    if building is not None and not mapping_issues(
        building.dataset, building.columns, building.translations, header
    ):
        return building
    return load_mapping(store, header)


def mapped_adapter(
    mapping: ColumnMapping, header: list[str] | tuple[str, ...]
) -> Adapter:
    """Return the dataset's template reading exactly the mapped columns of ``header``.

    Fields, kinds, keys and post SQL are the template's; a field reads only the
    header cell it is mapped to (none when unmapped), and its categories include the
    mapping's translations.
    """
    template = TEMPLATE_FOR[mapping.dataset]
    fields = tuple(
        replace(
            spec,
            columns=(mapping.columns[spec.target],)
            if spec.target in mapping.columns
            else (),
            contains=(),
            categories={
                **spec.categories,
                **mapping.translations.get(spec.target, {}),
            },
        )
        for spec in template.fields
    )
    return replace(
        template,
        name=SOURCE_PREFIX + header_signature(header)[:12],
        label=mapping.label,
        fields=fields,
    )


def read_sample(name: str, raw: bytes) -> list[RawTable]:
    """Return a file's tables exactly as the importer reads them (same header rows)."""
    return read_file(
        name,
        raw,
        is_known_header=lambda cells: any(a.matches(cells) for a in ADAPTERS.values()),
    )
