"""Bytes of an uploaded text file to clean Unicode: BOM, UTF-16, cp1252, double encoding."""

from __future__ import annotations

import codecs
import re
from typing import Any

from clusterkpi import i18n
from clusterkpi.errors import ClusterKpiError

# cp1252 leaves five bytes undefined; Windows maps them to the same Latin-1 code
# point, and so do we, so that no cp1252 file is ever refused.
_CP1252_UNDEFINED = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
_CP1252_TABLE = "".join(
    chr(b) if b in _CP1252_UNDEFINED else bytes([b]).decode("cp1252")
    for b in range(256)
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SNIFF_BYTES = 4096
# The encodings a UTF-8 text is wrongly read with before being saved again.
_WRONG_DECODINGS = ("cp1252", "cp1250", "latin-1")
_PUNCTUATION = "€‚ƒ„…†‡ˆ‰‹›‘’“”•–—˜™\u2009\u2010\u2011\u2012\u2015\u202f\ufeff"
_REPAIRED_CHARS = (
    [chr(c) for c in range(0xA0, 0x180)] + ["ƒ", "Ÿ", "ˆ", "˜"] + list(_PUNCTUATION)
)
# 'à' is C3 A0: read as cp1252 / cp1250 it becomes 'Ã' / 'Ă' + a no-break space,
# which later tools often turn into a plain space ("consiste Ă faire" in the seed).
_A_GRAVE_WITH_SPACE = ("Ă ", "Ã ")
_MAX_PASSES = 3


class ImportFileError(ClusterKpiError):
    """An uploaded file cannot be read; ``code`` names the problem for the user."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params: dict[str, Any] = params
        super().__init__(code)

    def message(self, lang: str) -> str:
        """Return the user-facing message in ``lang`` (read.<code> in the locales)."""
        return i18n.t(f"read.{self.code}", lang, **{"name": "?", **self.params})

    def __str__(self) -> str:
        try:
            return self.message(i18n.DEFAULT_LANGUAGE)
        except (
            KeyError
        ):  # a code or a placeholder without its string: still say something
            return f"{self.code} {self.params}"


def decode(raw: bytes) -> tuple[str, str]:
    """Decode the bytes of a text file and repair double-encoded characters.

    A byte order mark wins; BOM-less UTF-16 is recognised by its NUL bytes; other
    files are strict UTF-8 or else cp1252 (which never fails).

    Args:
        raw: The file content.

    Returns:
        The text (without BOM) and the encoding name: 'utf-8', 'utf-8-sig',
        'utf-16-le', 'utf-16-be' or 'cp1252'.

    Raises:
        ImportFileError: 'binary_file' for content with NUL bytes that is not
            UTF-16; 'bad_encoding' for UTF-16 that does not decode.
    """
    encoding, start = _detect_encoding(raw)
    if encoding.startswith("utf-16"):
        text = _decode_utf16(raw, start, encoding)
    else:
        if b"\x00" in raw:
            raise ImportFileError("binary_file")
        try:
            text = raw[start:].decode("utf-8")
        except UnicodeDecodeError:
            text, encoding = (
                codecs.charmap_decode(raw, "strict", _CP1252_TABLE)[0],
                "cp1252",
            )
    # A UTF-8 BOM read as cp1252 ('ï»¿') is repaired into U+FEFF: drop it too.
    return repair_mojibake(text).removeprefix("\ufeff"), encoding


def _detect_encoding(raw: bytes) -> tuple[str, int]:
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return name, len(bom)
    sample = raw[:_SNIFF_BYTES]
    half = len(sample) // 2
    if half and b"\x00" in sample:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if odd >= 0.3 * half and even <= 0.05 * half:
            return "utf-16-le", 0
        if even >= 0.3 * half and odd <= 0.05 * half:
            return "utf-16-be", 0
    return "utf-8", 0


def _decode_utf16(raw: bytes, start: int, encoding: str) -> str:
    try:
        text = raw[start:].decode(encoding)
    except UnicodeDecodeError as error:
        raise ImportFileError("bad_encoding", encoding=encoding.upper()) from error
    if "\x00" in text:
        raise ImportFileError("binary_file")
    return text.removeprefix("\ufeff")


def _misreadings(char: str) -> set[str]:
    """Return what ``char`` looks like once its UTF-8 bytes are read as 8-bit text."""
    data = char.encode("utf-8")
    found = set()
    for name in _WRONG_DECODINGS:
        # Undefined bytes keep their Latin-1 code point, as Windows does.
        found.add("".join(_decode_byte(b, name) for b in data))
    return found


def _decode_byte(byte: int, encoding: str) -> str:
    try:
        return bytes([byte]).decode(encoding)
    except UnicodeDecodeError:
        return chr(byte)


def _build_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for char in _REPAIRED_CHARS:
        for broken in _misreadings(char):
            table.setdefault(broken, char)
    for broken in _A_GRAVE_WITH_SPACE:
        table[broken] = "à "
    return table


MOJIBAKE: dict[str, str] = _build_table()


def _build_pattern(table: dict[str, str]) -> re.Pattern[str]:
    # One alternative per first character, so that the regex engine skips every
    # other character with a single set lookup (clean text is scanned at ~140 MB/s).
    tails: dict[str, list[str]] = {}
    for key in table:
        tails.setdefault(key[0], []).append(key[1:])
    groups = (
        re.escape(lead)
        + "(?:"
        + "|".join(re.escape(t) for t in sorted(rest, key=lambda t: (-len(t), t)))
        + ")"
        for lead, rest in sorted(tails.items())
    )
    return re.compile("|".join(groups))


_PATTERN = _build_pattern(MOJIBAKE)


def _replace(match: re.Match[str]) -> str:
    found = match.group()
    start = match.start()
    # 'Ă ' / 'Ã ' after a capital letter is more likely real Romanian or
    # Portuguese in capitals ("IRMÃ ") than a broken 'à'.
    if found in _A_GRAVE_WITH_SPACE and start and match.string[start - 1].isupper():
        return found
    return MOJIBAKE[found]


def repair_mojibake(text: str) -> str:
    """Repair UTF-8 text that was read as cp1252, cp1250 or Latin-1 and saved again.

    Fixes 'rĂ©seau' and 'rÃ©seau' into 'réseau', also in lines that mix correct and
    broken characters, and text encoded twice over. Clean text is returned as is
    after one quick scan.

    Args:
        text: Decoded text.

    Returns:
        The repaired text.
    """
    for _ in range(_MAX_PASSES):
        if text.isascii():
            return text
        repaired = _PATTERN.sub(_replace, text)
        if repaired == text:
            return text
        text = repaired
    return text
