"""plain(): text from data escaped for Streamlit's Markdown, links and all."""

from __future__ import annotations

import pytest

from clusterkpi.ui.plain_text import WORD_JOINER, plain

J = WORD_JOINER


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Pôle Agrinov", "Pôle Agrinov"),
        (
            "[ext](https://evil.example.org)",
            f"\\[ext\\]\\(https{J}\\://evil\\.example\\.org\\)",
        ),
        (
            "![i](https:evil.example.org/t.png)",
            "\\!\\[i\\]\\(https\\:evil\\.example\\.org/t\\.png\\)",
        ),
        ("**B** <b>H</b>", "\\*\\*B\\*\\* \\<b\\>H\\</b\\>"),
        ("voir http://x.org", f"voir http{J}\\://x\\.org"),
        ("HTTPS://X.ORG", f"HTTPS{J}\\://X\\.ORG"),
        ("www.example.org", f"www{J}\\.example\\.org"),
        ("claire.martin@agro-sud.fr", f"claire\\.martin@{J}agro\\-sud\\.fr"),
        ("Titre\n===", "Titre\n\\=\\=\\="),
        (
            "# 1. _a_ ~b~ $x$ `c` | :smile:",
            "\\# 1\\. \\_a\\_ \\~b\\~ \\$x\\$ \\`c\\` \\| \\:smile\\:",
        ),
    ],
)
def test_plain_escapes_markup_and_keeps_urls_and_e_mails_from_becoming_links(
    text: str, escaped: str
) -> None:
    assert plain(text) == escaped


def test_plain_text_reads_as_typed_once_the_word_joiners_are_set_aside() -> None:
    text = "[ext](https://evil.example.org) a@b.fr www.x.org"
    shown = plain(text).replace("\\", "").replace(J, "")
    assert shown == text
