import time
from concurrent.futures import ThreadPoolExecutor

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Deadline, Hearing
from cases.scale import CaseStreams, clinics_without_cases, seed_cases
from cases.scale_deadlines import analyze_deadlines, clinics_without_deadlines, seed_deadlines
from clients.scale import (
    MAIN_SLUGS,
    OTHER_SLUG,
    ScaleDataExistsError,
    analyze_name_tables,
    loaded_clients,
    scale_clinic,
    seed_scale,
)
from clinic.dashboard_counts import recount_all_dashboards
from clinic.models import Clinic


class Command(BaseCommand):
    help = (
        "Loads a large deterministic data set for benchmarks: N clients with, on average, 2.5 family members, "
        "0.25 aliases and 0.25 adverse parties each, and 2.5 walk-ins per client over five years, into the "
        f"clinic '{MAIN_SLUGS[0]}' if it exists (alongside the demo's own records) or else a new "
        f"'{MAIN_SLUGS[1]}', plus 5% as many into a second clinic '{OTHER_SLUG}'; 1.2 cases per client with "
        "their hearings (4 per defensive case) and 10 deadlines per case, all on average. The same seed gives "
        "the same data. It never deletes or duplicates data: once the clients are loaded it loads only what "
        "is missing (cases, deadlines) and refuses to run when nothing is; load another size into a fresh "
        "database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, required=True, help="Number of clients in the main clinic.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")

    def handle(self, *args, **options):
        if options["clients"] < 1:
            raise CommandError(_("--clients must be at least 1."))
        started = step = time.monotonic()
        verbose = options["verbosity"] > 1
        log = self.stdout.write if verbose else (lambda message: None)

        def done(what: str) -> None:
            nonlocal step
            log(f"{what} in {time.monotonic() - step:.1f} s")
            step = time.monotonic()

        seed, today = options["seed"], timezone.localdate()
        try:
            # People, cases, hearings and deadlines in one pass and one transaction.
            cases = CaseStreams(seed=seed, today=today)
            clinics = seed_scale(clients=options["clients"], seed=seed, log=log, follow=cases, models=cases.MODELS)
            done("People, cases and deadlines loaded")
        except ScaleDataExistsError:
            # The people are there; what came later (cases, deadlines) may not be: load only what is missing.
            clinics = {"main": scale_clinic(), "other": Clinic.objects.get(slug=OTHER_SLUG)}
            if not clinics_without_cases(clinics.values()) and not clinics_without_deadlines(clinics.values()):
                raise CommandError(_already_loaded()) from None
            log(_("People already loaded: loading only what is missing."))
        if clinics["main"].slug == MAIN_SLUGS[0]:
            self.stdout.write(_demo_notice(clinics["main"]))
        # Only what an older or interrupted load left out.
        for clinic in clinics_without_cases(clinics.values()):
            seed_cases(clinic=clinic, seed=seed, today=today, log=log)
            done(f"{clinic.slug}: cases loaded")
        for clinic in clinics_without_deadlines(clinics.values()):
            seed_deadlines(clinic=clinic, seed=seed, today=today, log=log)
            done(f"{clinic.slug}: deadlines loaded")
        _vacuum_and_recount()
        done("Vacuumed, analyzed and dashboards recounted")
        elapsed = time.monotonic() - started
        for clinic in clinics.values():
            self.stdout.write(
                f"{clinic.slug}: {clinic.clients.count()} clients, {clinic.walk_ins.count()} walk-ins, "
                f"{clinic.cases.count()} cases, {Hearing.objects.filter(case__clinic=clinic).count()} hearings, "
                f"{Deadline.objects.filter(case__clinic=clinic).count()} deadlines"
            )
        self.stdout.write(self.style.SUCCESS(_("Scale data loaded in %(seconds).0f s.") % {"seconds": elapsed}))


def _vacuum_and_recount() -> None:
    """Fresh statistics and visibility maps for the loaded tables, and the dashboards recounted
    so that the supervisor dashboard shows the new data at once: at the same time, on two
    connections, where VACUUM can run (PostgreSQL, outside a transaction)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        _vacuum()
        recount_all_dashboards()
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        vacuumed = pool.submit(_on_own_connection, _vacuum)
        recount_all_dashboards()
        vacuumed.result()


def _vacuum() -> None:
    analyze_name_tables()
    analyze_deadlines()


def _on_own_connection(work) -> None:
    try:
        work()
    finally:
        connection.close()  # this thread's


def _demo_notice(clinic: Clinic) -> str:
    # Not translated, like the counts it comes with: output for whoever runs benchmarks.
    own = clinic.clients.exclude(created_by=None).count()
    return (
        f"The demo clinic '{clinic.slug}' exists: the {loaded_clients(clinic).count()} scale clients go into it, "
        f"with their cases and deadlines, alongside its {own} own clients (the counts below include both)."
    )


def _already_loaded() -> str:
    message = _(
        "Scale data is already loaded (the clinic “%(slug)s” exists, or a load was interrupted). "
        "Nothing was changed; load another size into a fresh database."
    )
    return message % {"slug": OTHER_SLUG}
