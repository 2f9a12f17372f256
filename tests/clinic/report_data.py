"""Cases written straight to the table, for the report and export tests: a known data set whose
counts the tests work out on their own, and a fast way to make tens of thousands of rows."""

from datetime import date

from cases.models import Case, CaseAssignment, Court
from tests.factories import ClientFactory


def bulk_cases(clinic, specs: list[dict], *, prefix: str = "LA", client=None, start: int = 1) -> list[Case]:
    """One case per spec (fields of Case), numbered PREFIX-2026-00001 (or `start`) on, for one client."""
    client = client or ClientFactory(clinic=clinic)
    cases = []
    for sequence, spec in enumerate(specs, start=start):
        fields = {"process": Case.Process.DEFENSIVE, "opened_on": date(2025, 1, 2), **spec}
        number = f"{prefix}-2026-{sequence:05d}"
        cases.append(Case(clinic=clinic, client=client, number=number, year=2026, sequence=sequence, **fields))
    return Case.objects.bulk_create(cases, batch_size=2000)


def lead(case: Case, user) -> CaseAssignment:
    return CaseAssignment.objects.create(case=case, user=user, role=CaseAssignment.Role.LEAD)


def dallas() -> Court:
    return Court.objects.get(code="DAL")
