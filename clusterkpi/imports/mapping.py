"""Column mappings for exports no adapter recognises, saved under their header's signature."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from clusterkpi.i18n import t
from clusterkpi.imports.adapters import ADAPTERS
from clusterkpi.imports.adapters.targets import TARGETS, TWINS, TYPED_VALUES
from clusterkpi.imports.fields import (
    Adapter,
    FieldMap,
    Kind,
    category_values,
    normalize,
)
from clusterkpi.imports.reading import RawTable, read_file
from clusterkpi.store import Store

SOURCE_PREFIX = "mapping:"
# One target per dataset (its template, or a mapping target): a mapping names it.
TARGET_FOR: dict[str, Adapter] = TARGETS


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
    values: dict[str, str] | None = None,
) -> list[MappingIssue]:
    """Return every reason the mapping does not fit its dataset's target (and header).

    ``values`` are typed by the animator for fields no column holds (the same value
    on every row). Without ``header`` the columns are not checked against the file.
    """
    target = TARGET_FOR.get(dataset)
    if target is None:
        choices = ", ".join(TARGET_FOR)
        return [
            MappingIssue("unknown_dataset", {"dataset": dataset, "choices": choices})
        ]
    values = values or {}
    twins = TWINS.get(dataset, {})
    specs = {f.target: f for f in target.fields if f.target not in twins}
    named = [*columns, *values, *(n for n in translations if n not in columns)]
    issues = [
        MappingIssue("unknown_field", {"field": name, "dataset": dataset})
        for name in dict.fromkeys(named)
        if name not in specs
    ]
    given = {*columns, *(name for name, value in values.items() if value.strip())}
    issues += [
        MappingIssue("required_unmapped", {"field": f.target})
        for f in specs.values()
        if f.required and f.default is None and f.target not in given
    ]
    if header is not None:  # matched like aliases: case and accents do not count
        issues += [
            MappingIssue("not_in_header", {"field": name, "column": cell})
            for name, cell in missing_columns(columns, header).items()
            if name in specs
        ]
    issues += _value_issues(specs, columns, values, TYPED_VALUES.get(dataset, set()))
    issues += _translation_issues(specs, translations)
    return issues


def missing_columns(
    columns: dict[str, str], header: list[str] | tuple[str, ...]
) -> dict[str, str]:
    """Return the mapped fields whose column the header lacks, with that column."""
    present = {normalize(cell) for cell in header}
    return {
        name: cell for name, cell in columns.items() if normalize(cell) not in present
    }


def _value_issues(
    specs: dict[str, FieldMap],
    columns: dict[str, str],
    values: dict[str, str],
    typed: frozenset[str] | set[str],
) -> list[MappingIssue]:
    issues = []
    for name, value in values.items():
        spec = specs.get(name)
        if spec is None:
            continue
        if name in columns:
            issues.append(MappingIssue("column_and_value", {"field": name}))
        elif name not in typed:
            issues.append(MappingIssue("value_not_allowed", {"field": name}))
        elif spec.kind is Kind.CATEGORY and value not in category_values(spec):
            allowed = ", ".join(category_values(spec))
            issues.append(
                MappingIssue(
                    "value_unknown",
                    {"field": name, "value": value, "choices": allowed},
                )
            )
    return issues


def _translation_issues(
    specs: dict[str, FieldMap], translations: dict[str, dict[str, str]]
) -> list[MappingIssue]:
    issues = []
    for name, values in translations.items():
        spec = specs.get(name)
        if spec is None:
            continue
        if spec.kind is not Kind.CATEGORY:
            issues.append(MappingIssue("not_a_category", {"field": name}))
            continue
        allowed = category_values(spec)
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
    """Where each field of a dataset's target sits in an export, and how to read it.

    ``columns`` maps a field (``joined_on``) to the header cell holding it
    (``Arrivée le``); ``values`` gives a text or category field no column holds one
    value for every row (``network``: ``linkedin``); ``translations`` maps, per
    category field, a value of the file (``Labo public``) to a canonical value
    (``research_lab``). ``label`` is the mapping's name. Validated with
    ``context={"header": [...]}``, the mapped cells must also be in that header.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    dataset: str
    columns: dict[str, str]
    date_order: Literal["dmy", "mdy"] | None = None
    translations: dict[str, dict[str, str]] = Field(default_factory=dict)
    values: dict[str, str] = Field(default_factory=dict)
    label: str = Field(min_length=1)

    @model_validator(mode="after")
    def _fits_template(self, info: ValidationInfo) -> ColumnMapping:
        header = (info.context or {}).get("header")
        issues = mapping_issues(
            self.dataset, self.columns, self.translations, header, self.values
        )
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

    @property
    def name(self) -> str:
        """The mapping's unique name."""
        return self.mapping.label


