"""Demo data for the supervisor dashboard's outcomes: a few decided cases of past years, before
two courts and the asylum office, with granted, denied and withdrawn relief. Idempotent: each
client is made once, by name."""

from datetime import date

from cases import services
from cases.models import Case, Court
from clients import services as client_services
from clients.models import Client
from clinic.models import Clinic, Membership

# (given names, surname, process, court code, opened, decided, outcome, [(relief, decision)])
DECIDED = (
    ("Óscar Iván", "Paredes", "defensive", "ELP", date(2023, 3, 1), date(2024, 11, 19), "granted_asylum",
     [("asylum", "granted")]),
    ("Yesenia", "Carrillo", "defensive", "ELP", date(2023, 6, 12), date(2025, 2, 4), "denied_removal_ordered",
     [("asylum", "denied"), ("withholding", "denied"), ("cat", "denied")]),
    ("Rubén Darío", "Olivas", "defensive", "DAL", date(2023, 9, 5), date(2025, 7, 22), "granted_withholding",
     [("asylum", "denied"), ("withholding", "granted")]),
    ("Lucía", "Montoya", "affirmative", None, date(2024, 1, 15), date(2025, 10, 14), "uscis_granted",
     [("asylum", "granted")]),
    ("Héctor Manuel", "Saucedo", "defensive", "DAL", date(2024, 2, 20), date(2026, 1, 27), "granted_asylum",
     [("asylum", "granted")]),
    ("Araceli", "Domínguez", "defensive", "ELP", date(2024, 4, 2), date(2026, 3, 10), "withdrawn",
     [("asylum", "withdrawn")]),
)  # fmt: skip


def seed_outcomes(clinic: Clinic) -> None:
    attorney = Membership.objects.get(clinic=clinic, user__username="attorney").user
    intake = Membership.objects.get(clinic=clinic, user__username="intake").user
    for given, surname, process, court, opened, decided, outcome, reliefs in DECIDED:
        if Client.objects.filter(clinic=clinic, given_names=given, paternal_surname=surname).exists():
            continue
        client = client_services.client_create(
            actor=intake,
            data={"given_names": given, "paternal_surname": surname, "country_of_nationality": "MX"},
        )
        case = services.case_open(
            actor=attorney,
            client=client,
            lead_attorney=attorney,
            data={
                "process": process,
                "court": Court.objects.get(code=court) if court else None,
                "status": Case.Status.AWAITING,
                "opened_on": opened,
                "i589_received_on": opened,
            },
        )
        for kind, decision in reliefs:
            # Opening a case asks for asylum already.
            relief = case.relief_applications.filter(kind=kind).first()
            relief = relief or services.relief_add(actor=attorney, case=case, kind=kind)
            services.relief_update(
                actor=attorney, relief=relief, data={"filed_on": opened, "decision": decision, "decided_on": decided}
            )
        services.case_record_outcome(actor=attorney, case=case, data={"outcome": outcome, "outcome_on": decided})
