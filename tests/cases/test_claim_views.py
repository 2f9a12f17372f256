"""The claim tab: every page for every role and for the other clinic, bad input, the summary,
and the page's fixed number of queries."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import claim_services
from cases.models import BarCheck, Claim, HarmIncident
from clients import services as client_services
from clinic.models import AuditEvent, Membership
from tests.factories import staff_member

Role = Membership.Role
PSG = "former municipal police officers of Ciudad Juárez who arrested cartel members"


@pytest.fixture
def parties(principal, attorney):
    return [
        client_services.adverse_party_save(
            actor=attorney,
            client=principal,
            data={"name": "Raúl Quintero Alanís", "role": "police", "organization": "Municipal police"},
        ),
        client_services.adverse_party_save(
            actor=attorney, client=principal, data={"name": "Sergio Villa Mendoza", "role": "cartel"}
        ),
    ]


@pytest.fixture
def strangers_party(intake_user, attorney):
    other = client_services.client_create(actor=intake_user, data={"given_names": "Lucía", "paternal_surname": "Paz"})
    return client_services.adverse_party_save(actor=attorney, client=other, data={"name": "El Flaco", "role": "gang"})


@pytest.fixture
def incident(case, attorney, parties):
    return claim_services.incident_save(
        actor=attorney,
        case=case,
        data={"occurred_on": date(2025, 6, 14), "description": "Shot at on patrol.", "reported_to_police": "yes"},
        perpetrator_parties=parties[1:],
        police_failed_to_act=True,
    )


@pytest.fixture
def colleague(clinic):
    """An attorney of the clinic who is not on the case."""
    return staff_member(clinic, Role.ATTORNEY, username="la-attorney-colleague")


def page_urls(case, incident) -> list[str]:
    """Every claim page a GET opens."""
    return [
        reverse("cases:claim", args=[case.pk]),
        *edit_urls(case, incident),
    ]


def edit_urls(case, incident) -> list[str]:
    return [
        reverse("cases:claim-grounds", args=[case.pk]),
        reverse("cases:claim-elements", args=[case.pk]),
        reverse("cases:claim-one-year", args=[case.pk]),
        reverse("cases:claim-persecutors", args=[case.pk]),
        reverse("cases:claim-bars", args=[case.pk]),
        reverse("cases:claim-incident-create", args=[case.pk]),
        reverse("cases:claim-incident-edit", args=[case.pk, incident.pk]),
    ]


def post_urls(case, incident) -> list[str]:
    return [*edit_urls(case, incident), reverse("cases:claim-incident-delete", args=[case.pk, incident.pk])]


def assert_nothing_written(case, incident):
    claim = Claim.objects.get(case=case)
    assert not claim.ground_race
    assert claim.persecutor_type == ""
    assert HarmIncident.objects.filter(pk=incident.pk).exists()
    assert HarmIncident.objects.count() == 1


HOSTILE_POST = {"ground_race": "on", "persecutor_type": "state", "description": "x", "reported_to_police": "no"}


# Who sees and changes what


@pytest.mark.parametrize("who", ["lead attorney", "supervisor"])
def test_it_opens_every_claim_page_to_the_cases_attorney_and_supervisors(
    as_user, case, incident, attorney, supervisor, who
):
    client = as_user(attorney if who == "lead attorney" else supervisor)
    for url in page_urls(case, incident):
        assert client.get(url).status_code == 200, url
    claim_page = client.get(reverse("cases:claim", args=[case.pk])).content.decode()
    assert reverse("cases:claim-grounds", args=[case.pk]) in claim_page
    assert reverse("cases:claim-incident-delete", args=[case.pk, incident.pk]) in claim_page
    assert client.post(reverse("cases:claim-grounds", args=[case.pk]), {"ground_race": "on"}).status_code == 302
    assert client.post(reverse("cases:claim-incident-delete", args=[case.pk, incident.pk])).status_code == 302
    assert Claim.objects.get(case=case).ground_race
    assert not HarmIncident.objects.exists()


@pytest.mark.parametrize("role", [Role.INTAKE, Role.CLINIC_ADMIN])
def test_it_answers_403_to_intake_staff_and_clinic_admins_on_every_claim_page(as_user, staff, case, incident, role):
    client = as_user(staff[role])
    for url in page_urls(case, incident):
        assert client.get(url).status_code == 403, url
    for url in post_urls(case, incident):
        assert client.post(url, HOSTILE_POST).status_code == 403, url
    assert_nothing_written(case, incident)


def test_it_hides_the_claim_from_an_attorney_not_on_the_case(as_user, case, incident, colleague):
    client = as_user(colleague)
    for url in page_urls(case, incident):
        assert client.get(url).status_code == 404, url
    for url in post_urls(case, incident):
        assert client.post(url, HOSTILE_POST).status_code == 404, url
    assert_nothing_written(case, incident)


def test_it_lets_a_colleague_read_but_not_change_when_the_clinic_allows_it(as_user, clinic, case, incident, colleague):
    clinic.attorneys_read_all_cases = True
    clinic.save()
    client = as_user(colleague)
    page = client.get(reverse("cases:claim", args=[case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Shot at on patrol." in html
    assert "You can read this claim." in html
    for url in post_urls(case, incident):
        assert url not in html
    for url in edit_urls(case, incident):
        assert client.get(url).status_code == 403, url
    for url in post_urls(case, incident):
        assert client.post(url, HOSTILE_POST).status_code == 403, url
    assert_nothing_written(case, incident)


@pytest.mark.parametrize("role", [Role.INTAKE, Role.ATTORNEY, Role.SUPERVISOR])
def test_it_answers_404_to_every_user_of_another_clinic(as_user, outsiders, other_clinic, case, incident, role):
    other_clinic.attorneys_read_all_cases = True
    other_clinic.save()
    client = as_user(outsiders[role])
    for url in page_urls(case, incident):
        assert client.get(url).status_code == 404, url
    for url in post_urls(case, incident):
        assert client.post(url, HOSTILE_POST).status_code == 404, url
    assert_nothing_written(case, incident)


def test_another_clinics_admin_sees_no_case_at_all(as_user, outsiders, case, incident):
    # Clinic admins see no case of any clinic: 403 whatever the case, so it says nothing about this one.
    client = as_user(outsiders[Role.CLINIC_ADMIN])
    for url in page_urls(case, incident):
        assert client.get(url).status_code == 403, url
    assert_nothing_written(case, incident)


def test_an_incident_of_another_case_is_not_found_through_this_one(
    as_user, attorney, case, incident, other_case, outsiders
):
    foreign = claim_services.incident_save(
        actor=outsiders[Role.ATTORNEY], case=other_case, data={"description": "Elsewhere."}
    )
    client = as_user(attorney)
    assert client.get(reverse("cases:claim-incident-edit", args=[case.pk, foreign.pk])).status_code == 404
    assert client.post(reverse("cases:claim-incident-delete", args=[case.pk, foreign.pk])).status_code == 404
    assert HarmIncident.objects.filter(pk=foreign.pk).exists()


def test_the_claim_page_takes_no_post(as_user, attorney, case):
    assert as_user(attorney).post(reverse("cases:claim", args=[case.pk])).status_code == 405


# Recording the claim


def test_it_records_the_grounds_and_the_social_group(as_user, attorney, case):
    client = as_user(attorney)
    response = client.post(
        reverse("cases:claim-grounds", args=[case.pk]),
        {
            "ground_social_group": "on",
            "ground_political_opinion": "on",
            "psg_wording": PSG,
            "psg_immutability": "He cannot undo having been an officer who made those arrests.",
            "psg_particularity": "",
            "psg_social_distinction": "",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("cases:claim", args=[case.pk]) + "#grounds"
    claim = Claim.objects.get(case=case)
    assert (claim.ground_social_group, claim.ground_political_opinion, claim.ground_race) == (True, True, False)
    assert claim.psg_wording == PSG
    html = client.get(response.url).content.decode()
    assert PSG in html
    assert "Matter of M-E-V-G-, 26 I&amp;N Dec. 227" in html
    assert "The particular social group has no note yet on: particularity; social distinction." in html


def test_the_social_group_shows_only_when_that_ground_is_chosen(as_user, attorney, case):
    claim_services.claim_update(actor=attorney, case=case, data={"ground_religion": True, "psg_wording": PSG})
    html = as_user(attorney).get(reverse("cases:claim", args=[case.pk])).content.decode()
    assert PSG not in html
    assert 'id="psg"' not in html


def test_the_grounds_form_gives_each_elements_legal_test(as_user, attorney, case):
    html = as_user(attorney).get(reverse("cases:claim-grounds", args=[case.pk])).content.decode()
    # crispy prints help text as it is (no escaping), the page escapes it.
    assert "Matter of Acosta, 19 I&N Dec. 211 (BIA 1985)" in html
    assert "Matter of W-G-R-, 26 I&N Dec. 208 (BIA 2014)" in html
    assert 'data-shown-by="id_ground_social_group"' in html


def test_it_records_the_persecutors_among_the_principals_adverse_parties(as_user, attorney, case, parties):
    client = as_user(attorney)
    form = client.get(reverse("cases:claim-persecutors", args=[case.pk])).content.decode()
    assert "Raúl Quintero Alanís (Police officer, Municipal police)" in form
    assert reverse("clients:adverse-create", args=[case.client_id]) in form
    response = client.post(
        reverse("cases:claim-persecutors", args=[case.pk]),
        {"persecutor_type": "non_state", "persecutors": [parties[1].pk]},
    )
    assert response.status_code == 302
    claim = Claim.objects.get(case=case)
    assert claim.persecutor_type == "non_state"
    assert list(claim.persecutors.all()) == [parties[1]]


def test_it_refuses_another_clients_adverse_party_as_a_persecutor(as_user, attorney, case, parties, strangers_party):
    client = as_user(attorney)
    assert "El Flaco" not in client.get(reverse("cases:claim-persecutors", args=[case.pk])).content.decode()
    response = client.post(
        reverse("cases:claim-persecutors", args=[case.pk]),
        {"persecutor_type": "non_state", "persecutors": [parties[0].pk, strangers_party.pk]},
    )
    assert response.status_code == 200
    assert "persecutors" in response.context["form"].errors
    claim = Claim.objects.get(case=case)
    assert claim.persecutor_type == ""
    assert not claim.persecutors.exists()


def incident_post(**overrides) -> dict:
    return {
        "occurred_on": "2025-06-14",
        "date_is_approximate": "on",
        "place": "Ciudad Juárez",
        "description": "Shot at during a patrol.",
        "perpetrators": "Armed men",
        "reported_to_police": "yes",
        "police_failed_to_act": "on",
        "police_response": "Sent back to work without ammunition.",
    } | overrides


def test_it_adds_an_incident_and_lists_it_with_the_polices_inaction(as_user, attorney, case, parties):
    client = as_user(attorney)
    response = client.post(
        reverse("cases:claim-incident-create", args=[case.pk]), incident_post(perpetrator_parties=[parties[1].pk])
    )
    assert response.status_code == 302
    assert response.url.endswith("#incidents")
    incident = HarmIncident.objects.get()
    assert incident.date_is_approximate
    assert list(incident.perpetrator_parties.all()) == [parties[1]]
    html = client.get(response.url).content.decode()
    assert "Police took no action" in html
    assert "Sent back to work without ammunition." in html
    assert "[police took no action]" not in html
    assert "1 with no police action" in html


def test_it_refuses_an_incident_dated_in_the_future(as_user, attorney, case):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = as_user(attorney).post(
        reverse("cases:claim-incident-create", args=[case.pk]), incident_post(occurred_on=tomorrow)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["occurred_on"] == ["An incident cannot be in the future."]
    assert not HarmIncident.objects.exists()


def test_it_refuses_another_clients_adverse_party_on_an_incident(as_user, attorney, case, strangers_party):
    response = as_user(attorney).post(
        reverse("cases:claim-incident-create", args=[case.pk]), incident_post(perpetrator_parties=[strangers_party.pk])
    )
    assert response.status_code == 200
    assert "perpetrator_parties" in response.context["form"].errors
    assert not HarmIncident.objects.exists()


def test_it_refuses_police_inaction_on_an_incident_never_reported(as_user, attorney, case):
    response = as_user(attorney).post(
        reverse("cases:claim-incident-create", args=[case.pk]), incident_post(reported_to_police="no")
    )
    assert response.status_code == 200
    assert "police_failed_to_act" in response.context["form"].errors
    assert not HarmIncident.objects.exists()


def test_it_edits_an_incident_showing_the_polices_inaction_as_a_checkbox(as_user, attorney, case, incident):
    client = as_user(attorney)
    url = reverse("cases:claim-incident-edit", args=[case.pk, incident.pk])
    form = client.get(url).context["form"]
    assert form.initial["police_failed_to_act"] is True
    assert form.initial["police_response"] == ""
    response = client.post(url, incident_post(police_failed_to_act="", police_response="They took the report."))
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.police_response == "They took the report."
    assert list(incident.perpetrator_parties.all()) == []


def test_it_lists_incidents_in_date_order(as_user, attorney, case):
    for day, place in [("2025-08-02", "Second"), ("2025-01-20", "First"), ("", "Undated")]:
        claim_services.incident_save(
            actor=attorney,
            case=case,
            data={"occurred_on": date.fromisoformat(day) if day else None, "place": place, "description": place},
        )
    page = as_user(attorney).get(reverse("cases:claim", args=[case.pk]))
    assert [row.incident.place for row in page.context["page"].incidents] == ["First", "Second", "Undated"]


def test_it_deletes_an_incident(as_user, attorney, case, incident):
    client = as_user(attorney)
    html = client.get(reverse("cases:claim", args=[case.pk])).content.decode()
    assert 'data-confirm="Delete this incident?' in html
    response = client.post(reverse("cases:claim-incident-delete", args=[case.pk, incident.pk]))
    assert response.status_code == 302
    assert not HarmIncident.objects.exists()
    assert client.get(reverse("cases:claim-incident-delete", args=[case.pk, incident.pk])).status_code == 405


def test_it_records_the_four_elements(as_user, attorney, case):
    response = as_user(attorney).post(
        reverse("cases:claim-elements", args=[case.pk]),
        {
            "fear_of_future_harm": "The cell has said it will kill him.",
            "nexus": "They targeted him because he arrested their members.",
            "protection_failure": "His own commander sent him out without ammunition.",
            "internal_relocation": "The cartel operates across the state.",
        },
    )
    assert response.status_code == 302
    assert Claim.objects.get(case=case).nexus == "They targeted him because he arrested their members."


def test_it_refuses_an_exception_to_the_one_year_deadline_without_its_date(as_user, attorney, case):
    response = as_user(attorney).post(
        reverse("cases:claim-one-year", args=[case.pk]),
        {"one_year_status": "changed", "one_year_exception_date": "", "one_year_note": ""},
    )
    assert response.status_code == 200
    assert "one_year_exception_date" in response.context["form"].errors
    assert "reasonable period" in response.content.decode()
    assert Claim.objects.get(case=case).one_year_status == Claim.OneYear.UNKNOWN


def test_it_refuses_a_malformed_date_with_a_field_error(as_user, attorney, case):
    response = as_user(attorney).post(
        reverse("cases:claim-one-year", args=[case.pk]),
        {"one_year_status": "extraordinary", "one_year_exception_date": "31/02/2026"},
    )
    assert response.status_code == 200
    assert "one_year_exception_date" in response.context["form"].errors


def test_it_shows_the_deadline_from_the_last_arrival_beside_the_exception(as_user, attorney, case):
    client = as_user(attorney)
    client.post(
        reverse("cases:claim-one-year", args=[case.pk]),
        {"one_year_status": "extraordinary", "one_year_exception_date": "2026-10-01", "one_year_note": ""},
    )
    html = client.get(reverse("cases:claim", args=[case.pk])).content.decode()
    assert "Exception: extraordinary circumstances" in html
    assert "9 Dec 2025" in html  # the last arrival
    assert "9 Dec 2026" in html  # the deadline
    assert "1 Oct 2026" in html
    assert "8 CFR 208.4(a)(4)-(5)" in html


def test_a_status_without_an_exception_drops_the_circumstances_date(as_user, attorney, case):
    as_user(attorney).post(
        reverse("cases:claim-one-year", args=[case.pk]),
        {"one_year_status": "within", "one_year_exception_date": "2026-10-01"},
    )
    claim = Claim.objects.get(case=case)
    assert (claim.one_year_status, claim.one_year_exception_date) == ("within", None)


def bars_post(case, changes: dict) -> dict:
    checks = list(BarCheck.objects.filter(claim__case=case).order_by("id"))
    data = {"form-TOTAL_FORMS": len(checks), "form-INITIAL_FORMS": len(checks)}
    for number, check in enumerate(checks):
        answer = changes.get(check.bar, {})
        data |= {
            f"form-{number}-id": check.pk,
            f"form-{number}-applies": answer.get("applies", check.applies),
            f"form-{number}-rebutted": answer.get("rebutted", check.rebutted),
            f"form-{number}-note": answer.get("note", check.note),
        }
    return data


def test_it_checks_every_bar_in_one_form_and_highlights_those_open(as_user, attorney, case):
    client = as_user(attorney)
    form = client.get(reverse("cases:claim-bars", args=[case.pk]))
    assert len(form.context["formset"].forms) == len(BarCheck.Bar.values)
    response = client.post(
        reverse("cases:claim-bars", args=[case.pk]),
        bars_post(case, {"firm_resettlement": {"applies": "yes", "rebutted": "no", "note": "Two years in Spain"}}),
    )
    assert response.status_code == 302
    html = client.get(reverse("cases:claim", args=[case.pk])).content.decode()
    assert html.count("list-group-item-danger") == 1
    assert "Two years in Spain" in html
    assert "1 bar applies and is not rebutted." in html


def test_a_tampered_bars_form_is_refused_with_a_message_not_a_500(as_user, attorney, case, other_case):
    client = as_user(attorney)
    url = reverse("cases:claim-bars", args=[case.pk])
    assert client.post(url, {}).status_code == 200  # no management form
    data = bars_post(case, {"one_year": {"applies": "yes"}})
    data["form-1-id"] = BarCheck.objects.filter(claim__case=other_case).first().pk
    data["form-1-applies"] = "yes"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Only the bars of this claim can be checked here." in response.content.decode()
    assert not BarCheck.objects.exclude(applies="unknown").exists()


def test_a_bars_post_claiming_a_thousand_forms_is_refused_without_building_them(as_user, attorney, case):
    """Found by tests/property: the management form's count was trusted up to Django's 1,000, so one
    post made the page build and draw 1,000 forms (seconds each time). Now: one form per bar, at most."""
    data = bars_post(case, {"one_year": {"applies": "yes"}}) | {"form-TOTAL_FORMS": 1000, "form-INITIAL_FORMS": 1000}
    response = as_user(attorney).post(reverse("cases:claim-bars", args=[case.pk]), data)
    assert response.status_code == 200
    formset = response.context["formset"]
    assert len(formset.forms) == len(BarCheck.Bar.values)
    assert formset.non_form_errors()
    assert not BarCheck.objects.exclude(applies="unknown").exists()


# The page itself


def test_the_summary_warns_of_what_is_missing(as_user, attorney, case):
    claim_services.claim_update(actor=attorney, case=case, data={"ground_social_group": True})
    claim_services.claim_set_persecutors(actor=attorney, case=case, persecutor_type="both", persecutors=[])
    Claim.objects.filter(case=case).update(one_year_status=Claim.OneYear.CHANGED)
    html = as_user(attorney).get(reverse("cases:claim", args=[case.pk])).content.decode()
    assert "Membership in a particular social group is chosen, but the group is not worded yet." in html
    assert "nothing says why the government cannot or will not protect" in html
    assert "claimed without the date of its circumstance" in html


def test_an_empty_claim_warns_that_no_ground_is_chosen(as_user, attorney, case):
    html = as_user(attorney).get(reverse("cases:claim", args=[case.pk])).content.decode()
    assert "No protected ground is chosen yet." in html
    assert "No incidents recorded yet" in html


def test_each_view_of_the_claim_is_audited(as_user, attorney, case):
    as_user(attorney).get(reverse("cases:claim", args=[case.pk]))
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW, object_type="cases.claim")
    assert (event.actor, event.object_label) == (attorney, case.number)


def test_the_claim_page_runs_a_fixed_number_of_queries(as_user, attorney, case, parties, django_assert_num_queries):
    def add_incident():
        claim_services.incident_save(
            actor=attorney,
            case=case,
            data={"description": "Threatened at home.", "reported_to_police": "yes"},
            perpetrator_parties=parties,
            police_failed_to_act=True,
        )

    add_incident()
    claim_services.claim_set_persecutors(actor=attorney, case=case, persecutor_type="both", persecutors=parties[:1])
    client = as_user(attorney)
    url = reverse("cases:claim", args=[case.pk])
    client.get(url)  # the first request after signing in also writes the session
    # user with membership and clinic (the session comes from the cache), the case with client and
    # court, its team with their users, the claim, its incidents, the adverse parties they name, the
    # persecutors, the bars, the clinic and the audit event of this view
    with django_assert_num_queries(10):
        client.get(url)
    for _number in range(6):
        add_incident()
    claim_services.claim_set_persecutors(actor=attorney, case=case, persecutor_type="both", persecutors=parties)
    with django_assert_num_queries(10):
        page = client.get(url)
    assert page.context["page"].inaction_count == 7
    assert len(page.context["page"].persecutors) == 2
