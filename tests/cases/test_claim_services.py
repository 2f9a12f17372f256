"""The claim's services: who may write, what is refused, what the audit log keeps; and the claim
summary the selectors compute."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases import claim_selectors, claim_services
from cases.models import BarCheck, Claim, HarmIncident
from clients import services as client_services
from clinic.models import AuditEvent, Membership
from tests.factories import staff_member

Role = Membership.Role
PSG = "former municipal police officers of Ciudad Juárez who arrested cartel members"


@pytest.fixture
def parties(principal, attorney):
    """The principal's adverse parties: a police commander and a cartel member."""
    return [
        client_services.adverse_party_save(
            actor=attorney, client=principal, data={"name": "Raúl Quintero Alanís", "role": "police"}
        ),
        client_services.adverse_party_save(
            actor=attorney, client=principal, data={"name": "Sergio Villa Mendoza", "role": "cartel"}
        ),
    ]


@pytest.fixture
def strangers_party(intake_user, attorney):
    """An adverse party of another client of the same clinic."""
    other = client_services.client_create(actor=intake_user, data={"given_names": "Lucía", "paternal_surname": "Paz"})
    return client_services.adverse_party_save(actor=attorney, client=other, data={"name": "El Flaco", "role": "gang"})


def incident_data(**overrides) -> dict:
    return {
        "occurred_on": date(2025, 6, 14),
        "date_is_approximate": False,
        "place": "Ciudad Juárez",
        "description": "Shot at during a patrol, the day after arresting three cartel members.",
        "perpetrators": "Armed men in two trucks",
        "reported_to_police": HarmIncident.Reported.YES,
        "police_response": "His commander sent him back to work without ammunition.",
    } | overrides


def claim_events(case):
    return AuditEvent.objects.filter(object_label=case.number, object_type__in=["cases.claim", "cases.harmincident"])


def test_it_records_the_grounds_and_the_social_group(case, attorney):
    claim_services.claim_update(
        actor=attorney,
        case=case,
        data={"ground_social_group": True, "psg_wording": f"  {PSG} ", "psg_immutability": "Past experience."},
    )
    claim = Claim.objects.get(case=case)
    assert claim.ground_social_group
    assert claim.psg_wording == PSG
    assert claim.psg_immutability == "Past experience."


def test_it_audits_the_names_of_changed_fields_never_the_narrative(case, attorney):
    claim_services.claim_update(
        actor=attorney, case=case, data={"ground_political_opinion": True, "nexus": "Because he arrested them."}
    )
    event = claim_events(case).get(action=AuditEvent.Action.UPDATE)
    assert event.changes == {"fields": ["ground_political_opinion", "nexus"]}
    assert "arrested" not in f"{event.summary} {event.changes}"


def test_it_writes_nothing_when_nothing_changed(case, attorney):
    claim_services.claim_update(actor=attorney, case=case, data={"ground_race": False, "nexus": ""})
    assert not claim_events(case).exists()


def test_it_refuses_an_exception_to_the_one_year_deadline_without_its_date(case, attorney):
    with pytest.raises(ValidationError) as error:
        claim_services.claim_update(actor=attorney, case=case, data={"one_year_status": Claim.OneYear.CHANGED})
    assert "one_year_exception_date" in error.value.error_dict
    assert Claim.objects.get(case=case).one_year_status == Claim.OneYear.UNKNOWN


def test_it_refuses_a_circumstance_in_the_future(case, attorney):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError):
        claim_services.claim_update(
            actor=attorney,
            case=case,
            data={"one_year_status": Claim.OneYear.EXTRAORDINARY, "one_year_exception_date": tomorrow},
        )


def test_it_records_an_exception_with_its_date(case, attorney):
    claim_services.claim_update(
        actor=attorney,
        case=case,
        data={"one_year_status": Claim.OneYear.EXTRAORDINARY, "one_year_exception_date": date(2026, 10, 1)},
    )
    assert Claim.objects.get(case=case).one_year_exception_date == date(2026, 10, 1)


