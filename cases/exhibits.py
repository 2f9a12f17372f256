"""The exhibit list: letters, order, consecutive page numbers, and the index filed with the court
as a PDF (ReportLab). Everything but exhibit_index_pdf is pure."""

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

ACTIONS = ("add", "remove", "up", "down")


def exhibit_letter(position: int) -> str:
    """1 → A, 26 → Z, 27 → AA, 28 → AB, 702 → ZZ, 703 → AAA (as spreadsheets letter columns)."""
    if position < 1:
        raise ValueError(f"Exhibit positions start at 1, not {position}.")
    letters = ""
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def reordered(order: Sequence[int], pk: int, action: str) -> list[int]:
    """The exhibit list `order` (evidence ids, Exhibit A first) after `action` on `pk`. Moving the
    first one up or the last one down, adding one already there, or removing one absent: no change."""
    order = list(order)
    if action == "add":
        return order if pk in order else [*order, pk]
    if action not in ACTIONS:
        raise ValueError(f"Unknown exhibit action {action!r}.")
    if pk not in order:
        return order
    index = order.index(pk)
    if action == "remove":
        return order[:index] + order[index + 1 :]
    other = index - 1 if action == "up" else index + 1
    if 0 <= other < len(order):
        order[index], order[other] = order[other], order[index]
    return order


class PageRange(NamedTuple):
    first: int
    last: int


def page_ranges(page_counts: Sequence[int | None]) -> list[PageRange | None]:
    """Consecutive ("tabbed") page numbers across the exhibits: A is pages 1-3, B 4-9... A document
    without a page count has no range, and neither has any after it: where they start is unknown."""
    ranges: list[PageRange | None] = []
    next_page: int | None = 1
    for count in page_counts:
        if not count or next_page is None:
            ranges.append(None)
            next_page = None
            continue
        ranges.append(PageRange(next_page, next_page + count - 1))
        next_page += count
    return ranges


@dataclass(frozen=True)
class Exhibit:
    letter: str
    evidence: object
    pages: PageRange | None


@dataclass(frozen=True)
class ExhibitList:
    exhibits: list[Exhibit]
    # Pages of the exhibits whose count is known, and the letters of those without one.
    known_pages: int
    missing: list[str]

    @property
    def complete(self) -> bool:
        return not self.missing


def number_exhibits(documents: Sequence) -> ExhibitList:
    """Letters and page ranges for `documents` (with .page_count), in exhibit order."""
    counts = [document.page_count for document in documents]
    exhibits = [
        Exhibit(exhibit_letter(index), document, pages)
        for index, (document, pages) in enumerate(zip(documents, page_ranges(counts), strict=True), start=1)
    ]
    missing = [exhibit.letter for exhibit in exhibits if not exhibit.evidence.page_count]
    return ExhibitList(exhibits, sum(count for count in counts if count), missing)


def pages_label(exhibit: Exhibit) -> str:
    """ "1-3" (with an en dash), "4", or "?" when the range is not known (with the count, if that is)."""
    if exhibit.pages is None:
        count = exhibit.evidence.page_count
        return _("? (%(count)d pp.)") % {"count": count} if count else "?"
    first, last = exhibit.pages
    return str(first) if first == last else f"{first}\N{EN DASH}{last}"


# The index PDF


def respondent_name(client) -> str:
    """The name as the I-589 asks for it (Part A.I): complete last name, then first and middle names."""
    surnames = " ".join(part for part in (client.paternal_surname, client.maternal_surname) if part).upper()
    return f"{surnames}, {client.given_names}" if surnames else client.given_names


def _forum(case) -> tuple[str, str]:
    if case.process == case.Process.DEFENSIVE:
        court = case.court and _("%(name)s Immigration Court (%(code)s)") % {
            "name": case.court.name,
            "code": case.court.code,
        }
        return _("Immigration court"), court or _("Not set")
    return _("Asylum office"), case.asylum_office or _("USCIS asylum office")


