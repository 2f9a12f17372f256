"""Printouts handed to a client (the walk-in's appointment slip, the hearing notice): one content
object, shown as a print-friendly page (templates/printouts/printout.html) and drawn as a PDF here
(ReportLab), so the two never say different things. In the client's language, Spanish or English.

The builders (clients.slip, cases.hearing_notice) make a Printout's texts inside
translation.override(language); dates come from Django's formats of that language (long_date, clock),
never from English month names. A printout carries no claim, incident, evidence, note or triage."""

import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format, time_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

# The languages a printout is written in; any other preferred language gets English.
PRINT_LANGUAGES = ("es", "en")
FALLBACK_LANGUAGE = "en"


def printout_language(preferred: str, requested: str | None = None) -> str:
    """`requested` (the page's ?lang=) if it is one of PRINT_LANGUAGES, else the client's
    `preferred` language if it is, else English."""
    for language in (requested, preferred):
        if language in PRINT_LANGUAGES:
            return language
    return FALLBACK_LANGUAGE


def long_date(day: date) -> str:
    """'Thursday, Dec. 3, 2026' or 'jueves, 3 de diciembre de 2026': the active language's format."""
    return _("%(weekday)s, %(date)s") % {"weekday": date_format(day, "l"), "date": date_format(day, "DATE_FORMAT")}


def clock(moment: datetime) -> str:
    """'10:30 a.m.' or '10:30', as the active language writes a time; `moment` already in its zone."""
    return time_format(moment.time(), "TIME_FORMAT")


@dataclass(frozen=True)
class Printout:
    """What a printout says, already in its language."""

    language: str
    organisation: str  # the clinic's name, at the top
    title: str
    intro: str
    facts: tuple[tuple[str, str], ...]  # (label, value); a value may hold line breaks (an address)
    lists: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (heading, items)
    notes: tuple[str, ...] = ()
    # A boxed message: "warning" (missing a hearing) or "info" (free and confidential).
    callout: str = ""
    callout_kind: str = "info"
    closing: tuple[str, ...] = ()


# The PDF


BRAND = colors.HexColor("#17466b")
WARNING = colors.HexColor("#842029")
WARNING_BACKGROUND = colors.HexColor("#f8d7da")
INFO_BACKGROUND = colors.HexColor("#e7f1f8")
# Debian's DejaVu (fonts-dejavu-core) covers every Latin letter of a name (Vietnamese, Polish,
# Haitian Creole...), Helvetica only Western European ones: DejaVu when the machine has it.
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def _fonts() -> tuple[str, str]:
    regular, bold = DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf"
    if not (regular.exists() and bold.exists()):
        return "Helvetica", "Helvetica-Bold"
    if "Printout" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Printout", str(regular)))
        pdfmetrics.registerFont(TTFont("Printout-Bold", str(bold)))
    return "Printout", "Printout-Bold"


def _text(value: str) -> str:
    return escape(value).replace("\n", "<br/>")


def printout_pdf(printout: Printout) -> bytes:
    """The printout as a one-page (Letter) PDF, built in memory."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=LETTER, leftMargin=0.9 * inch, rightMargin=0.9 * inch, topMargin=0.8 * inch,
        bottomMargin=0.8 * inch, title=printout.title, author=printout.organisation, lang=printout.language,
    )  # fmt: skip
    document.build(_story(printout))
    return buffer.getvalue()


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = _fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=11.5, leading=15.5, alignment=TA_LEFT, spaceAfter=6)
    return {
        "organisation": ParagraphStyle("organisation", parent=body, fontName=bold, fontSize=12, textColor=BRAND),
        "title": ParagraphStyle("title", parent=body, fontName=bold, fontSize=22, leading=27, spaceAfter=8),
        "body": body,
        "label": ParagraphStyle("label", parent=body, fontName=bold, textColor=colors.HexColor("#495057")),
        "value": ParagraphStyle("value", parent=body, fontSize=13, leading=17),
        "heading": ParagraphStyle("heading", parent=body, fontName=bold, fontSize=13, spaceBefore=10),
        "item": ParagraphStyle("item", parent=body, leftIndent=16, bulletIndent=4, spaceAfter=3),
        "callout": ParagraphStyle("callout", parent=body, fontName=bold, spaceAfter=0),
    }


def _story(printout: Printout) -> list:
    styles = _styles()
    story = [
        Paragraph(_text(printout.organisation), styles["organisation"]),
        _rule(),
        Spacer(1, 0.15 * inch),
        Paragraph(_text(printout.title), styles["title"]),
        Paragraph(_text(printout.intro), styles["body"]),
        Spacer(1, 0.1 * inch),
        _facts(printout.facts, styles),
    ]
    for heading, items in printout.lists:
        block = [Paragraph(_text(heading), styles["heading"])]
        block += [Paragraph(_text(item), styles["item"], bulletText="\N{BULLET}") for item in items]
        story.append(KeepTogether(block))
    story.append(Spacer(1, 0.08 * inch))
    story += [Paragraph(_text(note), styles["body"]) for note in printout.notes]
    if printout.callout:
        story += [Spacer(1, 0.08 * inch), _callout(printout, styles), Spacer(1, 0.15 * inch)]
    story += [Paragraph(_text(line), styles["body"]) for line in printout.closing]
    return story


def _rule() -> Table:
    rule = Table([[""]], colWidths=[6.7 * inch], rowHeights=[2])
    rule.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 1.5, BRAND)]))
    return rule


def _facts(facts, styles) -> Table:
    rows = [
        [Paragraph(_text(label), styles["label"]), Paragraph(_text(value), styles["value"])] for label, value in facts
    ]
    table = Table(rows, colWidths=[1.7 * inch, 5.0 * inch], hAlign="LEFT")
    table.setStyle(
        TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor("#ced4da")),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ])
    )  # fmt: skip
    return table


def _callout(printout: Printout, styles) -> Table:
    warning = printout.callout_kind == "warning"
    style = ParagraphStyle("callout-text", parent=styles["callout"], textColor=WARNING if warning else BRAND)
    box = Table([[Paragraph(_text(printout.callout), style)]], colWidths=[6.7 * inch])
    box.setStyle(
        TableStyle([
            ("BOX", (0, 0), (-1, -1), 1.5, WARNING if warning else BRAND),
            ("BACKGROUND", (0, 0), (-1, -1), WARNING_BACKGROUND if warning else INFO_BACKGROUND),
            ("LEFTPADDING", (0, 0), (-1, -1), 10),
            ("RIGHTPADDING", (0, 0), (-1, -1), 10),
            ("TOPPADDING", (0, 0), (-1, -1), 8),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ])
    )  # fmt: skip
    return box


# The responses


def private(response: HttpResponse) -> HttpResponse:
    """A page or file with a client's name: never stored by a browser or a proxy."""
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response


def pdf_attachment(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return private(response)
