import json
from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from clients.conflict_search import ConflictMatch, find_conflicts
from clients.identifiers import normalize_a_number
from clients.models import PersonName
from clinic.models import Clinic


class Command(BaseCommand):
    help = (
        "Conflict check from the command line: the people a clinic already knows (clients, aliases, family "
        "members, adverse parties, walk-ins) who may be the person named, best first. Reads only."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help='The full name, in any order: "José Luis Hernández García".')
        parser.add_argument("--clinic", required=True, help="The clinic's short name (slug).")
        parser.add_argument("--dob", help="Date of birth, YYYY-MM-DD.")
        parser.add_argument("--a-number", dest="a_number", help="A-number, written any way (A-123-456-789).")
        parser.add_argument("--limit", type=int, default=10, help="At most this many results (default 10).")
        parser.add_argument("--json", action="store_true", help="Print a JSON list instead of a table.")

    def handle(self, *args, **options):
        clinic = Clinic.objects.filter(slug=options["clinic"]).first()
        if clinic is None:
            raise CommandError(_("There is no clinic with the short name “%(slug)s”.") % {"slug": options["clinic"]})
        matches = find_conflicts(
            clinic_id=clinic.pk,
            full_name=options["name"],
            date_of_birth=_date_of_birth(options["dob"]),
            a_number=_a_number(options["a_number"]),
            limit=options["limit"],
        )
        if options["json"]:
            self.stdout.write(json.dumps([_as_json(match) for match in matches], ensure_ascii=False, indent=2))
        else:
            self.stdout.write(_table(matches))


def _date_of_birth(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("“%(value)s” is not a date: write the date of birth as YYYY-MM-DD, like 1990-07-09.") % {"value": value}
        ) from None


def _a_number(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return normalize_a_number(value)
    except ValidationError as error:
        raise CommandError(" ".join(error.messages)) from None


def _as_json(match: ConflictMatch) -> dict:
    return {
        "type": match.kind,
        "id": match.record_id,
        "name": match.name,
        "score": match.score,
        "reasons": list(match.reasons),
    }


def _table(matches: list[ConflictMatch]) -> str:
    if not matches:
        return _("No one matches.")
    rows = [(_("Score"), _("Type"), _("Id"), _("Name"), _("Reasons"))]
    rows += [
        (str(m.score), str(PersonName.Kind(m.kind).label), str(m.record_id), m.name, "; ".join(m.reasons))
        for m in matches
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    return "\n".join(
        "  ".join([*(cell.ljust(width) for cell, width in zip(row, widths, strict=False)), row[4]]) for row in rows
    )
