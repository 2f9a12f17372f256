"""Demo cases (design.md, "Stable interfaces"), written through the real services. Invented names.

The showcase case: a 27-year-old former municipal police officer from Ciudad Juárez, defensive,
before the Dallas immigration court; particular social group of former police officers who
arrested cartel members; the gunfight the day after he and his partner detained two dealers (shot
in the leg; his partner later killed); his superiors ordered him back to work and refused him
ammunition; "the cartels command, not the government". Wife and two children on the application,
a third child born in Texas (a US citizen, not a derivative). Idempotent: a client with a case is
left as it is.
"""

import io
from datetime import date, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from reportlab.lib.pagesizes import LETTER
from reportlab.pdfgen.canvas import Canvas

from cases import claim_services, deadline_services, evidence_services, hearing_services, services
from cases.demo_outcomes import seed_outcomes
from cases.models import BarCheck, Case, CaseEvent, Court, Deadline
from clients.models import AdverseParty, Client, FamilyMember
from clinic.models import Clinic, Membership

PSG = "Former municipal police officers of Ciudad Juárez who arrested members of a drug cartel"
CLAIM = {
    "ground_social_group": True,
    "ground_political_opinion": True,
    "psg_wording": PSG,
    "psg_immutability": "His past service and the arrests he made cannot be undone; it is a shared past experience (Acosta).",
    "psg_particularity": "Defined by a public office, a city and a documented act (the arrests), with clear limits.",
    "psg_social_distinction": "Juárez society and the cartels single out former officers who arrested their members; news reports of killings of such officers.",
    "fear_of_future_harm": "The cartel cell named him after the arrests; his partner was killed; messages say he is next if he returns.",
    "nexus": "He was targeted because he is a former officer who arrested cartel members, not for money: one central reason.",
    "protection_failure": "His own superiors sent him back to work without ammunition after the shooting. The cartels command, not the government.",
    "internal_relocation": "The cartel operates across Chihuahua and has informants in the police; he was found after moving within Juárez.",
    "one_year_status": "unknown",  # the I-589 is not filed yet: 9 Dec 2026 is close
}
INCIDENTS = [
    {"occurred_on": date(2025, 6, 14), "place": "Colonia Bellavista, Ciudad Juárez",
     "description": "With his partner he arrested two men selling drugs on behalf of the local cartel cell.",
     "perpetrators": "", "reported_to_police": "yes",
     "police_response": "The arrest was booked; the two men were released within a day."},
    {"occurred_on": date(2025, 6, 15), "place": "Avenida Tecnológico, Ciudad Juárez",
     "description": "Gunmen opened fire on his patrol car the next day. He was shot in the left leg.",
     "perpetrators": "Gunmen of the cartel cell", "reported_to_police": "yes",
     "police_response": "His commander ordered him back to work the following week and refused him ammunition.",
     "police_failed_to_act": True},
    {"occurred_on": date(2025, 10, 3), "date_is_approximate": True, "place": "Ciudad Juárez",
     "description": "His partner was killed outside his home. Messages told the client he was next.",
     "perpetrators": "Not identified", "reported_to_police": "yes",
     "police_response": "No investigation was opened as far as the family knows.", "police_failed_to_act": True},
]  # fmt: skip


def seed_cases(clinics: dict[str, Clinic]) -> None:
    staff = _staff(clinics["las-americas-demo"])
    showcase = Client.objects.filter(clinic=clinics["las-americas-demo"], paternal_surname="Castañeda").first()
    if showcase is not None and not showcase.cases.exists():
        _showcase_case(staff, showcase)
    _simple_case(
        staff["attorney"], clinics["las-americas-demo"], "Hernández", "María Guadalupe", Case.Process.AFFIRMATIVE, None
    )
    _simple_case(
        staff["supervisor"], clinics["las-americas-demo"], "Aguilar", "Wendy Marisol", Case.Process.DEFENSIVE, "OTO"
    )
    other = _staff(clinics["border-rights-demo"])
    _simple_case(other["attorney2"], clinics["border-rights-demo"], "Páramo", "Pedro", Case.Process.DEFENSIVE, "DAL")
    seed_deadlines(clinics)
    seed_outcomes(clinics["las-americas-demo"])


def _staff(clinic: Clinic) -> dict:
    return {m.user.username: m.user for m in Membership.objects.filter(clinic=clinic).select_related("user")}