def exhibit_index_pdf(*, case, exhibit_list: ExhibitList) -> bytes:
    """The index of exhibits, ready to file: a cover block, the exhibits with their pages, the
    page number in every footer."""
    # Filed with a US court or asylum office: always in English, whatever language the user reads.
    with translation.override("en"):
        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=LETTER,
            leftMargin=inch,
            rightMargin=inch,
            topMargin=inch,
            bottomMargin=inch,
            title=_("Index of exhibits") + f" {case.number}",
            author="",
        )
        footer = _footer(case)
        document.build(
            _story(case, exhibit_list),
            canvasmaker=lambda *args, **kwargs: _NumberedCanvas(*args, footer=footer, **kwargs),
        )
        return buffer.getvalue()


def _footer(case) -> str:
    return _("%(number)s · Index of exhibits") % {"number": case.number}


def _story(case, exhibit_list: ExhibitList) -> list:
    styles = getSampleStyleSheet()
    cell = ParagraphStyle("cell", parent=styles["BodyText"], fontSize=10, leading=13)
    forum_label, forum = _forum(case)
    client = case.client
    cover = [
        (forum_label, forum),
        (_("Respondent") if case.process == case.Process.DEFENSIVE else _("Applicant"), respondent_name(client)),
        (_("A-number"), client.a_number_display or _("None")),
        (_("Case number"), case.number),
    ]
    story = [
        _table(
            [[Paragraph(f"<b>{escape(label)}</b>", cell), Paragraph(escape(value), cell)] for label, value in cover],
            [1.8 * inch, 4.7 * inch],
            grid=False,
        )
    ]
    story += [Spacer(1, 0.3 * inch), Paragraph(escape(_("Index of exhibits")), styles["Title"])]
    rows = [[Paragraph(f"<b>{escape(text)}</b>", cell) for text in (_("Exhibit"), _("Description"), _("Pages"))]]
    rows += [
        [exhibit.letter, Paragraph(escape(exhibit.evidence.title), cell), pages_label(exhibit)]
        for exhibit in exhibit_list.exhibits
    ]
    story.append(_table(rows, [0.9 * inch, 4.5 * inch, 1.1 * inch], grid=True))
    story += [Spacer(1, 0.15 * inch), Paragraph(escape(_total_line(exhibit_list)), cell)]
    return story


def _total_line(exhibit_list: ExhibitList) -> str:
    if not exhibit_list.exhibits:
        return _("No exhibits.")
    if exhibit_list.complete:
        return _("Total: %(pages)d pages.") % {"pages": exhibit_list.known_pages}
    return _("Total: at least %(pages)d pages; the page count of exhibit(s) %(letters)s is missing.") % {
        "pages": exhibit_list.known_pages,
        "letters": ", ".join(exhibit_list.missing),
    }


def _table(rows: list, widths: list[float], *, grid: bool) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if grid else 0, hAlign="LEFT")
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTSIZE", (0, 0), (-1, -1), 10)]
    if grid:
        style += [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
            ("ALIGN", (0, 1), (0, -1), "CENTER"),
        ]
    table.setStyle(TableStyle(style))
    return table


class _NumberedCanvas(Canvas):
    """Writes "Page n of N" in the footer: pages are kept until the end, when N is known."""

    def __init__(self, *args, footer: str, **kwargs):
        super().__init__(*args, **kwargs)
        self._footer_text = footer
        self._pages: list[dict] = []

    def showPage(self):  # noqa: N802 (ReportLab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        self.setFont("Helvetica", 9)
        self.setFillColor(colors.grey)
        self.drawString(inch, 0.6 * inch, self._footer_text)
        page = _("Page %(page)d of %(total)d") % {"page": self._pageNumber, "total": total}
        self.drawRightString(LETTER[0] - inch, 0.6 * inch, page)
