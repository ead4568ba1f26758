"""The one display helper for text from data or users: shown as typed, never as markup."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$:=])")
# Streamlit's Markdown links URLs and e-mail addresses in text even when escaped: an
# invisible word joiner inside "https://", "www." and after "@" keeps them text.
_AUTOLINK = re.compile(r"(?i)(?<=https)(?=://)|(?<=http)(?=://)|(?<=www)(?=\.)|(?<=@)")
WORD_JOINER = "\u2060"


def plain(text: str) -> str:
    """Escape Markdown so that text from data is shown as typed, never as markup."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _AUTOLINK.sub(WORD_JOINER, text))