class MappingNameTaken(ValueError):
    """Another file shape's mapping already has this name."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name

    def message(self, lang: str) -> str:
        """Return the refusal in the user's language."""
        return t("mapping.issue.name_taken", lang, name=self.name)


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
    """Save (or replace) the mapping of exports with this header; return its signature.

    The mapping's label is its name: unique, so raises MappingNameTaken when the
    mapping of another file shape has it.
    """
    check_mapping(mapping, header)
    signature = header_signature(header)
    name = mapping.label.strip()
    document = json.dumps(
        {
            "header": list(header),
            "mapping": mapping.model_copy(update={"label": name}).model_dump(
                mode="json"
            ),
        },
        ensure_ascii=False,
    )
    with store.transaction() as cur:
        taken = cur.execute(
            "SELECT 1 FROM column_mappings WHERE name = ? AND signature <> ?",
            [name, signature],
        ).fetchall()
        if taken:
            raise MappingNameTaken(name)
        # Delete then insert: DuckDB's ON CONFLICT cannot update an indexed column.
        cur.execute("DELETE FROM column_mappings WHERE signature = ?", [signature])
        cur.execute(
            "INSERT INTO column_mappings (signature, dataset, mapping, name)"
            " VALUES (?, ?, ?, ?)",
            [signature, mapping.dataset, document, name],
        )
    return signature


def _saved(row: tuple[Any, ...]) -> SavedMapping:
    signature, document, updated_at, name = row
    data = json.loads(document)
    header = tuple(data["header"])
    mapping = ColumnMapping.model_validate(
        {**data["mapping"], "label": name}, context={"header": list(header)}
    )
    return SavedMapping(signature, header, mapping, updated_at)


_SELECT = "SELECT signature, mapping, updated_at, name FROM column_mappings"


def load_mapping(
    store: Store, header: list[str] | tuple[str, ...]
) -> ColumnMapping | None:
    """Return the mapping saved for exports with this header, if any."""
    rows = store.rows(f"{_SELECT} WHERE signature = ?", [header_signature(header)])
    return _saved(rows[0]).mapping if rows else None


def find_mapping(store: Store, name: str) -> SavedMapping | None:
    """Return the saved mapping with this name (exactly as written), if any."""
    rows = store.rows(f"{_SELECT} WHERE name = ?", [name.strip()])
    return _saved(rows[0]) if rows else None


def list_mappings(store: Store) -> list[SavedMapping]:
    """Return every saved mapping, the most recently changed first."""
    rows = store.rows(f"{_SELECT} ORDER BY updated_at DESC, signature")
    return [_saved(row) for row in rows]


def delete_mapping(store: Store, signature: str) -> bool:
    """Delete a saved mapping; tell whether there was one."""
    deleted = store.rows(
        "DELETE FROM column_mappings WHERE signature = ? RETURNING signature",
        [signature],
    )
    return bool(deleted)


def delete_named(store: Store, name: str) -> bool:
    """Delete the saved mapping with this name; tell whether there was one."""
    deleted = store.rows(
        "DELETE FROM column_mappings WHERE name = ? RETURNING signature", [name.strip()]
    )
    return bool(deleted)


def mapping_label(store: Store, source: str) -> str | None:
    """Return the name of the saved mapping an import result names as its source."""
    if not source.startswith(SOURCE_PREFIX):
        return None
    name: str | None = store.scalar(
        "SELECT name FROM column_mappings WHERE starts_with(signature, ?)"
        " ORDER BY signature LIMIT 1",
        [source.removeprefix(SOURCE_PREFIX)],
    )
    return name


def mapping_for(
    store: Store,
    header: list[str] | tuple[str, ...],
    building: ColumnMapping | None = None,
) -> ColumnMapping | None:
    """Return the mapping for a table: the one being built if it fits, else the saved one.

    ``building`` is also a saved mapping chosen by name (``import --mapping NAME``).
    """
    if building is not None and not mapping_issues(
        building.dataset,
        building.columns,
        building.translations,
        header,
        building.values,
    ):
        return building
    return load_mapping(store, header)


def mapped_adapter(
    mapping: ColumnMapping, header: list[str] | tuple[str, ...]
) -> Adapter:
    """Return the dataset's target reading exactly the mapped columns of ``header``.

    Fields, kinds, keys and post SQL are the target's; a field reads only the header
    cell it is mapped to (none when unmapped: it stays NULL, or takes the value the
    mapping gives it), and its categories include the mapping's translations.
    """
    target = TARGET_FOR[mapping.dataset]
    # A twin reads the cell of the field it doubles.
    cells = {
        **mapping.columns,
        **{
            twin: mapping.columns[source]
            for twin, source in TWINS.get(mapping.dataset, {}).items()
            if source in mapping.columns
        },
    }
    fields = tuple(
        replace(
            spec,
            columns=(cells[spec.target],) if spec.target in cells else (),
            contains=(),
            categories={
                **spec.categories,
                **mapping.translations.get(spec.target, {}),
            },
            default=mapping.values.get(spec.target, spec.default),
        )
        for spec in target.fields
    )
    return replace(
        target,
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
