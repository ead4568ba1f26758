"""The board pack's A4 document: embedded DejaVu fonts, running header, footer, plain text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import cast

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from clusterkpi.i18n import t
from clusterkpi.progress import Status

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
SANS = "DejaVuSans"
MONO = "DejaVuSansMono"
MARGIN = 14.0
# Status = symbol + word, and a grey fill only where attention is needed: the pack
# reads the same in black-and-white print (never colour alone).
STATUS_MARKS = {
    Status.ACHIEVED: "★",
    Status.ON_TRACK: "✓",
    Status.AT_RISK: "⚠",
    Status.OFF_TRACK: "✗",
    Status.NO_DATA: "–",
}
STATUS_FILLS = {Status.AT_RISK: 232, Status.OFF_TRACK: 208}
INK = 0
MUTED = 85  # secondary text: still dark enough for a photocopy
RULE = 150
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def plain(text: str) -> str:
    """Return text from data as plain lines: no control characters, tabs as spaces.

    Text is drawn as is, never read as markup: '<script>' or '**' stay visible.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return _CONTROL.sub("", text)


class PackDocument(FPDF):
    """An A4 portrait document whose sections repeat their title on continuation pages."""

    def __init__(self, lang: str, locale: str, footer_left: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.lang = lang
        self.locale_code = locale  # numbers and dates, e.g. fr_FR
        self.footer_left = footer_left
        self.running_title = ""
        self.section_start = 0
        for style, name in (("", "DejaVuSans.ttf"), ("B", "DejaVuSans-Bold.ttf")):
            self.add_font(SANS, style, FONT_DIR / name)
        self.add_font(MONO, "", FONT_DIR / "DejaVuSansMono.ttf")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=16)
        self.set_title(footer_left)
        self.set_creator("clusterkpi")
        self.set_lang(lang)

    @property
    def width(self) -> float:
        """Return the width between the margins."""
        return self.epw

    # Not named start_section: that is fpdf's own outline call (its HTML writer uses it).
    def begin_section(self, running_title: str) -> None:
        """Start a section on a new page; its later pages repeat ``running_title``."""
        self.running_title = running_title
        self.section_start = self.page_no() + 1
        self.add_page()

    def header(self) -> None:  # noqa: D102 (fpdf hook)
        if self.running_title and self.page_no() > self.section_start:
            self.font(7, grey=MUTED)
            self.cell(0, 4, t("export.continued", self.lang, title=self.running_title))
            self.ln(7)

    def footer(self) -> None:  # noqa: D102 (fpdf hook)
        # Also drawn inside unbreakable() blocks, where get_y() is refused.
        top = self.h - 12
        self.set_xy(MARGIN, top)
        self.set_draw_color(RULE)
        self.set_line_width(0.2)
        self.line(MARGIN, top, self.w - MARGIN, top)
        self.font(7, grey=MUTED)
        self.cell(self.epw / 2, 6, self.footer_left)
        page = t("export.page", self.lang, page=self.page_no(), total="{nb}")
        self.cell(self.epw / 2, 6, page, align="R")

    def font(self, size: float, bold: bool = False, grey: int = INK) -> None:
        """Set the sans font, its size and its grey level."""
        self.set_font(SANS, "B" if bold else "", size)
        self.set_text_color(grey)

    def paragraph(
        self, text: str, size: float = 9, bold: bool = False, grey: int = INK
    ) -> None:
        """Write plain text across the page width, then move below it."""
        self.font(size, bold, grey)
        self.multi_cell(
            0,
            size * 0.48,
            plain(text),
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    def paragraph_height(self, text: str, size: float = 9, bold: bool = False) -> float:
        """Return the height :meth:`paragraph` would take, drawing nothing."""
        self.font(size, bold)
        height = self.multi_cell(
            0, size * 0.48, plain(text), align="L", dry_run=True, output="HEIGHT"
        )
        # fpdf2 types the result as the union of every output mode; "HEIGHT" is a number.
        return float(cast(float, height))

    def heading(self, text: str, size: float = 14) -> None:
        """Write a bold heading with a little space after it."""
        self.paragraph(text, size, bold=True)
        self.ln(1.5)

    def table_defaults(self, size: float) -> None:
        """Set the state fpdf2 tables start from: font, white cells, thin grey rules."""
        # A table takes its cells' default fill from the current fill colour.
        self.font(size)
        self.set_fill_color(255)
        self.set_draw_color(RULE)
        self.set_line_width(0.15)

    def status_text(self, status: Status) -> str:
        """Return a status as its symbol and its word."""
        return f"{STATUS_MARKS[status]} {t(f'status.{status.value}', self.lang)}"
