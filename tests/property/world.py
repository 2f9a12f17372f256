"""One clinic with a record of every kind a form edits, made through the real services as staff
would make them: a client with an address, an alias, family and an adverse party; a walk-in with a
return appointment and a conflict check; a defensive case with its I-589 received, a hearing (and so
a court deadline), a deadline entered by hand, an event, a stopped EAD clock, a harm incident and a
document of evidence; a spreadsheet upload; and the other clinic's people, whose ids are posted too."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases import claim_services, deadline_services, evidence_services
from cases import services as case_services
from cases.models import Case, CaseEvent, ClockStop, Court, Deadline, DeadlineRule, HarmIncident
from clients import import_services
from clients import services as client_services
from clients.models import AdverseParty, Client, ClientAlias, ClientImport, ConflictCheck, FamilyMember, WalkIn
from clinic.models import Clinic, Membership
from tests.cases.evidence_files import pdf_bytes
from tests.cases.hearing_data import schedule
from tests.clients.import_files import GOOD_ROWS, csv_bytes

Role = Membership.Role


@dataclass(repr=False)
class World:
    clinic: Clinic
    staff: dict
    other_clinic: Clinic
    outsiders: dict
    today: date
    client: Client
    alias: ClientAlias
    member: FamilyMember
    party: AdverseParty
    walk_in: WalkIn
    check: ConflictCheck
    case: Case
    relief: object
    other_case: Case
    hearing: object
    court_deadline: Deadline
    deadline: Deadline
    event: CaseEvent
    stop: ClockStop
    incident: HarmIncident
    evidence: object
    client_import: ClientImport
    rule: DeadlineRule

    def user(self, role: str):
        return self.staff[role]

    def __repr__(self) -> str:  # a failing example prints it: the records are in this module
        return f"World(clinic={self.clinic.slug}, case={self.case.number})"


def build_world(clinic, staff, other_clinic, outsiders) -> World:
    intake, attorney = staff[Role.INTAKE], staff[Role.ATTORNEY]
    today = deadline_services.clinic_today(clinic)
    client = client_services.client_create(
        actor=intake,
        data={
            "given_names": "Ana María", "paternal_surname": "López", "maternal_surname": "Reyes",
            "date_of_birth": date(1990, 7, 9), "a_number": "012345678", "phone": "+19155550199",
            "last_entry_date": today - timedelta(days=200), "country_of_nationality": "HN",
        },
        address={
            "line1": "100 Main St", "line2": "", "city": "El Paso", "state": "TX", "zip_code": "79901",
            "moved_in_on": today - timedelta(days=100),
        },
    )  # fmt: skip
    alias = client_services.alias_add(actor=intake, client=client, kind=ClientAlias.Kind.NICKNAME, name="Anita")
    member = client_services.family_member_save(
        actor=intake,
        client=client,
        data={"relationship": "child", "given_names": "Mateo", "date_of_birth": date(2019, 5, 2), "location": "in_us"},
    )
    party = client_services.adverse_party_save(
        actor=attorney, client=client, data={"name": "Ramiro Salgado", "role": AdverseParty.Role.CARTEL}
    )
    walk_in = client_services.walk_in_log(
        actor=intake,
        data={"given_names": "José Luis", "paternal_surname": "Hernández", "date_of_birth": date(1999, 4, 2)},
    )
    # A return appointment: its slip is printed (clients.slip).
    walk_in = client_services.walk_in_set_appointment(
        actor=intake, walk_in=walk_in, at=timezone.now() + timedelta(days=7), with_whom="Lic. Ortega"
    )
    check = client_services.conflict_check_run(
        actor=intake, query={"given_names": "Pedro", "paternal_surname": "Infante"}
    )
    case = case_services.case_open(
        actor=attorney,
        client=client,
        data={"process": Case.Process.DEFENSIVE, "court": Court.objects.get(code="DAL")},
        lead_attorney=attorney,
        included_family=[member],
    )
    case_services.case_update(actor=attorney, case=case, data={"i589_received_on": today - timedelta(days=40)})
    hearing = schedule(attorney, case, today + timedelta(days=40))
    court_deadline = case.deadlines.get(status="open", rule_version__rule__code="master_hearing_filing")
    deadline = case_services.deadline_add(
        actor=attorney, case=case, title="Send the declaration", due_on=today + timedelta(days=20)
    )
    event = deadline_services.event_record(
        actor=attorney,
        case=case,
        data={"kind": CaseEvent.Kind.FOIA_RECEIVED, "occurred_on": today - timedelta(days=2)},
    )
    stop = deadline_services.clock_stop_add(
        actor=attorney, case=case, stopped_on=today - timedelta(days=10), reason="Continuance asked"
    )
    # Resumed, so that the clock can be stopped again; the resumption can still be corrected.
    deadline_services.clock_stop_resume(actor=attorney, stop=stop, resumed_on=today - timedelta(days=5))
    incident = claim_services.incident_save(
        actor=attorney,
        case=case,
        data={"occurred_on": date(2024, 3, 1), "place": "San Pedro Sula", "description": "Threatened at home."},
        perpetrator_parties=[party],
    )
    (evidence,) = evidence_services.evidence_upload(
        actor=attorney,
        case=case,
        files=[SimpleUploadedFile("declaration.pdf", pdf_bytes(), content_type="application/pdf")],
        data={"title": "Declaration", "category": "declaration", "language": "es", "translation": "needed"},
    )
    client_import = import_services.client_import_upload(
        actor=intake, file=SimpleUploadedFile("clients.csv", csv_bytes(GOOD_ROWS), content_type="text/csv")
    )
    import_services.client_import_check(import_id=client_import.pk)  # the task, run here: now VALIDATED
    client_import.refresh_from_db()
    other_intake = outsiders[Role.INTAKE]
    other_client = client_services.client_create(
        actor=other_intake, data={"given_names": "Pedro", "paternal_surname": "Páramo"}
    )
    other_case = case_services.case_open(
        actor=outsiders[Role.ATTORNEY],
        client=other_client,
        data={"process": Case.Process.AFFIRMATIVE},
        lead_attorney=outsiders[Role.ATTORNEY],
    )
    return World(
        clinic=clinic, staff=staff, other_clinic=other_clinic, outsiders=outsiders, today=today, client=client,
        alias=alias, member=member, party=party, walk_in=walk_in, check=check, case=case, other_case=other_case,
        relief=case.relief_applications.order_by("pk").first(),
        hearing=hearing, court_deadline=court_deadline, deadline=deadline, event=event, stop=stop,
        incident=incident, evidence=evidence, client_import=client_import,
        rule=DeadlineRule.objects.get(code="bia_appeal"),
    )  # fmt: skip
