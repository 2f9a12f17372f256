import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _

from cases.deadline_rules import RuleError
from cases.deadline_services import calculate
from cases.models import DeadlineRule

# Bad input exits with status 2, as argparse does for a bad command line.
USAGE_ERROR = 2


class Command(BaseCommand):
    help = (
        "Computes a deadline from a rule and its trigger date, with the stored rules (so a version an "
        "admin added applies from its effective date), and prints the due date, the explanation and the "
        "citation. TRIGGER_DATE is the day the rule counts from: the arrival, the decision, the order, the "
        "receipt; for a filing deadline before a hearing (master_hearing_filing, merits_hearing_filing) it "
        "is the hearing date, counted back; for rfe_response it is the response date printed on the notice."
    )

    def add_arguments(self, parser):
        parser.add_argument("rule", metavar="RULE_CODE", help="The rule's code, such as bia_appeal.")
        parser.add_argument(
            "trigger_date",
            metavar="TRIGGER_DATE",
            help=(
                "YYYY-MM-DD. The trigger's date; the hearing date for a deadline before a hearing; the date "
                "on the notice for rfe_response."
            ),
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON object instead of text.")
        parser.add_argument(
            "--stopped-days",
            dest="stopped_days",
            default="0",
            metavar="N",
            help="Days the asylum EAD clock was stopped (ead_earliest_filing, ead_earliest_grant). Default 0.",
        )

    def handle(self, *args, **options):
        code = options["rule"]
        trigger_on = _trigger_date(options["trigger_date"])
        stops = _stopped_days(options["stopped_days"])
        try:
            return self._calculate(code, trigger_on, stops, options["json"])
        except DatabaseError as error:
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise CommandError(
                _("Cannot read the deadline rules (%(error)s); has `manage.py migrate` run?") % {"error": first_line}
            ) from None

    def _calculate(self, code: str, trigger_on: date, stops: int, as_json: bool) -> None:
        if not DeadlineRule.objects.filter(code=code).exists():
            known = ", ".join(DeadlineRule.objects.order_by("code").values_list("code", flat=True))
            raise CommandError(
                _("Unknown rule code “%(code)s”. Known codes: %(known)s.") % {"code": code, "known": known},
                returncode=USAGE_ERROR,
            )
        try:
            version, result = calculate(code, trigger_on, stopped_days=stops)
        except RuleError as error:
            raise CommandError(str(error), returncode=USAGE_ERROR) from None
        if as_json:
            payload = {
                "rule": code,
                "trigger_date": trigger_on.isoformat(),
                "due_date": result.due_on.isoformat(),
                "explanation": result.explanation,
                "citation": result.citation,
                "version_effective_from": version.effective_from.isoformat() if version.effective_from else None,
            }
            if result.target_on:
                payload["target_date"] = result.target_on.isoformat()
            if stops:
                payload["stopped_days"] = stops
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        self.stdout.write(_("Due: %(due)s") % {"due": result.due_on.isoformat()})
        self.stdout.write(result.explanation)
        self.stdout.write(_("Citation: %(citation)s") % {"citation": result.citation})


def _trigger_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("“%(value)s” is not a date: write TRIGGER_DATE as YYYY-MM-DD, like 2026-06-04.") % {"value": value},
            returncode=USAGE_ERROR,
        ) from None


def _stopped_days(value) -> int:
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = -1
    if days < 0:
        raise CommandError(
            _("--stopped-days takes a whole number of days, 0 or more (got “%(value)s”).") % {"value": value},
            returncode=USAGE_ERROR,
        )
    return days