def _showcase_case(staff: dict, client: Client) -> Case:
    attorney = staff["attorney"]
    family = client.family_members.filter(location=FamilyMember.Location.IN_US, us_citizen=False)
    case = services.case_open(
        actor=attorney, client=client, lead_attorney=attorney, team=[staff["supervisor"]], included_family=family,
        data={"process": Case.Process.DEFENSIVE, "court": Court.objects.get(code="DAL"), "status": Case.Status.PREPARING,
              "nta_served_on": date(2026, 1, 20), "eoir28_filed_on": date(2026, 2, 3), "eoir28_scope": "all",
              "funding_source": "foundation", "eligibility_basis": "not_lsc", "opened_on": date(2026, 1, 28)},
    )  # fmt: skip
    claim_services.claim_update(actor=attorney, case=case, data=CLAIM)
    persecutors = AdverseParty.objects.filter(client=client)
    claim_services.claim_set_persecutors(actor=attorney, case=case, persecutor_type="both", persecutors=persecutors)
    for incident in INCIDENTS:
        data = dict(incident)
        inaction = data.pop("police_failed_to_act", False)
        claim_services.incident_save(
            actor=attorney, case=case, data=data, police_failed_to_act=inaction, perpetrator_parties=persecutors
        )
    answers = {check.pk: {"applies": "no", "rebutted": "unknown", "note": ""} for check in case.claim.bar_checks.all()}
    for check in case.claim.bar_checks.filter(bar=BarCheck.Bar.SECURING_BORDER):
        answers[check.pk] = {
            "applies": "unknown",
            "rebutted": "unknown",
            "note": "Entered at El Paso port, 9 Dec 2025: check the appointment record.",
        }
    claim_services.bar_checks_update(actor=attorney, case=case, answers=answers)
    _hearings(attorney, case)
    services.note_add(
        actor=attorney,
        case=case,
        privileged=True,
        text="Declaration interview done in Spanish; he wants his partner's death in the record.",
    )
    services.note_add(
        actor=attorney, case=case, privileged=False, text="Asked the wife for the hospital record of the leg wound."
    )
    # The one-year deadline is computed from his arrival; this one is the attorney's own.
    services.deadline_add(
        actor=attorney,
        case=case,
        title="Hospital record of the leg wound, from the wife",
        due_on=timezone.localdate() + timedelta(days=6),
    )
    return case


def _hearings(attorney, case: Case) -> None:
    """A master hearing held, the next one soon, and the individual (merits) hearing next spring."""
    today = timezone.localdate()
    for kind, day, clock, result in (
        ("master", date(2026, 3, 10), time(9, 0), "held"),
        ("master", today + timedelta(days=12), time(10, 0), ""),
        ("individual", date(2027, 5, 18), time(9, 0), ""),
    ):
        data = {"kind": kind, "court": case.court, "day": day, "starts": clock, "ends": None, "judge": "IJ Hollis",
                "medium": "in_person", "interpreter_language": "es", "location": "", "notes": "", "time_zone": None}  # fmt: skip
        hearing = hearing_services.hearing_schedule(actor=attorney, case=case, data=data)
        if result:
            hearing_services.hearing_record_result(
                actor=attorney, hearing=hearing, result=result, adjournment_reason=""
            )


def _simple_case(actor, clinic: Clinic, surname: str, given: str, process: str, court_code: str | None) -> None:
    client = Client.objects.filter(clinic=clinic, paternal_surname=surname, given_names=given).first()
    if client is None or client.cases.exists():
        return
    court = Court.objects.get(code=court_code) if court_code else None
    services.case_open(
        actor=actor,
        client=client,
        lead_attorney=actor,
        data={"process": process, "court": court, "status": Case.Status.PREPARING},
    )


def _case_of(clinic: Clinic, surname: str) -> Case | None:
    return Case.objects.filter(clinic=clinic, client__paternal_surname=surname).order_by("pk").first()