def test_it_refuses_fields_that_are_not_the_claims(case, attorney):
    with pytest.raises(ValueError, match="case"):
        claim_services.claim_update(actor=attorney, case=case, data={"case": None})


def test_it_names_the_principals_adverse_parties_as_persecutors(case, attorney, parties):
    claim_services.claim_set_persecutors(
        actor=attorney, case=case, persecutor_type=Claim.PersecutorType.BOTH, persecutors=parties
    )
    claim = Claim.objects.get(case=case)
    assert claim.persecutor_type == Claim.PersecutorType.BOTH
    assert set(claim.persecutors.all()) == set(parties)
    assert claim_events(case).get().changes == {"fields": ["persecutor_type", "persecutors"]}


def test_it_refuses_another_clients_adverse_party_as_a_persecutor(case, attorney, parties, strangers_party):
    with pytest.raises(ValidationError) as error:
        claim_services.claim_set_persecutors(
            actor=attorney, case=case, persecutor_type="non_state", persecutors=[parties[0], strangers_party]
        )
    assert "persecutors" in error.value.error_dict
    claim = Claim.objects.get(case=case)
    assert claim.persecutor_type == ""
    assert not claim.persecutors.exists()


def test_it_adds_an_incident_with_its_perpetrators_and_the_polices_inaction(case, attorney, parties):
    incident = claim_services.incident_save(
        actor=attorney, case=case, data=incident_data(), perpetrator_parties=parties[1:], police_failed_to_act=True
    )
    incident.refresh_from_db()
    assert list(incident.perpetrator_parties.all()) == [parties[1]]
    assert incident.police_failed_to_act
    assert incident.police_response == "His commander sent him back to work without ammunition."
    event = claim_events(case).get()
    assert event.action == AuditEvent.Action.CREATE
    assert "ammunition" not in f"{event.summary} {event.changes}"


def test_it_refuses_an_incident_in_the_future(case, attorney):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        claim_services.incident_save(actor=attorney, case=case, data=incident_data(occurred_on=tomorrow))
    assert "occurred_on" in error.value.error_dict
    assert not HarmIncident.objects.exists()


def test_it_refuses_another_clients_adverse_party_on_an_incident(case, attorney, strangers_party):
    with pytest.raises(ValidationError) as error:
        claim_services.incident_save(
            actor=attorney, case=case, data=incident_data(), perpetrator_parties=[strangers_party]
        )
    assert "perpetrator_parties" in error.value.error_dict
    assert not HarmIncident.objects.exists()


def test_it_refuses_police_inaction_on_an_incident_never_reported(case, attorney):
    with pytest.raises(ValidationError) as error:
        claim_services.incident_save(
            actor=attorney, case=case, data=incident_data(reported_to_police="no"), police_failed_to_act=True
        )
    assert "police_failed_to_act" in error.value.error_dict


def test_it_changes_an_incident_and_audits_what_changed(case, attorney, parties):
    incident = claim_services.incident_save(actor=attorney, case=case, data=incident_data())
    claim_services.incident_save(
        actor=attorney,
        case=case,
        incident=incident,
        data=incident_data(place="Chihuahua"),
        perpetrator_parties=parties,
        police_failed_to_act=True,
    )
    incident.refresh_from_db()
    assert incident.place == "Chihuahua"
    update = claim_events(case).get(action=AuditEvent.Action.UPDATE)
    assert update.changes == {"fields": ["place", "police_failed_to_act", "perpetrator_parties"]}


def test_it_refuses_an_incident_of_another_case(case, other_case, attorney, outsiders):
    foreign = claim_services.incident_save(
        actor=outsiders[Role.ATTORNEY], case=other_case, data=incident_data(reported_to_police="unknown")
    )
    with pytest.raises(ValidationError):
        claim_services.incident_save(actor=attorney, case=case, incident=foreign, data=incident_data())


