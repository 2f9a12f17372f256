"""The words of a template that reach the page without going through the translation machinery."""

import re
from html.parser import HTMLParser

from django.template.base import Lexer, TokenType

# Attributes a person reads (or hears, with a screen reader).
READ_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "aria-description", "aria-placeholder"}
# Text of these elements is code, not words.
CODE_ELEMENTS = {"script", "style", "code", "kbd", "pre"}
WORD = re.compile(r"[^\W\d_]{2,}")
# The same in every language: the app's name, and acronyms (CSV, PDF, EOIR-28, INA, CFR).
UNTRANSLATED = re.compile(r"Amparo|[A-Z]{2,}")
# Stands for whatever a template tag or variable prints: translated or data, never a literal word.
# Spaces around it keep the HTML parseable where a tag sits inside an element's tag.
SLOT = " \x00 "


def untranslated_words(source: str) -> list[str]:
    """The literal texts of `source` (a Django template) that hold a word and are not inside
    {% translate %} or {% blocktranslate %}, as a person would see them."""
    return _Reader().read(_without_template_code(source))


def _without_template_code(source: str) -> str:
    parts, inside = [], []
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if name in ("blocktranslate", "blocktrans", "comment", "verbatim"):
                inside.append("end" + name)
            elif inside and name == inside[-1]:
                inside.pop()
            parts.append(SLOT)
        elif token.token_type == TokenType.TEXT and not inside:
            parts.append(token.contents)
        elif token.token_type != TokenType.COMMENT:
            parts.append(SLOT)
    return "".join(parts)


class _Reader(HTMLParser):
    def read(self, html: str) -> list[str]:
        self.found, self.code_depth = [], 0
        self.feed(html)
        self.close()
        return self.found

    def handle_starttag(self, tag, attrs):
        if tag in CODE_ELEMENTS:
            self.code_depth += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self._check(value)

    def handle_endtag(self, tag):
        if tag in CODE_ELEMENTS and self.code_depth:
            self.code_depth -= 1

    def handle_data(self, data):
        if not self.code_depth:
            self._check(data)

    def _check(self, text: str) -> None:
        for piece in text.split("\x00"):
            if any(not UNTRANSLATED.fullmatch(word) for word in WORD.findall(piece)):
                self.found.append(" ".join(piece.split()))
