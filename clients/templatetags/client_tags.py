"""Display helpers for walk-ins and clients; no queries, no rules."""

from functools import lru_cache

from django import template
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django_countries import countries

from clients.identifiers import format_a_number
from clients.models import Language
from clinic.dates import short_date
from clinic.html_rows import fill, join_rows

LANGUAGE_LABELS = dict(Language.choices)

register = template.Library()


@register.filter
def age(date_of_birth, today=None) -> int | None:
    """Whole years old today (clinic time)."""
    if not date_of_birth:
        return None
    today = today or timezone.localdate()
    return today.year - date_of_birth.year - ((today.month, today.day) < (date_of_birth.month, date_of_birth.day))


@register.filter(name="a_number")
def a_number_display(digits: str | None) -> str:
    return format_a_number(digits)


@register.filter
def country_name(country, language: str | None = None) -> str:
    """The country's name in the current language (or `language`, which a list reads once);
    cached, because a list shows it on every row."""
    code = getattr(country, "code", country) or ""
    return _country_name(code, language or translation.get_language()) if code else ""


@lru_cache(maxsize=2048)
def _country_name(code: str, language: str) -> str:
    return str(countries.name(code))


@register.filter
def language_label(code: str, language: str | None = None) -> str:
    """A Language code's label, without the choices dict Django rebuilds for get_FOO_display;
    translated once per language (or `language`, which a list reads once), because a list shows
    it on every row."""
    return _language_label(code, language or translation.get_language())


@lru_cache(maxsize=512)
def _language_label(code: str, language: str) -> str:
    return str(LANGUAGE_LABELS.get(code, code))


@register.filter
def label(record, field_name: str) -> str:
    """{{ walk_in|label:"status" }}: the label of a choice field's value, like get_status_display
    but from a cached map (Django rebuilds the choices on every call, a cost on long lists)."""
    value = getattr(record, field_name)
    return str(_choice_labels(type(record), field_name).get(value, value))


@lru_cache(maxsize=256)
def _choice_labels(model, field_name: str) -> dict:
    return dict(model._meta.get_field(field_name).flatchoices)


# '14 Mar 1999', the date filter's "j M Y" at a fraction of its cost (clinic.dates).
register.filter("short_date", short_date)


# One row of the client list. Long lists build their rows in Python, as Django's admin builds its
# change list (clinic.html_rows, every value escaped): the template language spent about 0.25 ms
# on a row, a quarter of the page's 50 ms budget for 50 rows (benchmarks/bench.py).
CLIENT_ROW = (
    '<tr><td><a class="fw-semibold" href="{url}">{name}</a>{detained}</td>'
    '<td class="text-nowrap">{a_number}</td>'
    '<td class="text-nowrap">{born}</td>'
    "<td>{nationality}</td>"
    "<td>{language}{interpreter}</td>"
    '<td class="text-nowrap">{phone}</td></tr>'
)


@register.simple_tag
def client_rows(clients) -> str:
    """{% client_rows page.clients %}: the rows of the client list (templates/clients/client_list.html)."""
    detained = format_html('<span class="badge flag flag-danger ms-1">{}</span>', _("Detained"))
    interpreter = format_html(
        ' <i class="bi bi-translate" role="img" title="{0}" aria-label="{0}"></i>', _("Needs an interpreter")
    )
    language = translation.get_language()
    return join_rows(
        fill(
            CLIENT_ROW,
            {
                "url": client.get_absolute_url(),
                "name": client.full_name,
                "detained": detained if client.detained else "",
                "a_number": client.a_number_display or "—",
                "born": short_date(client.date_of_birth, language=language) or "—",
                # The stored code: the field's descriptor makes a Country object on every read.
                "nationality": country_name(vars(client)["country_of_nationality"], language) or "—",
                "language": language_label(client.preferred_language, language),
                "interpreter": interpreter if client.interpreter_needed else "",
                "phone": client.phone_display or "—",
            },
        )
        for client in clients
    )