def test_it_removes_an_incident(case, attorney):
    incident = claim_services.incident_save(actor=attorney, case=case, data=incident_data())
    claim_services.incident_remove(actor=attorney, incident=incident)
    assert not HarmIncident.objects.exists()
    assert claim_events(case).filter(action=AuditEvent.Action.DELETE).count() == 1


def test_it_records_the_bars_and_what_changed(case, attorney):
    checks = {check.bar: check for check in BarCheck.objects.filter(claim__case=case)}
    changed = claim_services.bar_checks_update(
        actor=attorney,
        case=case,
        answers={
            checks["one_year"].pk: {"applies": "yes", "rebutted": "yes", "note": " Changed circumstances "},
            checks["terrorism"].pk: {"applies": "no", "rebutted": "unknown", "note": ""},
        },
    )
    assert changed == ["one_year.applies", "one_year.rebutted", "one_year.note", "terrorism.applies"]
    assert BarCheck.objects.get(pk=checks["one_year"].pk).note == "Changed circumstances"


def test_it_refuses_a_bar_of_another_claim(case, other_case, attorney):
    foreign = BarCheck.objects.filter(claim__case=other_case).first()
    with pytest.raises(ValidationError):
        claim_services.bar_checks_update(
            actor=attorney, case=case, answers={foreign.pk: {"applies": "yes", "rebutted": "no", "note": ""}}
        )
    assert BarCheck.objects.get(pk=foreign.pk).applies == BarCheck.Answer.UNKNOWN


@pytest.mark.parametrize("who", ["reader", "intake", "clinic_admin", "outside_supervisor"])
def test_it_refuses_every_write_by_someone_who_may_not_change_the_case(case, staff, outsiders, clinic, who):
    clinic.attorneys_read_all_cases = True
    clinic.save()
    actor = {
        "reader": staff_member(clinic, Role.ATTORNEY, username="la-attorney-reader"),
        "intake": staff[Role.INTAKE],
        "clinic_admin": staff[Role.CLINIC_ADMIN],
        "outside_supervisor": outsiders[Role.SUPERVISOR],
    }[who]
    writes = [
        lambda: claim_services.claim_update(actor=actor, case=case, data={"ground_race": True}),
        lambda: claim_services.claim_set_persecutors(actor=actor, case=case, persecutor_type="state", persecutors=[]),
        lambda: claim_services.incident_save(actor=actor, case=case, data=incident_data()),
        lambda: claim_services.bar_checks_update(actor=actor, case=case, answers={}),
    ]
    for write in writes:
        with pytest.raises(PermissionDenied):
            write()
    assert not Claim.objects.get(case=case).ground_race
    assert not HarmIncident.objects.exists()


def test_a_supervisor_changes_any_case_of_the_clinic(case, supervisor):
    claim_services.claim_update(actor=supervisor, case=case, data={"ground_religion": True})
    assert Claim.objects.get(case=case).ground_religion


# The summary


def page(case, today=date(2026, 11, 28)):
    return claim_selectors.claim_page(case=case, today=today)


def test_the_summary_of_an_empty_claim_says_everything_is_missing(case):
    summary = page(case)
    assert summary.grounds == []
    assert summary.warnings == [
        "No protected ground is chosen yet.",
        "Whether the persecutors are the government or not is not recorded yet.",
        "Not written yet: fear of future harm; nexus; internal relocation.",
        "The one-year deadline is not assessed yet.",
        "11 bars are not checked yet.",
    ]


