"""Members of ZIP archives, read within limits that refuse zip bombs."""

from __future__ import annotations

import io
import math
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from clusterkpi.imports.encoding import ImportFileError

MB = 1024 * 1024
MEMBER_TYPES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls")
_READ_CHUNK = MB


@dataclass(frozen=True)
class ZipLimits:
    """Bounds that refuse zip bombs before and while an archive is decompressed.

    ``max_ratio`` applies only to members that expand beyond ``ratio_floor`` bytes:
    small CSV files full of empty cells legitimately compress very well.
    """

    max_members: int = 50
    max_total_bytes: int = 200 * MB
    max_ratio: int = 100
    ratio_floor: int = MB


DEFAULT_ZIP_LIMITS = ZipLimits()


def read_zip(
    raw: bytes, limits: ZipLimits = DEFAULT_ZIP_LIMITS
) -> list[tuple[str, bytes]]:
    """Return (member path, bytes) for the CSV, TSV, TXT and Excel members of a ZIP.

    Directories, macOS metadata (__MACOSX, ._*) and other types, nested ZIPs
    included, are skipped. Sizes are checked from the directory first, then while
    decompressing, in chunks.

    Raises:
        ImportFileError: 'zip_too_many', 'zip_too_large', 'zip_bomb',
            'zip_encrypted' or 'zip_corrupt'.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except Exception as error:  # a damaged directory fails in many ways
        raise ImportFileError("zip_corrupt") from error
    with archive:
        files = [i for i in archive.infolist() if not _is_junk(i)]
        if len(files) > limits.max_members:
            raise ImportFileError(
                "zip_too_many", count=len(files), limit=limits.max_members
            )
        wanted = [i for i in files if _member_name(i).lower().endswith(MEMBER_TYPES)]
        check_members(wanted, limits)
        members, total = [], 0
        for info in wanted:
            data = _read_member(archive, info, limits, total)
            total += len(data)
            members.append((_member_name(info), data))
        return members


def check_members(infos: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    """Refuse an archive whose directory announces a zip bomb.

    Raises:
        ImportFileError: 'zip_too_many', 'zip_too_large' or 'zip_bomb'.
    """
    if len(infos) > limits.max_members:
        raise ImportFileError(
            "zip_too_many", count=len(infos), limit=limits.max_members
        )
    total = sum(info.file_size for info in infos)
    if total > limits.max_total_bytes:
        raise _too_large(total, limits)
    for info in infos:
        if info.file_size > max(
            limits.ratio_floor, limits.max_ratio * info.compress_size
        ):
            raise ImportFileError(
                "zip_bomb", ratio=limits.max_ratio, member=info.filename
            )


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ZipLimits, already: int
) -> bytes:
    """Decompress one member in chunks, stopping as soon as it exceeds a limit."""
    if info.flag_bits & 0x1:
        raise ImportFileError("zip_encrypted")
    bomb = max(limits.ratio_floor, limits.max_ratio * info.compress_size)
    budget = limits.max_total_bytes - already
    chunks, size = [], 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_READ_CHUNK):
                size += len(chunk)
                if size > budget:
                    raise _too_large(already + size, limits)
                if size > bomb:
                    raise ImportFileError(
                        "zip_bomb", ratio=limits.max_ratio, member=info.filename
                    )
                chunks.append(chunk)
    except ImportFileError:
        raise
    except Exception as error:  # bad CRC, truncated data, unknown compression...
        raise ImportFileError("zip_corrupt") from error
    return b"".join(chunks)


def _too_large(total: int, limits: ZipLimits) -> ImportFileError:
    return ImportFileError(
        "zip_too_large", size=math.ceil(total / MB), limit=limits.max_total_bytes // MB
    )


def _is_junk(info: zipfile.ZipInfo) -> bool:
    """Directories, nameless entries and macOS metadata."""
    if not info.filename or info.is_dir():
        return True
    path = PurePosixPath(info.filename)
    return (
        "__MACOSX" in path.parts
        or path.name.startswith("._")
        or path.name == ".DS_Store"
    )


def _member_name(info: zipfile.ZipInfo) -> str:
    """Return the member's path, fixing names that zipfile read as cp437."""
    name = info.filename
    if not info.flag_bits & 0x800:
        raw = name.encode("cp437", errors="replace")
        try:
            name = raw.decode("utf-8")  # macOS and 7-Zip: UTF-8 without the flag
        except UnicodeDecodeError:
            name = raw.decode("cp850", errors="replace")  # Windows in French: OEM 850
    return name.removeprefix("./")