def seed_deadlines(clinics: dict[str, Clinic]) -> None:
    """Events, an I-589 with an EAD clock stop and a judge's order, so every kind of deadline shows
    with its explanation. Each step runs once; the final sync computes what earlier seeds (from
    before deadlines were computed) left out, and changes nothing on a second run."""
    clinic = clinics["las-americas-demo"]
    staff = _staff(clinic)
    today = deadline_services.clinic_today(clinic)
    showcase = _case_of(clinic, "Castañeda")
    if showcase is not None and not showcase.events.exists():
        deadline_services.event_record(
            actor=staff["attorney"], case=showcase,
            data={"kind": CaseEvent.Kind.FILING_RECEIVED, "occurred_on": today - timedelta(days=3),
                  "note": "DHS brief opposing the particular social group"},
        )  # fmt: skip
    affirmative = _case_of(clinic, "Hernández")
    if affirmative is not None and not affirmative.events.exists():
        for kind, days_ago, due_in in ((CaseEvent.Kind.FOIA_RECEIVED, 8, None), (CaseEvent.Kind.RFE_RECEIVED, 5, 79)):
            data = {"kind": kind, "occurred_on": today - timedelta(days=days_ago)}
            if due_in:
                data |= {"response_due_on": today + timedelta(days=due_in), "note": "Proof of identity and entry"}
            deadline_services.event_record(actor=staff["attorney"], case=affirmative, data=data)
    filed = _case_of(clinic, "Aguilar")
    if filed is not None and not filed.i589_received_on:
        services.case_update(
            actor=staff["supervisor"], case=filed, data={"i589_received_on": today - timedelta(days=120)}
        )
    if filed is not None and not filed.clock_stops.exists():
        stop = deadline_services.clock_stop_add(
            actor=staff["supervisor"], case=filed, stopped_on=today - timedelta(days=70),
            reason="Continuance requested by the applicant to find a new attorney",
        )  # fmt: skip
        deadline_services.clock_stop_resume(actor=staff["supervisor"], stop=stop, resumed_on=today - timedelta(days=56))
    for case in Case.objects.filter(clinic__in=clinics.values()).open():
        deadline_services.sync_case_deadlines(case=case)
    if showcase is not None:
        _judge_order(staff["attorney"], showcase)


def _judge_order(attorney, case: Case) -> None:
    """IJ Hollis's scheduling order: filings for the merits hearing 45 days before it."""
    merits = case.deadlines.filter(status=Deadline.Status.OPEN, rule_version__rule__code="merits_hearing_filing")
    deadline = merits.filter(judge_ordered=False).first()
    if deadline is not None and deadline.trigger_on:
        ordered = deadline.trigger_on - timedelta(days=45)
        while ordered.weekday() >= 5:  # the order names a weekday
            ordered -= timedelta(days=1)
        deadline_services.deadline_set_judge_order(actor=attorney, deadline=deadline, due_on=ordered)


# (file name, description, category, language, translation, pages, [(element, incident number or None)])
EVIDENCE = [
    ("declaration.pdf", "Declaration of the respondent", "declaration", "es", "done", 3,
     [("harm", 1), ("harm", 2), ("harm", 3), ("nexus", None), ("future_fear", None)]),
    ("denuncia.pdf", "Police report of the shooting, 15 June 2025", "police", "es", "in_progress", 1,
     [("harm", 2), ("protection_failure", None)]),
    ("hospital.pdf", "Hospital record of the gunshot wound", "medical", "es", "needed", 1, [("harm", 2)]),
    ("country_conditions.pdf", "Country conditions: killings of former police officers in Chihuahua", "country_conditions",
     "en", "not_needed", 4, [("protection_failure", None), ("relocation", None), ("psg_social_distinction", None)]),
]  # fmt: skip


def seed_evidence(clinics: dict[str, Clinic]) -> None:
    """Documents for the showcase case: some elements supported, some gaps left for the matrix to
    show. Outside any transaction: an upload commits its files and rows together."""
    from cases.models import Evidence

    case = Case.objects.filter(clinic=clinics["las-americas-demo"], client__paternal_surname="Castañeda").first()
    if case is None or Evidence.objects.filter(case=case).exists():
        return
    attorney = _staff(clinics["las-americas-demo"])["attorney"]
    incidents = list(case.claim.incidents.order_by("occurred_on", "id").values_list("pk", flat=True))
    for name, title, category, language, translation, pages, links in EVIDENCE:
        upload = SimpleUploadedFile(name, _pdf(title, pages), content_type="application/pdf")
        data = {"title": title, "category": category, "language": language, "translation": translation}
        resolved = [(element, incidents[number - 1] if number else None) for element, number in links]
        (item,) = evidence_services.evidence_upload(
            actor=attorney, case=case, files=[upload], data=data, links=resolved
        )
        evidence_services.exhibit_change(actor=attorney, evidence=item, action="add")


def _pdf(title: str, pages: int) -> bytes:
    """A small PDF with `pages` pages saying what the document is (invented demo content)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=LETTER)
    for page in range(1, pages + 1):
        canvas.setFont("Helvetica-Bold", 14)
        canvas.drawString(72, 720, title)
        canvas.setFont("Helvetica", 11)
        canvas.drawString(72, 696, f"Demo document, page {page} of {pages}. Invented content for the Amparo demo.")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
