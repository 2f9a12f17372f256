import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Deadline, Hearing
from cases.scale import clinics_without_cases, seed_cases
from cases.scale_deadlines import analyze_deadlines, clinics_without_deadlines, seed_deadlines
from clients.scale import OTHER_SLUG, ScaleDataExistsError, analyze_name_tables, scale_clinic, seed_scale
from clinic.dashboard_counts import recount_all_dashboards
from clinic.models import Clinic


class Command(BaseCommand):
    help = (
        "Loads a large deterministic data set for benchmarks: N clients with their families, aliases and "
        "adverse parties (about 2.5 people per client), and 2.5 walk-ins per client over five years, into the "
        "clinic 'las-americas-demo' if it exists (else a new 'scale-clinic'), plus 5% as many into a second "
        f"clinic '{OTHER_SLUG}'; about 1.2 cases per client with their hearings, and about 8.5 deadlines per "
        "case. The same seed gives the same data. It never deletes or duplicates data: once "
        f"'{OTHER_SLUG}' exists (loaded, or a load was interrupted) it loads only what is missing (cases, "
        "deadlines) and refuses to run when nothing is; load another size into a fresh database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, required=True, help="Number of clients in the main clinic.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")

    def handle(self, *args, **options):
        if options["clients"] < 1:
            raise CommandError(_("--clients must be at least 1."))
        started = time.monotonic()
        log = self.stdout.write if options["verbosity"] > 1 else (lambda message: None)
        try:
            clinics = seed_scale(clients=options["clients"], seed=options["seed"], log=log)
        except ScaleDataExistsError:
            # The people are there; what came later (cases, deadlines) may not be: load only what is missing.
            clinics = {"main": scale_clinic(), "other": Clinic.objects.get(slug=OTHER_SLUG)}
            if not clinics_without_cases(clinics.values()) and not clinics_without_deadlines(clinics.values()):
                raise CommandError(_already_loaded()) from None
            log(_("People already loaded: loading only what is missing."))
        today = timezone.localdate()
        for clinic in clinics_without_cases(clinics.values()):
            step = time.monotonic()
            seed_cases(clinic=clinic, seed=options["seed"], today=today, log=log)
            log(f"{clinic.slug}: cases loaded in {time.monotonic() - step:.0f} s")
        for clinic in clinics_without_deadlines(clinics.values()):
            step = time.monotonic()
            seed_deadlines(clinic=clinic, seed=options["seed"], today=today, log=log)
            log(f"{clinic.slug}: deadlines loaded in {time.monotonic() - step:.0f} s")
        analyze_name_tables()
        analyze_deadlines()
        recount_all_dashboards()  # the supervisor dashboard shows the new data at once
        elapsed = time.monotonic() - started
        for clinic in clinics.values():
            self.stdout.write(
                f"{clinic.slug}: {clinic.clients.count()} clients, {clinic.walk_ins.count()} walk-ins, "
                f"{clinic.cases.count()} cases, {Hearing.objects.filter(case__clinic=clinic).count()} hearings, "
                f"{Deadline.objects.filter(case__clinic=clinic).count()} deadlines"
            )
        self.stdout.write(self.style.SUCCESS(_("Scale data loaded in %(seconds).0f s.") % {"seconds": elapsed}))


def _already_loaded() -> str:
    message = _(
        "Scale data is already loaded (the clinic “%(slug)s” exists, or a load was interrupted). "
        "Nothing was changed; load another size into a fresh database."
    )
    return message % {"slug": OTHER_SLUG}
