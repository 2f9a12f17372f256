from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from clients import imports
from clients.access import CLIENT_ROLES
from clients.identifiers import format_a_number
from clients.import_selectors import clients_with_a_numbers
from clients.import_services import ImportFailedError, clients_import
from clients.names import full_name
from clinic.models import Clinic, Membership


class Command(BaseCommand):
    help = (
        "Imports clients from a CSV or XLSX file into one clinic. Every row is checked first, with the same rules as "
        "the web import; the clients are imported only if every row is valid, all in one transaction. Columns (first "
        f"row, any order): {', '.join(imports.COLUMNS)}; only given_names is required."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .csv or .xlsx file.")
        parser.add_argument("--clinic", required=True, metavar="SLUG", help="The clinic's short name (its slug).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and print what would be imported; save nothing."
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="The staff member recorded as having added the clients, in the records and the audit log: intake "
            "staff, an attorney or a supervisor of that clinic. Default: the clinic's active supervisor who joined "
            "it first.",
        )

    def handle(self, *args, **options):
        clinic = Clinic.objects.filter(slug=options["clinic"]).first()
        if clinic is None:
            raise CommandError(f"No clinic has the short name “{options['clinic']}”.")
        actor = self._actor(clinic, options["user"])
        sheet = self._read(options["file"])
        if sheet.unknown_columns:
            self.stderr.write(self.style.WARNING(f"Ignored columns: {', '.join(sheet.unknown_columns)}."))

        def existing(a_numbers):
            return clients_with_a_numbers(clinic_id=clinic.pk, a_numbers=a_numbers)

        with timezone.override(clinic.time_zone):
            progress = self._progress("Checked") if options["verbosity"] > 1 else None
            validation = imports.validate(sheet, clients_with_a_numbers=existing, progress=progress)
        for error in validation.errors:
            self.stdout.write(f"Row {error.row}, {error.column or 'row'}: {error.message}")
        invalid = validation.total - len(validation.valid)
        if options["dry_run"]:
            valid = len(validation.valid)
            self._print_rows(
                f"{valid} rows are valid:" if invalid else f"Would import {valid} clients:", validation.valid
            )
            if invalid:
                raise CommandError(
                    f"{invalid} of {validation.total} rows have problems: a real run would import nothing."
                )
            self.stdout.write(self.style.SUCCESS(f"Dry run: all {validation.total} rows are valid. Nothing was saved."))
            return
        if invalid:
            raise CommandError(
                f"Nothing was imported: {invalid} of {validation.total} rows have problems. Fix them and run the "
                "command again (--dry-run checks a file without saving)."
            )
        try:
            with timezone.override(clinic.time_zone):
                progress = self._progress("Imported") if options["verbosity"] > 1 else None
                count = clients_import(actor=actor, rows=validation.valid, progress=progress)
        except ImportFailedError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Imported {count} clients into {clinic.name}, as {actor.get_username()}.")
        )

    def _actor(self, clinic: Clinic, username: str | None):
        members = Membership.objects.select_related("user").filter(clinic=clinic, user__is_active=True)
        if username:
            membership = members.filter(user__username=username).first()
            if membership is None:
                raise CommandError(f"“{username}” is not an active staff member of {clinic.name}.")
            if membership.role not in CLIENT_ROLES:
                raise CommandError(
                    f"“{username}” is a {membership.get_role_display().lower()}, who has no access to clients. "
                    "Choose intake staff, an attorney or a supervisor."
                )
        else:
            supervisors = members.filter(role=Membership.Role.SUPERVISOR).order_by("created_at", "pk")
            membership = supervisors.first()
            if membership is None:
                raise CommandError(f"{clinic.name} has no active supervisor; name a staff member with --user.")
        return membership.user

    def _read(self, path: str) -> imports.Sheet:
        try:
            with open(path, "rb") as file:
                return imports.read_sheet(file)
        except FileNotFoundError:
            raise CommandError(f"No file at {path}.") from None
        except IsADirectoryError:
            raise CommandError(f"{path} is a folder, not a file.") from None
        except PermissionError:
            raise CommandError(f"{path} cannot be read (permission denied).") from None
        except imports.SpreadsheetError as exc:
            raise CommandError(str(exc)) from None

    def _progress(self, verb: str) -> imports.Progress:
        def write(done: int, total: int) -> None:
            self.stderr.write(f"{verb} {done} of {total} rows")

        return write

    def _print_rows(self, heading: str, rows: list[imports.Row]) -> None:
        self.stdout.write(heading)
        for row in rows:
            data = row.data
            details = [
                f"born {data['date_of_birth']}" if data["date_of_birth"] else "",
                data["country_of_nationality"],
                format_a_number(data["a_number"]),
                data["preferred_language"],
                f"aliases: {'; '.join(row.aliases)}" if row.aliases else "",
            ]
            name = full_name(data["given_names"], data["paternal_surname"], data["maternal_surname"])
            self.stdout.write(f"Row {row.number}: {', '.join([name, *filter(None, details)])}")