def complete(case, attorney):
    """A claim with every element written, the one-year status assessed and every bar checked."""
    claim_services.claim_update(
        actor=attorney,
        case=case,
        data={
            "ground_political_opinion": True,
            "fear_of_future_harm": "They said they will kill him.",
            "nexus": "Because he arrested them.",
            "internal_relocation": "The cartel is everywhere in the state.",
            "one_year_status": Claim.OneYear.WITHIN,
        },
    )
    claim_services.claim_set_persecutors(actor=attorney, case=case, persecutor_type="state", persecutors=[])
    answers = {pk: {"applies": "no"} for pk in BarCheck.objects.filter(claim__case=case).values_list("pk", flat=True)}
    claim_services.bar_checks_update(actor=attorney, case=case, answers=answers)


def test_a_complete_claim_has_no_warning(case, attorney):
    complete(case, attorney)
    assert page(case).warnings == []


def test_the_summary_warns_of_a_social_group_without_wording_and_missing_elements(case, attorney):
    complete(case, attorney)
    claim_services.claim_update(actor=attorney, case=case, data={"ground_social_group": True})
    assert page(case).warnings == [
        "Membership in a particular social group is chosen, but the group is not worded yet."
    ]
    claim_services.claim_update(actor=attorney, case=case, data={"psg_wording": PSG, "psg_particularity": "Clear."})
    assert page(case).warnings == ["The particular social group has no note yet on: immutability; social distinction."]


def test_the_summary_warns_of_a_non_state_persecutor_without_a_failure_to_protect(case, attorney):
    complete(case, attorney)
    claim_services.claim_set_persecutors(actor=attorney, case=case, persecutor_type="non_state", persecutors=[])
    assert page(case).warnings == [
        "A persecutor is not the government, but nothing says why the government cannot or will not protect."
    ]
    claim_services.claim_update(actor=attorney, case=case, data={"protection_failure": "The police sent him back."})
    assert page(case).warnings == []


def test_the_summary_warns_of_an_exception_stored_without_its_date(case, attorney):
    complete(case, attorney)
    # The services refuse it; a claim stored before that rule (or by hand) still gets the warning.
    Claim.objects.filter(case=case).update(one_year_status=Claim.OneYear.CHANGED)
    assert page(case).warnings == [
        "An exception to the one-year deadline is claimed without the date of its circumstance."
    ]


def test_the_summary_counts_incidents_reported_and_unanswered_and_open_bars(case, attorney, parties):
    claim_services.incident_save(actor=attorney, case=case, data=incident_data(), police_failed_to_act=True)
    claim_services.incident_save(actor=attorney, case=case, data=incident_data(occurred_on=date(2025, 6, 1)))
    claim_services.incident_save(actor=attorney, case=case, data=incident_data(reported_to_police="no"))
    checks = {check.bar: check.pk for check in BarCheck.objects.filter(claim__case=case)}
    claim_services.bar_checks_update(
        actor=attorney,
        case=case,
        answers={
            checks["one_year"]: {"applies": "yes", "rebutted": "yes"},
            checks["firm_resettlement"]: {"applies": "yes", "rebutted": "unknown"},
        },
    )
    summary = page(case)
    assert [row.incident.occurred_on for row in summary.incidents] == [
        date(2025, 6, 1),
        date(2025, 6, 14),
        date(2025, 6, 14),
    ]
    assert (len(summary.incidents), summary.reported_count, summary.inaction_count) == (3, 2, 1)
    assert [row.check.bar for row in summary.bars_applying] == ["one_year", "firm_resettlement"]
    assert [row.check.bar for row in summary.bars_open] == ["firm_resettlement"]
    assert "1 bar applies and is not rebutted." in summary.warnings
    assert "9 bars are not checked yet." in summary.warnings
    assert summary.bars_unchecked == 9


def test_the_one_year_deadline_runs_from_the_cases_last_arrival(case):
    # Arrived 9 Dec 2025 (the principal's last entry): the anniversary, a Wednesday.
    one_year = page(case, today=date(2026, 11, 28)).one_year
    assert (one_year.last_arrival, one_year.deadline, one_year.days_left) == (date(2025, 12, 9), date(2026, 12, 9), 11)
